"""Scoring profiles: how a 自评表 is scored, as data (``profiles/<name>.yaml`` beside the layouts).

A profile names the first-level blocks and their weights, the funds block's weight and rule, the
indicator rule, the grade bands and the platform rules a bureau switches on. It is loaded like an
outline: every mistake is a finding at its line in the file.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator
from pydantic_core import PydanticCustomError

from reportgen.findings import Finding, did_you_mean
from reportgen.model.amounts import Rate, Score
from reportgen.model.base import StrictModel, Text, empty_list
from reportgen.model.narrative import IndicatorCategory
from reportgen.model.report import Grade
from reportgen.read.loader import load_file

PROFILES_FOLDER = "profiles"
PROFILE_SUFFIX = ".yaml"
DEFAULT_PROFILE = "district"
QUALITY_LEVELS = (
    ("好", "较好", "一般", "较差", "差"),
    ("高", "较高", "中", "较低", "低"),
    ("健全", "基本健全", "不健全"),
    ("完善", "基本完善", "不完善"),
    ("达到预期", "基本达到预期", "未达到预期"),
)
_GRADE_BANDS: dict[Grade, Decimal] = {"优": Decimal(90), "良": Decimal(80), "中": Decimal(60)}


def _default_quality_levels() -> list[list[str]]:
    """Fresh copies (named functions: the model's validator is pickled, model/compiled.py)."""
    return [list(scale) for scale in QUALITY_LEVELS]


def _default_grade_bands() -> dict[Grade, Decimal]:
    return dict(_GRADE_BANDS)


class BlockSpec(StrictModel):
    """A first-level block (一级指标) of the table."""

    name: Text = Field(description="一级指标名称，如 产出指标")
    weight: Score = Field(description="分值")
    category: IndicatorCategory = Field(
        "other",
        description="报告中指标的类别：output 产出 | outcome 效益 | satisfaction 满意度 | other",
    )
    required: bool = Field(True, description="自评表中必须有这一级指标")
    groups: list[Text] = Field(
        default_factory=empty_list, description="常用的二级指标（导入时据此归类；不限制数据）"
    )


class FundsSpec(StrictModel):
    """The funds block (预算执行情况): its weight and which first-level block it counts in."""

    weight: Score | None = Field(None, description="分值；不计分时不写")
    block: Text = Field("预算执行", description="得分计入的一级指标（不是 blocks 之一时自成一块）")
    rule: Literal["rate_capped"] = Field(
        "rate_capped", description="rate_capped：得分 = 分值 × 执行率，不超过分值"
    )


class IndicatorRule(StrictModel):
    """How a 三级指标 is scored."""

    rule: Literal["proportional", "stated"] = Field(
        "proportional",
        description="proportional：达到目标得满分，未达到按完成率计分；stated：得分由部门填写",
    )
    quality_levels: list[list[Text]] = Field(
        default_factory=_default_quality_levels,
        description="定性指标的等级，由高到低；实际值不低于目标值的等级即为达到目标",
    )


class Deviation(StrictModel):
    """偏离: an actual value far beyond its target (the target was set too low)."""

    threshold: Rate = Field(Decimal(30), description="超出目标值的幅度（%）达到此数即为偏离")
    action: Literal["warning", "deduction"] = Field(
        "warning", description="warning：提示 | deduction：按 deduction_share 扣分"
    )
    deduction_share: Rate = Field(Decimal(0), description="扣分占该指标分值的比例（%）")


class CapBand(StrictModel):
    """Below this execution rate, the total is at most ``max``."""

    below: Rate = Field(description="执行率低于此数（%）")
    max: Score = Field(description="总分最高为")


class Switches(StrictModel):
    """The platform rules a bureau switches on."""

    reason_below_target: bool = Field(True, description="未达到目标的指标须写偏差原因")
    reason_below_execution: Rate | None = Field(
        Decimal(90), description="执行率低于此数（%）时须写原因；不要求时写 null"
    )
    reason_after_adjustment: bool = Field(True, description="年中调整了预算或指标值时须写原因")
    deviation: Deviation | None = Field(
        default_factory=Deviation, description="偏离的判定与处理；不检查时写 null"
    )
    cap_by_execution: list[CapBand] = Field(
        default_factory=empty_list, description="按执行率封顶总分的各档"
    )


class Profile(StrictModel):
    """A scoring profile file."""

    label: Text = Field(description="评分方案的中文说明，reportgen profile list 中显示")
    total: Score = Field(Decimal(100), description="总分")
    funds: FundsSpec = Field(default_factory=FundsSpec, description="预算执行情况一块")
    blocks: list[BlockSpec] = Field(min_length=1, description="一级指标，按印出的顺序")
    indicators: IndicatorRule = Field(default_factory=IndicatorRule, description="三级指标的计分")
    grade_bands: dict[Grade, Score] = Field(
        default_factory=_default_grade_bands,
        description="各等级的最低分；低于最后一档为“差”",
    )
    switches: Switches = Field(default_factory=Switches, description="平台规则开关")

    @model_validator(mode="after")
    def _weights_add_up(self) -> Profile:
        weights = sum((b.weight for b in self.blocks), Decimal(0))
        if self.funds.weight is not None and self.funds.block not in self.block_names:
            weights += self.funds.weight
        if weights != self.total:
            raise PydanticCustomError(
                "profile_weights",
                "各一级指标的分值（含预算执行）之和应为总分 {total}，实际为 {weights}",
                {"total": str(self.total), "weights": str(weights)},
            )
        return self

    @property
    def block_names(self) -> list[str]:
        return [b.name for b in self.blocks]

    def block(self, name: str) -> BlockSpec | None:
        return next((b for b in self.blocks if b.name == name), None)

    @property
    def funds_is_block(self) -> bool:
        """The funds score is its own first-level block (national: 预算执行 10)."""
        return self.funds.weight is not None and self.funds.block not in self.block_names


@dataclass(frozen=True)
class ProfileFile:
    """A profile as found: its file, where it was found, and the profile or its problems."""

    name: str
    path: Path
    origin: str
    profile: Profile | None
    problems: tuple[Finding, ...] = ()

    @property
    def label(self) -> str:
        return self.profile.label if self.profile is not None else "（评分方案有错误）"


def load_profile(path: Path) -> tuple[Profile | None, list[Finding]]:
    """Read and check a profile file: every mistake is a finding located in that file."""
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
    except OSError:
        key = (0, -1)  # load_file says why it cannot be read
    profile, problems = _load_profile(path, *key)
    return profile, list(problems)


# Each report of a batch reads its layout's profile: once per version of the file is enough.
@functools.lru_cache(maxsize=32)
def _load_profile(
    path: Path, mtime_ns: int, size: int
) -> tuple[Profile | None, tuple[Finding, ...]]:
    doc = load_file(path)
    if doc.data is None or doc.findings:
        return None, tuple(doc.findings)
    try:
        return Profile.model_validate(doc.data), ()
    except ValidationError as exc:
        from reportgen.model.schema_errors import translate

        return None, tuple(translate(exc, doc, _profile_keys))


_NESTED: dict[str, type[StrictModel]] = {
    "funds": FundsSpec,
    "blocks": BlockSpec,
    "indicators": IndicatorRule,
    "switches": Switches,
    "deviation": Deviation,
    "cap_by_execution": CapBand,
}


def _profile_keys(loc: tuple[Any, ...]) -> list[str]:
    model: type[StrictModel] = Profile
    for part in loc:
        if isinstance(part, str) and part in _NESTED:
            model = _NESTED[part]
    return list(model.model_fields)


def find_profiles(places: Sequence[tuple[Path, str]]) -> dict[str, tuple[Path, str]]:
    """Every profile name → its file, the first place that has it winning."""
    found: dict[str, tuple[Path, str]] = {}
    for place, origin in places:
        folder = place / PROFILES_FOLDER
        if not folder.is_dir():
            continue
        for path in sorted(folder.iterdir()):
            if path.suffix == PROFILE_SUFFIX and path.is_file():
                found.setdefault(path.stem, (path, origin))
    return found


def open_profile(name: str, places: Sequence[tuple[Path, str]]) -> ProfileFile | None:
    hit = find_profiles(places).get(name)
    if hit is None:
        return None
    profile, problems = load_profile(hit[0])
    return ProfileFile(name, hit[0], hit[1], profile, tuple(problems))


def all_profiles(places: Sequence[tuple[Path, str]]) -> Iterator[ProfileFile]:
    for name, (path, origin) in find_profiles(places).items():
        profile, problems = load_profile(path)
        yield ProfileFile(name, path, origin, profile, tuple(problems))


def suggestion(name: str, places: Sequence[tuple[Path, str]]) -> str:
    return did_you_mean(name, find_profiles(places))
