"""The 落款 a report ends with (the unit's name and the date, alone on the last lines): kept as
text where it stands, said to be the 落款 in the draft's notes and at its line; reportgen's
layouts print none."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.check.validate import validate_text
from reportgen.findings import format_path
from reportgen.importer import import_report
from reportgen.importer.draft import draft_text
from reportgen.importer.outline_notes import signature
from reportgen.importer.signature import Signature
from reportgen.importer.source import SourceParagraph

SIGNED = """2024年度测试局部门整体支出绩效自评报告
一、部门基本情况
（一）部门职能
测试局（以下简称“区测试局”）是区政府工作部门，主要负
责全区测试工作的组织实施和测试机构的监督管理等工作。
（二）年度总体工作和重点工作任务
全年完成测试任务，测试覆盖全区所有街道和重点企业，
全年支出1,000.00万元，自评得分95.00分。
二、下一步改进措施
（一）加强预算执行监控
建立项目支出月度通报机制，对执行进度滞后的项目及时
约谈、督促，提高支出均衡性。
（二）提高绩效目标编制质量
组织业务科室开展绩效目标编制培训，推动指标量化、细化。
测试局
2025年3月18日
"""
NOTE = (
    "原文末尾的“测试局”“2025年3月18日”是落款（单位名称和日期）：reportgen 的版式不印落款，"
    "这两行作为正文留在“下一步改进措施”一节的末尾，照原文的文字印出（正文的格式，不像落款那样右对齐）；"
    "不需要时请删去"
)


def test_the_signature_is_kept_as_text_and_said_at_its_line(tmp_path: Path) -> None:
    source = tmp_path / "report.txt"
    source.write_text(SIGNED, encoding="utf-8")
    imported = import_report(source)
    assert imported.notes == [NOTE]
    draft = draft_text(imported)
    assert draft.split("  measures:\n", 1)[1] == (
        "    - title: 加强预算执行监控\n"
        "      body:\n"
        "        - 建立项目支出月度通报机制，对执行进度滞后的项目及时约谈、督促，提高支出均衡性。\n"
        "    - title: 提高绩效目标编制质量\n"
        "      body:\n"
        "        - 组织业务科室开展绩效目标编制培训，推动指标量化、细化。\n"
        f"        - 测试局  # 【待核对】{NOTE}\n"
        "        - 2025年3月18日\n"
        "\n"
    )
    # the first paragraph also starts with the unit's name: the note is not put there
    assert "    - 测试局（以下简称“区测试局”）是区政府工作部门，" in draft
    assert "    - 测试局（以下简称“区测试局”）是区政府工作部门，主要负责全区测试工作的" in draft
    [warning] = [f for f in validate_text(draft, "d.yaml").findings if f.code == "R012"]
    assert format_path(warning.path) == "sections.measures[1].body[1]"
    assert warning.message == f"导入时{NOTE}（核对后删去这一行的“# 【待核对】……”注释）"


def paragraphs(*texts: str) -> list[SourceParagraph]:
    return [SourceParagraph(text, index=n) for n, text in enumerate(texts)]


@pytest.mark.parametrize(
    ("texts", "found"),
    [
        (("正文。", "测试局", "2025年3月18日"), Signature((1, 2), ("测试局", "2025年3月18日"))),
        (("正文。", "测试局 2025年3月18日"), Signature((1,), ("测试局 2025年3月18日",))),
        (
            ("正文。", "中共某某区委宣传部", "某某区卫生健康局", "二〇二五年三月十八日"),
            Signature(
                (1, 2, 3), ("中共某某区委宣传部", "某某区卫生健康局", "二〇二五年三月十八日")
            ),
        ),
        (("正文。", "２０２５年３月"), Signature((1,), ("２０２５年３月",))),
        (("今后，本局将继续加强管理。", "2025年3月18日"), Signature((1,), ("2025年3月18日",))),
        (("正文。", "测试局"), None),  # no date
        (("全年支出截至2024年12月31日",), None),  # a sentence ending in a date
        (("正文。", "经研究，测试局", "2025年3月18日"), Signature((2,), ("2025年3月18日",))),
    ],
)
def test_what_is_a_signature(texts: tuple[str, ...], found: Signature | None) -> None:
    assert signature(paragraphs(*texts), "测试局") == found
