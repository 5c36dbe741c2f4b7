"""The report data model: the facts reportgen checks and the sections it prints."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from reportgen.model.amounts import Money, Quantity, Rate, Score
from reportgen.model.base import Flag, Integer, Name, StrictModel, Text, empty_list
from reportgen.model.compiled import compiled
from reportgen.model.narrative import IndicatorCategory, Narrative
from reportgen.model.outline_changes import OutlineChanges
from reportgen.model.previous import Previous
from reportgen.model.table import AssessmentTable, TargetSign
from reportgen.model.title import TITLE_SUFFIX

Grade = Literal["优", "良", "中", "差"]
DEFAULT_GRADE_BANDS: dict[Grade, Decimal] = {
    "优": Decimal(90),
    "良": Decimal(80),
    "中": Decimal(60),
}


def _amount_shorthand(value: Any) -> Any:
    """``basic: 3118.86`` is short for ``basic: {amount: 3118.86}``."""
    if isinstance(value, str | int | float | Decimal) and not isinstance(value, bool):
        return {"amount": value}
    return value


def _default_grade_bands() -> dict[Grade, Decimal]:
    """A fresh copy (a named function: the model's validator is pickled, reportgen/model/compiled.py)."""
    return dict(DEFAULT_GRADE_BANDS)


class RuleSettings(StrictModel):
    """Settings of the arithmetic rules that vary between districts."""

    grade_bands: dict[Grade, Score] = Field(
        default_factory=_default_grade_bands,
        description="各等级的最低分；低于最后一档为“差”",
    )
    carryover_denominator: Literal["expenditure", "budget"] = Field(
        "expenditure", description="结转结余率的分母：expenditure 支出合计 | budget 预算"
    )


class Organization(StrictModel):
    internal_units: list[Text] = Field(default_factory=empty_list, description="内设机构")
    subordinate_units: list[Text] = Field(default_factory=empty_list, description="下属单位")

    @model_validator(mode="after")
    def _not_empty(self) -> Organization:
        if not self.internal_units and not self.subordinate_units:
            raise PydanticCustomError(
                "organization_empty",
                "机构设置是空的：至少要写 internal_units（内设机构）或 subordinate_units（下属单位）之一",
                {},
            )
        return self


def _amount_or_mapping(model: Any) -> BeforeValidator:
    """The shorthand, and what the JSON Schema says it accepts: the mapping or the amount."""
    return BeforeValidator(_amount_shorthand, json_schema_input_type=model | Money)


class CostLine(StrictModel):
    """A part of spending (人员经费, 公用经费) with what it was used for."""

    amount: Money = Field(description="支出数（万元）")
    purpose: Text | None = Field(None, description="主要用途")


class BasicExpenditure(StrictModel):
    amount: Money = Field(description="基本支出（万元）")
    budget: Money | None = Field(None, description="基本支出预算数")
    execution_rate: Rate | None = Field(None, description="基本支出执行率")
    share: Rate | None = Field(None, description="基本支出占支出合计的比例")
    purpose: Text | None = Field(None, description="主要用途")
    personnel: Annotated[CostLine | None, _amount_or_mapping(CostLine | None)] = Field(
        None, description="人员经费"
    )
    public: Annotated[CostLine | None, _amount_or_mapping(CostLine | None)] = Field(
        None, description="公用经费"
    )


class ProjectExpenditure(StrictModel):
    amount: Money = Field(description="项目支出（万元）")
    budget: Money | None = Field(None, description="项目支出预算数")
    execution_rate: Rate | None = Field(None, description="项目支出执行率")
    share: Rate | None = Field(None, description="项目支出占支出合计的比例")
    purpose: Text | None = Field(None, description="主要用途")


class Expenditure(StrictModel):
    total: Money | None = Field(
        None, description="支出合计 = 基本支出 + 项目支出；未分列基本、项目支出时必填"
    )
    basic: Annotated[BasicExpenditure | None, _amount_or_mapping(BasicExpenditure | None)] = Field(
        None, description="基本支出（未公布时不写）"
    )
    project: Annotated[ProjectExpenditure | None, _amount_or_mapping(ProjectExpenditure | None)] = (
        Field(None, description="项目支出（未公布时不写）")
    )

    @model_validator(mode="after")
    def _total_known(self) -> Expenditure:
        if self.total is None and (self.basic is None or self.project is None):
            raise PydanticCustomError(
                "expenditure_total_missing",
                "未同时写出基本支出（basic）和项目支出（project）时，须写支出合计（total）",
                {},
            )
        return self


class IncomeSource(StrictModel):
    name: Text = Field(description="收入来源，如 财政拨款收入")
    amount: Money = Field(description="金额（万元）")
    share: Rate | None = Field(None, description="占总收入比例")


class Income(StrictModel):
    total: Money | None = Field(None, description="收入合计 = 各来源之和；不分来源时必填")
    sources: list[IncomeSource] = Field(
        default_factory=empty_list, description="各收入来源（未公布时不写）"
    )

    @model_validator(mode="after")
    def _total_known(self) -> Income:
        if self.total is None and not self.sources:
            raise PydanticCustomError(
                "income_empty", "收入须写收入合计（total）或各收入来源（sources）", {}
            )
        return self


class Carryover(StrictModel):
    year_start: Money | None = Field(None, description="年初结转结余")
    year_end: Money = Field(description="年末结转结余")
    rate: Rate | None = Field(None, description="结转结余率 = 年末结转结余 ÷ 分母")
    limit: Rate | None = Field(None, description="结转结余率上限，如 10%")


class Budget(StrictModel):
    initial: Money | None = Field(None, description="年初预算")
    adjusted: Money | None = Field(None, description="调整预算")
    execution_rate: Rate | None = Field(
        None, description="预算执行率 = 支出合计 ÷ 预算（有调整预算时用调整预算）"
    )
    income: Income | None = Field(None, description="收入")
    expenditure: Expenditure = Field(description="支出")
    carryover: Carryover | None = Field(None, description="结转结余")


class ScoreComponent(StrictModel):
    name: Text = Field(description="一级指标名称，如 履职效能")
    score: Score = Field(description="得分")
    max: Score | None = Field(None, description="分值（满分）；未公布时不写")


class SelfScore(StrictModel):
    total: Score = Field(description="自评得分")
    grade: Grade | None = Field(None, description="自评等级；不写则按得分确定")
    components: list[ScoreComponent] = Field(default_factory=empty_list, description="一级指标得分")


class KeyTask(StrictModel):
    name: Text = Field(description="重点任务（项目）名称")
    spending: Money | None = Field(None, description="支出（万元）")
    text: Text | None = Field(None, description="完成情况")


class KeyTasks(StrictModel):
    total: Money | None = Field(None, description="重点任务经费合计 = 各项支出之和")
    items: list[KeyTask] = Field(min_length=1, description="各项重点任务")


class Indicator(StrictModel):
    name: Text = Field(description="指标名称")
    category: IndicatorCategory = Field(
        "output", description="output 产出 | outcome 效益 | satisfaction 满意度 | other"
    )
    sign: TargetSign = Field(
        None,
        description="目标值前印的符号：≥ ≤ = > <；不写则反向指标印“≤”、正向指标不印；"
        "写“≤”或“<”而不写 direction 时为反向指标",
    )
    target: Quantity | None = Field(None, description="目标值")
    actual: Quantity | None = Field(None, description="实际值")
    unit: Text | None = Field(None, description="单位")
    approximate: Flag = Field(False, description="实际值前加“约”")
    direction: Literal["positive", "negative"] = Field(
        "positive", description="positive 正向（越大越好）| negative 反向（“≤”目标）"
    )

    @model_validator(mode="before")
    @classmethod
    def _direction_of_the_sign(cls, data: Any) -> Any:
        """“≤ 10” alone says the indicator is negative: direction need not be written too."""
        if isinstance(data, dict) and "direction" not in data:
            sign = data.get("sign")
            if isinstance(sign, str) and sign.strip() in {"≤", "<", "<=", "≦", "＜"}:
                return {**data, "direction": "negative"}
        return data

    @model_validator(mode="after")
    def _sign_agrees(self) -> Indicator:
        low = self.sign in {"≤", "<"}
        if self.sign in {"≥", ">", "≤", "<"} and low != (self.direction == "negative"):
            raise PydanticCustomError(
                "sign_direction",
                "目标值前的符号“{sign}”与 direction: {direction} 不符："
                "“≤”“<”是反向指标（negative），“≥”“>”是正向指标（positive）",
                {"sign": self.sign, "direction": self.direction},
            )
        return self

    rate: Rate | None = Field(None, description="完成率")
    reason: Text | None = Field(None, description="未完成原因")
    max_score: Score | None = Field(None, description="分值")
    score: Score | None = Field(None, description="得分")


class Sections(StrictModel):
    """The narrative of each section; the layout decides order, headings and numbering.

    Its keys are not listed here: they are the sections the layouts' outline files declare and
    those a department declares in its ``outline:``, fields of a subclass (:func:`report_model`).
    """

    def written(self) -> dict[str, Narrative]:
        """Every section the data writes, by key, in the order of the fields."""
        found = {name: getattr(self, name) for name in type(self).model_fields}
        return {name: narrative for name, narrative in found.items() if narrative is not None}


class Printing(StrictModel):
    """How this report prints its figures, where the layout's choice does not suit."""

    money_thousands: Flag | None = Field(
        None, description="金额用千位分隔符（true：4,281.75；false：4281.75）；不写则按版式"
    )


class Report(StrictModel):
    """One department's 部门整体支出绩效自评报告 for one year."""

    year: Integer = Field(ge=2000, le=2100, description="年度")
    department: Text = Field(max_length=100, description="部门名称")
    layout: Name = Field(
        "default", description="版式：内置 default | panyu | huadu，或 --templates 文件夹中的版式"
    )
    outline: OutlineChanges | None = Field(
        None, description="本部门对版式章节的调整：改标题、加注、增加或略去节、整章一段"
    )
    attachment: Text | None = Field(None, max_length=20, description="附件标签，如 附件2")
    title_lines: list[Text] | None = Field(
        None,
        min_length=2,
        description="标题的各行（连起来须是完整标题）；不写则在词与词之间自动断行",
    )
    rules: RuleSettings = Field(default_factory=RuleSettings, description="规则设置")
    printing: Printing = Field(default_factory=Printing, description="数字的印法（不写则按版式）")
    organization: Organization | None = Field(None, description="内设机构与下属单位")
    budget: Budget = Field(description="部门整体收支")
    score: SelfScore | None = Field(
        None, description="自评得分与等级；有自评表（table）时可不写，由表中得分计算"
    )
    key_tasks: KeyTasks | None = Field(None, description="重点任务项目经费")
    indicators: list[Indicator] = Field(default_factory=empty_list, description="绩效指标")
    sections: Sections = Field(default_factory=Sections, description="报告各节正文")
    previous: Previous | None = Field(
        None,
        description="上一年度的数（reportgen import --year 写入）：正文中与之相同的数须改写或确认",
    )
    table: AssessmentTable | None = Field(None, description="部门整体支出绩效自评表的数据")

    @property
    def self_score(self) -> SelfScore:
        """The self-score; validation fills it in from the table when the data leaves it out."""
        if self.score is None:
            raise AssertionError("the score is filled in from the table before it is read")
        return self.score

    @field_validator("department")
    @classmethod
    def _single_line(cls, value: str) -> str:
        if "\n" in value:
            raise ValueError("部门名称只能是一行")
        return value

    @field_validator("title_lines")
    @classmethod
    def _title_lines_spell_the_title(
        cls, lines: list[str] | None, info: ValidationInfo
    ) -> list[str] | None:
        year, department = info.data.get("year"), info.data.get("department")
        if lines is None or year is None or department is None:
            return lines  # a year or name that failed is reported on its own line
        title = f"{year}年度{department}{TITLE_SUFFIX}"
        if "".join(lines) != title:
            raise PydanticCustomError(
                "title_lines_mismatch",
                "标题各行连起来应是“{title}”，实际为“{joined}”",
                {"title": title, "joined": "".join(lines)},
            )
        return lines

    @property
    def title(self) -> str:
        return f"{self.year}年度{self.department}{TITLE_SUFFIX}"


# A section known by its key and described by the headings it has.
SectionField = tuple[str, str]


@lru_cache(maxsize=64)
def report_model(sections: tuple[SectionField, ...] = ()) -> type[Report]:
    """The report model whose ``sections`` hold exactly ``sections`` (key, description), in
    that order: the keys the layouts' outlines and the department's own ``outline:`` declare,
    so that any other key is an unknown key."""
    if not sections:
        return Report
    fields: dict[str, Any] = {
        key: (Narrative | None, Field(None, description=description))
        for key, description in sections
    }
    model = create_model("Sections", __base__=Sections, **fields)
    report = create_model(
        "Report",
        __base__=Report,
        sections=(model, Field(default_factory=model, description="报告各节正文")),
    )
    compiled(model, (model,))  # its own validator makes the default of a report without sections
    return compiled(report, (report, model))
