"""``reportgen import`` and ``audit`` on the indicators a report states in its prose — the name,
target, actual value and rate in the orders reports write them, units such as “/10万” — and in
its indicator table; the draft read back, the table it renders, the findings of audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.check.validate import validate_text
from reportgen.importer import Imported
from reportgen.importer.audit import audit_file
from reportgen.importer.draft import draft_text
from tests.test_import import SYNTHETIC, import_report_text, render_draft

# the synthetic report's indicators, replaced by each case's
STATED = (
    "产出指标完成情况：培训人数目标值80人次、实际值88人次，指标完成率为110%；"
    "会议场次目标值20场、实际值20场，指标完成率为100%。"
)

Row = tuple[str, str, str | None, str | None, str | None, str, str | None]


def report_text(indicators: str) -> str:
    text = SYNTHETIC.read_text(encoding="utf-8")
    assert STATED in text
    return text.replace(STATED, indicators)


def imported(indicators: str) -> Imported:
    return import_report_text(report_text(indicators))


def read_back(found: Imported) -> list[Row]:
    """The draft's indicators as validate reads them: name, category, target, actual, unit,
    direction, rate."""
    validation = validate_text(draft_text(found), "draft.yaml")
    assert not [f.as_text() for f in validation.findings if f.is_error]
    assert validation.report is not None
    return [
        (
            i.name,
            i.category,
            None if i.target is None else str(i.target),
            None if i.actual is None else str(i.actual),
            i.unit,
            i.direction,
            None if i.rate is None else str(i.rate),
        )
        for i in validation.report.indicators
    ]


SIGNED_UP = ("家庭医生签约服务人数", "output", "45", "46.8", "万人", "positive", "104")
MATERNAL = ("孕产妇死亡率", "outcome", "10", "8.2", "/10万", "negative", "121.95")


def test_a_lead_in_naming_one_indicator_is_its_name() -> None:
    found = imported(
        "产出指标完成情况：\n"
        "（1）家庭医生签约服务人数：目标值45万人，实际完成46.8万人，完成率104%。\n"
        "（2）孕产妇死亡率指标：目标值≤10/10万，实际完成8.2/10万，完成率121.95%。\n"
        "效益指标：群众满意度：目标值90%，实际92.5%，完成率102.78%；"
        "65岁以上老年人健康管理率：目标值70%，实际完成72.5%，完成率103.57%。"
    )
    assert read_back(found) == [
        (*SIGNED_UP[:1], "other", *SIGNED_UP[2:]),
        (*MATERNAL[:1], "other", *MATERNAL[2:]),
        ("群众满意度", "outcome", "90", "92.5", "%", "positive", "102.78"),
        # the lead-in before the first name (效益指标) holds for the second
        ("65岁以上老年人健康管理率", "outcome", "70", "72.5", "%", "positive", "103.57"),
    ]
    assert not [n for n in found.notes if "indicators" in n]


def test_a_lead_in_with_an_ascii_colon_names_its_indicator_too() -> None:
    found = imported(
        "效益指标:孕产妇死亡率:目标值≤10/10万，实际完成8.2/10万，完成率121.95%；"
        "家庭医生签约服务人数: 目标值45万人，实际完成46.8万人，完成率104%。"
    )
    assert read_back(found) == [MATERNAL, (*SIGNED_UP[:1], "outcome", *SIGNED_UP[2:])]


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        (  # the name a clause of its own, three clauses before the rate
            "产出指标：家庭医生签约服务人数，目标值45万人，实际完成46.8万人，完成率104%。",
            [SIGNED_UP],
        ),
        (  # “指标” after the name
            "产出指标：家庭医生签约服务人数指标，目标值45万人，实际完成46.8万人，完成率104%。",
            [SIGNED_UP],
        ),
        (  # the actual value before the target
            "产出指标：家庭医生签约服务人数，实际完成46.8万人，目标值45万人，完成率104%。",
            [SIGNED_UP],
        ),
        (  # the rate before target and actual
            "产出指标：家庭医生签约服务人数，完成率104%，目标值45万人，实际完成46.8万人。",
            [SIGNED_UP],
        ),
        (  # target and actual in brackets, after the rate or before it
            "产出指标：家庭医生签约服务人数完成率104%（目标值45万人，实际完成46.8万人）；"
            "家庭医生签约服务人数（目标值45万人，实际完成46.8万人），完成率104%。",
            [SIGNED_UP, SIGNED_UP],
        ),
        (  # two in one sentence, the second's name holding digits
            "产出指标：家庭医生签约服务人数，目标值45万人，实际完成46.8万人，完成率104%，"
            "65岁以上老年人健康管理率，目标值70%，实际完成值72.5%，完成率103.57%。",
            [
                SIGNED_UP,
                ("65岁以上老年人健康管理率", "output", "70", "72.5", "%", "positive", "103.57"),
            ],
        ),
        (  # a name with digits and its actual value, then the target
            "产出指标：65岁以上老年人健康管理率72.5%，目标值70%，完成率103.57%。",
            [("65岁以上老年人健康管理率", "output", "70", "72.5", "%", "positive", "103.57")],
        ),
        (  # the target as 年度目标值 or 计划, the actual value as 完成
            "产出指标：家庭医生签约服务人数，年度目标值45万人，实际完成46.8万人，完成率104%；"
            "家庭医生签约服务人数，计划45万人，完成46.8万人，完成率104%。",
            [SIGNED_UP, SIGNED_UP],
        ),
        (  # the name in quotation marks, after the marker of a joined entry
            "产出指标：一是“家庭医生签约服务人数”指标，目标值为45万人，实际值为46.8万人，完成率为104%。",
            [SIGNED_UP],
        ),
        (  # a bound after the figure, no part of its unit
            "产出指标：家庭医生签约服务人数，目标值45万人以上，实际完成46.8万人，完成率104%；"
            "效益指标：孕产妇死亡率，目标值10/10万以下，实际完成8.2/10万，完成率121.95%。",
            [SIGNED_UP, MATERNAL],
        ),
        (  # 实际 and a verb before the actual value, the target named after the name
            "产出指标：家庭医生签约服务人数目标45万人，实际签约46.8万人，完成率104%；"
            "家庭医生签约服务人数目标45万人，实际签约数为46.8万人，完成率104%。",
            [SIGNED_UP, SIGNED_UP],
        ),
        (  # a unit per 100,000, a “≤” target
            "效益指标：孕产妇死亡率，目标值≤10/10万，实际完成8.2/10万，完成率121.95%。",
            [MATERNAL],
        ),
        (  # as pdftotext gives it: spaces between digits and words
            "效益指标：孕产妇死亡率，目标值≤10/10 万，实际完成8.2/10 万，完成率 121.95%。",
            [MATERNAL],
        ),
        (  # when it was reached, with pdftotext's spaces in the date
            "产出指标：家庭医生签约服务人数，目标值 45 万人，截至 2024 年 12 月 31 日实际完成 46.8 万人，"
            "完成率 104%；家庭医生签约服务人数目标值45万人，截至 12 月 底 实际完成46.8万人，完成率104%。",
            [SIGNED_UP, SIGNED_UP],
        ),
        (  # a unit of four characters
            "产出指标：辖区环境卫生保洁面积：目标值≥120万平方米，实际完成125万平方米，完成率104.17%。",
            [("辖区环境卫生保洁面积", "output", "120", "125", "万平方米", "positive", "104.17")],
        ),
    ],
)
def test_an_indicator_is_read_with_its_name_and_unit(stated: str, expected: list[Row]) -> None:
    found = imported(stated)
    assert read_back(found) == expected
    assert not [n for n in found.notes if "indicators" in n]


def test_the_unit_prints_in_the_indicator_table(tmp_path: Path) -> None:
    stated = "效益指标：孕产妇死亡率，目标值≤10/10万，实际完成8.2/10万，完成率121.95%。"
    rendered = render_draft(draft_text(imported(stated)), tmp_path)
    at = rendered.index("孕产妇死亡率")
    assert rendered[at : at + 4] == ["孕产妇死亡率", "≤10/10万", "8.2/10万", "121.95%"]


@pytest.mark.parametrize(
    ("stated", "why", "figures"),
    [
        (
            "产出指标：目标值45万人，实际完成46.8万人，完成率104%。",
            "没有找到指标名称",
            ["目标值45万人", "实际完成46.8万人", "完成率104%"],
        ),
        (
            "产出指标：家庭医生签约服务人数，目标值45万人，实际完成468,000人，完成率104%。",
            "目标值与实际值的单位不同（万人、人）",
            ["目标值45万人", "实际完成468,000人", "完成率104%"],
        ),
    ],
)
def test_an_indicator_the_draft_cannot_hold_is_said(
    stated: str, why: str, figures: list[str], tmp_path: Path
) -> None:
    found = imported(stated)
    assert read_back(found) == []
    sentence = stated.removeprefix("产出指标：")
    sentence = f"产出指标：{sentence}"
    assert [n for n in found.notes if "indicators" in n] == [
        f"原文“{sentence}”中的指标{why}，未写入 indicators，正文保留原文；"
        "如要核对其完成率，请在 indicators 中补上这一项"
    ]
    source = tmp_path / "report.txt"
    source.write_text(report_text(stated), encoding="utf-8")
    audit = audit_file(source)
    # no rule checks them: the coverage counts them among the figures not checked
    assert [u.key for u in audit.unchecked[-3:]] == [f"原文“{figure}”" for figure in figures]


def test_audit_checks_the_indicators_of_a_correct_report(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(
        report_text(
            "产出指标：家庭医生签约服务人数，目标值45万人，实际完成46.8万人，完成率104%；"
            "效益指标：孕产妇死亡率，目标值≤10/10万，实际完成8.2/10万，完成率121.95%。"
        ),
        encoding="utf-8",
    )
    audit = audit_file(source)
    assert audit.ok and audit.slips == []
    assert [p for p in audit.checked if p.startswith("indicators")] == [
        f"indicators[{n}].{key}" for n in (0, 1) for key in ("target", "actual", "rate")
    ]
    source.write_text(source.read_text(encoding="utf-8").replace("121.95%", "112.95%"))
    [slip] = audit_file(source).slips
    assert slip.as_text("r").splitlines() == [
        "r: 错误 R205 indicators[1].rate: 孕产妇死亡率完成率 112.95% ≠ 目标值 10 ÷ 实际值 8.2"
        "（反向指标） = 121.95%",
        "    应为 121.95%，原文为 112.95%",
        "    原文：“效益指标：孕产妇死亡率，目标值≤10/10万，实际完成8.2/10万，完成率112.95%。”",
    ]


def test_a_rendered_report_read_back_states_each_indicator_once() -> None:
    """A report reportgen printed (as pdftotext gives it): the table's rows and the prose's
    sentences are the same indicators."""
    text = report_text(
        "产出指标：65 岁以上老年人健康管理率，目标值 70%，实际完成 72.5%，完成率 103.57%；"
        "效益指标：孕产妇死亡率，目标值≤10/10 万，实际完成8.2/10 万，完成率 121.95%。\n"
        "指标名称                      目标值      实际值      完成率\n"
        "65 岁以上老年人健康管理率     70%         72.5%       103.57%\n"
        "孕产妇死亡率                  ≤10         8.2         121.95%\n"
    )
    assert read_back(import_report_text(text)) == [
        ("65 岁以上老年人健康管理率", "output", "70", "72.5", "%", "positive", "103.57"),
        MATERNAL,
    ]


# ---- an indicator table copied from Word: its cells parted by tabs ------------------------------

TAB_TABLE = (
    "主要绩效指标完成情况如下表：\n"
    "指标名称\t目标值\t实际完成值\t完成率\n"
    "辖区环境卫生专项整治次数\t≥24次\t26次\t108.33%\n"
    "网格化巡查事件办结率\t95%\t98.6%\t103.79%\n"
    "孕产妇死亡率\t≤10/10万\t8.2/10万\t121.95%\n"
)


def test_an_indicator_table_parted_by_tabs_is_read(tmp_path: Path) -> None:
    found = imported(TAB_TABLE)
    assert read_back(found) == [
        ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", "108.33"),
        ("网格化巡查事件办结率", "other", "95", "98.6", "%", "positive", "103.79"),
        ("孕产妇死亡率", "other", "10", "8.2", "/10万", "negative", "121.95"),
    ]
    assert [n for n in found.notes if "指标表" in n] == []  # “≥” is kept: nothing to say
    assert [i.get("sign") for i in found.facts.indicators] == ["≥", None, "≤"]
    rendered = render_draft(draft_text(found), tmp_path)
    assert not [line for line in rendered if "\t" in line]  # the rows, printed once, as a table
    at = rendered.index("辖区环境卫生专项整治次数")
    assert rendered[at : at + 12] == [
        "辖区环境卫生专项整治次数",
        "≥24次",  # as published
        "26次",
        "108.33%",
        "网格化巡查事件办结率",
        "95%",
        "98.6%",
        "103.79%",
        "孕产妇死亡率",
        "≤10/10万",
        "8.2/10万",
        "121.95%",
    ]


def test_audit_checks_a_table_parted_by_tabs(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(report_text(TAB_TABLE.replace("\t108.33%", "\t118.33%")), encoding="utf-8")
    audit = audit_file(source)
    assert [p for p in audit.checked if p.startswith("indicators")] == [
        f"indicators[{n}].{key}" for n in (0, 1, 2) for key in ("target", "actual", "rate")
    ]
    assert [slip.as_text("r").splitlines()[0] for slip in audit.slips] == [
        "r: 错误 R205 indicators[0].rate: 辖区环境卫生专项整治次数完成率 118.33% ≠ 实际值 26 ÷ 目标值 24 = 108.33%"
    ]


@pytest.mark.parametrize(
    ("row", "expected", "note", "unchecked"),
    [
        (  # an empty cell stays under its heading
            "辖区环境卫生专项整治次数\t\t26次\t108.33%",
            ("辖区环境卫生专项整治次数", "other", None, "26", "次", "positive", "108.33"),
            None,
            [],
        ),
        (
            "辖区环境卫生专项整治次数\t全年24次以上\t26次\t108.33%",
            ("辖区环境卫生专项整治次数", "other", None, "26", "次", "positive", "108.33"),
            "指标表“辖区环境卫生专项整治次数”一行的目标值“全年24次以上”不是数值，生成的指标表中印作“—”",
            ["原文“全年24次以上”"],
        ),
        (
            "辖区环境卫生专项整治次数\t24次以上\t26次\t108.33%",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", "108.33"),
            "指标表“辖区环境卫生专项整治次数”一行的目标值为“24次以上”，生成的指标表中不印“以上”",
            [],
        ),
        (
            "孕产妇死亡率\t10/10万以下\t8.2/10万\t121.95%",
            ("孕产妇死亡率", "other", "10", "8.2", "/10万", "negative", "121.95"),
            "指标表“孕产妇死亡率”一行的目标值为“10/10万以下”，生成的指标表中“以下”印作目标值前的“≤”",
            [],
        ),
        (
            "辖区环境卫生专项整治次数\t2.4万次\t26次\t108.33%",
            ("辖区环境卫生专项整治次数", "other", None, None, None, "positive", "108.33"),
            "指标表“辖区环境卫生专项整治次数”一行的目标值与实际值单位不同（“2.4万次”、“26次”），"
            "未写入 target、actual，生成的指标表中印作“—”",
            ["原文“2.4万次”", "原文“26次”"],
        ),
        (  # the rate's figure wrapped onto the line above, “%” alone left in its cell
            "辖区环境卫生专项整治次数\t≥24次\t26次\t%",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", None),
            "指标表“辖区环境卫生专项整治次数”一行的完成率“%”不是数值，未写入 rate",
            [],
        ),
        (
            "辖区环境卫生专项整治次数\t≥24次\t26次\t超额完成",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", None),
            "指标表“辖区环境卫生专项整治次数”一行的完成率“超额完成”不是数值，未写入 rate",
            [],
        ),
        (
            "辖区环境卫生专项整治次数\t≥24次\t26次\t108.33%以上",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", None),
            "指标表“辖区环境卫生专项整治次数”一行的完成率“108.33%以上”不是数值，未写入 rate",
            ["原文“108.33%以上”"],
        ),
        (
            "辖区环境卫生专项整治次数\t≥24次\t26次\t百分之一百零八点三三",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", "108.33"),
            None,
            [],
        ),
        (  # a rate's column states per cent: the sign may be left out
            "辖区环境卫生专项整治次数\t≥24次\t26次\t１０８．３３ ％",
            ("辖区环境卫生专项整治次数", "other", "24", "26", "次", "positive", "108.33"),
            None,
            [],
        ),
    ],
)
def test_what_a_table_row_cannot_print_as_published_is_said(
    row: str, expected: Row, note: str | None, unchecked: list[str], tmp_path: Path
) -> None:
    table = "指标名称\t目标值\t实际完成值\t完成率\n" + row + "\n"
    found = imported(table)
    assert read_back(found) == [expected]
    assert [n for n in found.notes if "指标表" in n] == ([note] if note else [])
    source = tmp_path / "report.txt"
    source.write_text(report_text(table), encoding="utf-8")
    keys = [figure.key for figure in audit_file(source).unchecked]
    assert [key for key in keys if key.startswith("原文")] == unchecked


# as pdftotext -layout gives a Word table whose narrow cells wrap onto a second line
_WRAPPED_TABLE = """主要绩效指标完成情况见下表：

