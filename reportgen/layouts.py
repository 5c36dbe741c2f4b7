"""The built-in layouts: their template, chapters and sections, and which sections are required."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Chapter:
    """A 一、 chapter: its title and either （一） sections or one body printed under it."""

    title: str
    sections: tuple[tuple[str, str], ...] = ()  # (section key, heading)
    body: str | None = None  # a section key printed directly under the chapter heading


@dataclass(frozen=True)
class Layout:
    name: str
    template: str
    label: str
    chapters: tuple[Chapter, ...]
    required: frozenset[str]

    @property
    def sections(self) -> dict[str, str]:
        """Section key → heading, in print order."""
        found: dict[str, str] = {}
        for chapter in self.chapters:
            found.update(chapter.sections)
            if chapter.body is not None:
                found[chapter.body] = chapter.title
        return found


_PROBLEMS = Chapter("存在的主要问题", body="problems")
_MEASURES = Chapter("下一步改进措施", body="measures")
_EVALUATION = Chapter(
    "绩效自评情况",
    (("conclusion", "自评结论"), ("effectiveness", "履职效能分析"), ("efficiency", "管理效率分析")),
)
_DEFAULT_REQUIRED = frozenset(
    {
        "functions",
        "annual_work",
        "performance_management",
        "effectiveness",
        "efficiency",
        "problems",
        "measures",
    }
)

LAYOUTS: dict[str, Layout] = {
    "default": Layout(
        name="default",
        template="default.docx",
        label="通用版式（部门基本情况 / 绩效自评情况）",
        chapters=(
            Chapter(
                "部门基本情况",
                (
                    ("functions", "部门职能"),
                    ("annual_work", "年度总体工作和重点工作任务"),
                    ("goals", "部门整体支出绩效目标"),
                    ("finance", "部门整体收支情况"),
                    ("performance_management", "部门整体绩效管理情况"),
                ),
            ),
            _EVALUATION,
            _PROBLEMS,
            _MEASURES,
        ),
        required=_DEFAULT_REQUIRED,
    ),
    "panyu": Layout(
        name="panyu",
        template="panyu.docx",
        label="番禺版式（绩效目标在年度工作之前）",
        chapters=(
            Chapter(
                "部门基本情况",
                (
                    ("functions", "部门职能"),
                    ("goals", "部门整体支出绩效目标"),
                    ("annual_work", "年度总体工作和重点工作"),
                    ("finance", "部门整体收支情况"),
                    ("performance_management", "部门整体绩效管理情况"),
                ),
            ),
            _EVALUATION,
            _PROBLEMS,
            _MEASURES,
        ),
        required=_DEFAULT_REQUIRED,
    ),
    "huadu": Layout(
        name="huadu",
        template="huadu.docx",
        label="花都版式（基本情况 / 综合评价分析）",
        chapters=(
            Chapter(
                "基本情况",
                (
                    ("functions", "部门概况"),
                    ("annual_work", "年度总体工作和重点工作任务"),
                    ("finance", "部门整体收支情况"),
                    ("performance_management", "部门整体绩效管理情况"),
                ),
            ),
            Chapter(
                "综合评价分析",
                (
                    ("conclusion", "自评结论综述"),
                    ("effectiveness", "各项工作任务绩效目标完成情况分析"),
                    ("project_spending", "各重点任务项目支出完成情况分析"),
                    ("achievements", "主要工作成效"),
                ),
            ),
            _PROBLEMS,
            _MEASURES,
        ),
        required=frozenset(
            {
                "functions",
                "annual_work",
                "performance_management",
                "effectiveness",
                "problems",
                "measures",
            }
        ),
    ),
}

# Sections the renderer writes from the facts when the YAML leaves them out.
GENERATED_SECTIONS = frozenset({"finance", "conclusion"})
# Sections printed directly under a 一、 heading number their items （一）, not 1.
CHAPTER_LEVEL_SECTIONS = frozenset({"problems", "measures"})


def templates_dir() -> Path:
    """The built-in templates: shipped in the wheel, or ``templates/`` of a source checkout."""
    packaged = Path(str(resources.files("reportgen"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_path(layout: Layout) -> Path:
    return templates_dir() / layout.template
