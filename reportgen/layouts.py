"""The built-in layouts: which template each uses and which sections it prints or requires."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class Layout:
    name: str
    template: str
    label: str
    # section key → heading, in the order the template prints them
    sections: dict[str, str]
    required: frozenset[str]


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
        sections={
            "functions": "部门职能",
            "annual_work": "年度总体工作和重点工作任务",
            "goals": "部门整体支出绩效目标",
            "finance": "部门整体收支情况",
            "performance_management": "部门整体绩效管理情况",
            "conclusion": "自评结论",
            "effectiveness": "履职效能分析",
            "efficiency": "管理效率分析",
            "problems": "存在的主要问题",
            "measures": "下一步改进措施",
        },
        required=_DEFAULT_REQUIRED,
    ),
    "panyu": Layout(
        name="panyu",
        template="panyu.docx",
        label="番禺版式（绩效目标在年度工作之前）",
        sections={
            "functions": "部门职能",
            "goals": "部门整体支出绩效目标",
            "annual_work": "年度总体工作和重点工作",
            "finance": "部门整体收支情况",
            "performance_management": "部门整体绩效管理情况",
            "conclusion": "自评结论",
            "effectiveness": "履职效能分析",
            "efficiency": "管理效率分析",
            "problems": "存在的主要问题",
            "measures": "下一步改进措施",
        },
        required=_DEFAULT_REQUIRED,
    ),
    "huadu": Layout(
        name="huadu",
        template="huadu.docx",
        label="花都版式（基本情况 / 综合评价分析）",
        sections={
            "functions": "部门概况",
            "annual_work": "年度总体工作和重点工作任务",
            "finance": "部门整体收支情况",
            "performance_management": "部门整体绩效管理情况",
            "conclusion": "自评结论综述",
            "effectiveness": "各项工作任务绩效目标完成情况分析",
            "project_spending": "各重点任务项目支出完成情况分析",
            "achievements": "主要工作成效",
            "problems": "存在的主要问题",
            "measures": "下一步改进措施",
        },
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


def templates_dir() -> Path:
    """The built-in templates: shipped in the wheel, or ``templates/`` of a source checkout."""
    packaged = Path(str(resources.files("reportgen"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def template_path(layout: Layout) -> Path:
    return templates_dir() / layout.template