一级指标    二级指标          三级指标     年度目标值      实际完成值       完成率

产出指标    数量指标          新建改扩建    5所         5所          100%
                      学校数

产出指标    质量指标          义务教育巩    ≥99%       99.6%       100.61%
                      固率

效益指标    社会效益指         新增学位数    6,000 个    6,480 个     108%
        标

满意度指标   服务对象满         家长满意度    ≥90%       95.2%       105.78%
        意度指标
"""


def test_a_laid_out_table_whose_cells_wrap_onto_a_second_line_is_read_whole() -> None:
    """A wrapped cell's rest stands alone on the line below, under its column: it is joined
    to the cell above (the table ended at the first such line, its other rows unread, the
    first indicator named “新建改扩建”)."""
    found = imported(_WRAPPED_TABLE)
    assert read_back(found) == [
        ("新建改扩建学校数", "output", "5", "5", "所", "positive", "100"),
        ("义务教育巩固率", "output", "99", "99.6", "%", "positive", "100.61"),
        ("新增学位数", "outcome", "6000", "6480", "个", "positive", "108"),
        ("家长满意度", "satisfaction", "90", "95.2", "%", "positive", "105.78"),
    ]


# ---- the reason a missed target was given: tied to its indicator, or to none -----------------

TRAINING = "培训人数目标值80人次、实际值70人次，指标完成率为87.5%"  # missed
MEETINGS = "会议场次目标值20场、实际值18场，指标完成率为90%"  # missed
MET = "会议场次目标值20场、实际值20场，指标完成率为100%"


def reasons(indicators: str) -> dict[str, str | None]:
    """Each indicator's reason as the import reads it, by name."""
    return {i["name"]: i.get("reason") for i in imported(indicators).facts.indicators}


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        (  # each followed by its own
            f"产出指标完成情况：{TRAINING}，主要原因是部分培训改为线上；{MEETINGS}，"
            "主要原因是场地调整。",
            {"培训人数": "主要原因是部分培训改为线上", "会议场次": "主要原因是场地调整"},
        ),
        (  # the reason after the second is the second's, not the first's too
            f"产出指标完成情况：{TRAINING}；{MEETINGS}，主要原因是场地调整。",
            {"培训人数": None, "会议场次": "主要原因是场地调整"},
        ),
        (  # a reason naming its indicator goes to it, wherever it stands in the paragraph
            f"产出指标完成情况：{TRAINING}；{MET}。培训人数未完成的原因是部分培训改为线上。",
            {"培训人数": "培训人数未完成的原因是部分培训改为线上", "会议场次": None},
        ),
        (  # one naming the other indicator is not the first's
            f"产出指标完成情况：{TRAINING}；{MEETINGS}。会议场次未达到目标的原因是场地调整。",
            {"培训人数": None, "会议场次": "会议场次未达到目标的原因是场地调整"},
        ),
        (  # after an indicator that met its target, an unnamed reason is that one's: none missed
            f"产出指标完成情况：{TRAINING}；会议场次目标值20场、实际值25场，指标完成率为125%，"
            "主要原因是临时增加专题会议。",
            {"培训人数": None, "会议场次": None},
        ),
        (  # a reason in its own sentence right after the indicator
            f"产出指标完成情况：{MET}；{TRAINING}。未完成原因：部分培训改为线上。",
            {"会议场次": None, "培训人数": "未完成原因：部分培训改为线上"},
        ),
    ],
    ids=["each-its-own", "the-nearer", "named", "named-other", "after-a-met-one", "own-sentence"],
)
def test_a_reason_goes_to_the_indicator_it_is_tied_to(
    stated: str, expected: dict[str, str | None]
) -> None:
    assert reasons(stated) == expected


def test_an_unattached_reason_leaves_the_missed_indicator_to_audit(tmp_path: Path) -> None:
    """Its reason not given, the missed indicator is R206's, the other one's reason is kept."""
    path = tmp_path / "report.txt"
    path.write_text(report_text(f"产出指标完成情况：{TRAINING}；{MEETINGS}，主要原因是场地调整。"))
    assert [s.as_text("r").splitlines()[0] for s in audit_file(path).slips] == [
        "r: 错误 R206 indicators[0]: 培训人数完成率 87.50% 未达到目标，原文没有写明未完成的原因"
    ]


def test_a_reason_in_a_later_paragraph_naming_its_indicator_goes_to_it() -> None:
    stated = f"产出指标完成情况：{TRAINING}；{MEETINGS}。\n"
    later = "培训人数未完成的主要原因是部分培训改为线上。另有部分工作由于场地调整推迟。"
    assert reasons(stated + later) == {
        "培训人数": "培训人数未完成的主要原因是部分培训改为线上",
        "会议场次": None,  # the other reason names no indicator, in a paragraph of its own
    }
