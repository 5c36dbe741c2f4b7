"""``${…}`` anywhere in the facts' text is checked like the sections' and printed filled in."""

from __future__ import annotations

from pathlib import Path

from reportgen.check.validate import validate_text
from tests.conftest import COMPLETE, mutated_text
from tests.readback import load_example, render_data, texts


def findings(mutation: dict[str, object]) -> list[str]:
    text = mutated_text(COMPLETE, mutation)
    return [f.as_text() for f in validate_text(text, "case.yaml").findings]


def test_an_unknown_placeholder_in_a_key_task_is_an_error_at_its_line() -> None:
    assert findings({"key_tasks.items[0].text": "完成${budget.nosuch}项编审"}) == [
        "case.yaml:62:11 错误 R003 key_tasks.items[0].text: 引用了不存在的数据“${budget.nosuch}”",
    ]


def test_placeholders_in_indicators_and_names_are_checked() -> None:
    assert findings(
        {
            "indicators[0].name": "${yaer}年评审项目数",
            "score.components[0].name": "履职效能${score.total",
        }
    ) == [
        "case.yaml:51:11 错误 R003 score.components[0].name: "
        "“${”没有对应的“}”：占位符应写成 ${路径}；要写字面的 ${ 请写 $${",
        "case.yaml:67:9 错误 R003 indicators[0].name: "
        "引用了不存在的数据“${yaer}”（是否想写“${year}”？）",
    ]


def test_the_department_takes_no_placeholder() -> None:
    assert findings({"department": "${year}示例区财政局"}) == [
        "case.yaml:2:13 错误 R003 department: 此处不能使用占位符 ${…}（它用于文件名和标题）；"
        "请直接写出文字",
    ]


def test_facts_print_with_their_placeholders_filled_once(tmp_path: Path) -> None:
    data = load_example("nansha-party-office-2023")
    data["indicators"][1]["name"] = "${year}年业务岗位培训人数"
    data["key_tasks"] = {
        "items": [{"name": "${year}年综合经费", "spending": "10.00", "text": "写作 $${x} 原样"}]
    }
    data["sections"]["effectiveness"] = [{"key_tasks": "items"}, {"indicators": "all"}]
    text = "\n".join(texts(render_data(data, tmp_path)))
    assert "2023年业务岗位培训人数88人次" in text
    assert "2023年综合经费" in text
    assert "支出 10.00万元，写作 ${x} 原样。" in text
    assert "${year}" not in text
