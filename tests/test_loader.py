"""Loading YAML: exact Chinese messages at exact locations, and the marks of every node."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen.check.validate import validate_text
from reportgen.errors import UsageError
from reportgen.read.loader import load_file, load_text


def messages(text: str) -> list[str]:
    return [f.as_text() for f in load_text(text, "f.yaml").findings]


def test_marks_of_keys_and_values() -> None:
    doc = load_text("year: 2023\nbudget:\n  expenditure:\n    total: 4191.3\n", "f.yaml")
    assert doc.data == {"year": "2023", "budget": {"expenditure": {"total": "4191.3"}}}
    assert doc.value_marks[("budget", "expenditure", "total")] == (4, 12)
    assert doc.key_marks[("budget", "expenditure", "total")] == (4, 5)
    assert str(doc.locate(("budget", "expenditure", "missing"))) == "f.yaml:4:5"
    assert str(doc.locate(("budget", "expenditure", "missing"), key=True)) == "f.yaml:3:3"


def test_scalars_keep_their_source_text() -> None:
    doc = load_text("a: 4281.750\nb: 1e3\nc: ~\nd: true\ne: 2024-03-05\n", "f.yaml")
    assert doc.data == {"a": "4281.750", "b": "1e3", "c": None, "d": "true", "e": "2024-03-05"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a: 1\na: 2\n",
            "f.yaml:2:1 错误 E006 键“a”重复（第一次出现在第 1 行）；同一层的键只能出现一次",
        ),
        ("a:\n\tb: 1\n", "f.yaml:2:1 错误 E010 不能使用制表符（Tab）缩进或分隔，请改用空格"),
        (
            "a: b: c\n",
            "f.yaml:1:5 错误 E010 此处不能出现“: ”；文字中含半角冒号加空格时请给整段文字加引号",
        ),
        ('a: "x\n', "f.yaml:2:1 错误 E010 文件意外结束：引号或括号没有闭合"),
        (
            "a: 1\n---\nb: 2\n",
            "f.yaml:2:1 错误 E010 文件中只能有一个 YAML 文档（请删除“---”分隔的其余部分）",
        ),
        ("a: @x\n", "f.yaml:1:4 错误 E010 字符“@”不能出现在值的开头，请给这段文字加引号"),
        (
            "a: 中文\x0b\n",
            "f.yaml:1:6 错误 E010 含有不允许的控制字符 U+000B，请删除（常见于从 Word 复制的文字）",
        ),
        ("", "f.yaml:1:1 错误 E011 文件是空的，没有任何报告数据"),
        ("- 1\n- 2\n", "f.yaml:1:1 错误 E012 文件顶层应是“键: 值”形式的映射（例如 year: 2023）"),
        ("a: &x [1]\nb: *y\n", "f.yaml:2:4 错误 E010 引用了未定义的锚点“*y”"),
        ("<<: {a: 1}\n", "f.yaml:1:1 错误 E007 不支持合并键“<<”，请把内容直接写出"),
        (
            "year: 2023\n" + "长" * 1100 + ": 文字\n",
            "f.yaml:2:1 错误 E010 这一行冒号“:”之前的文字超过 1024 个字符，YAML 不把它当作键；"
            "键名请写短，长文字写在“键: ”之后",
        ),
    ],
    ids=[
        "duplicate-key",
        "tab",
        "colon",
        "unclosed-quote",
        "two-documents",
        "reserved-char",
        "control-char",
        "empty",
        "not-a-mapping",
        "undefined-alias",
        "merge-key",
        "key-too-long",
    ],
)
def test_syntax_problem_message(text: str, expected: str) -> None:
    assert messages(text) == [expected]


def test_every_duplicate_key_is_reported() -> None:
    found = messages("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
    assert [m.split(" 错误")[0] for m in found] == ["f.yaml:2:1", "f.yaml:5:3"]


def test_alias_bomb_is_refused() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        levels.append(
            f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]"
        )
    doc = load_text("\n".join(levels) + "\n", "f.yaml")
    assert doc.data is None
    assert [f.code for f in doc.findings] == ["E004"]


def test_recursive_alias_is_refused() -> None:
    doc = load_text("a: &a [*a]\n", "f.yaml")
    assert [f.code for f in doc.findings] == ["E004"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes("\ufeffyear: 2023\n".encode())
    assert load_file(path).data == {"year": "2023"}


def test_gbk_file_names_its_encoding(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes("year: 2023\ndepartment: 示例局\n".encode("gbk"))
    [finding] = load_file(path).findings
    assert str(finding.location) == f"{path}:2:13"
    assert finding.message.startswith("文件不是 UTF-8 编码，看起来是 GBK/GB18030 编码")


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    [finding] = load_file(path).findings
    assert finding.code == "E001"


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (3 * 1024 * 1024))
    [finding] = load_file(path).findings
    assert finding.code == "E003"


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="文件不存在"):
        load_file(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("year: 二〇二三\n", "f.yaml:1:7 错误 S003 year: 应为整数，实际为“二〇二三”"),
        ("year: 1899\n", "f.yaml:1:7 错误 S003 year: 应不小于 2000，实际为“1899”"),
        (
            "budget:\n  initial: [1]\n",
            "f.yaml:2:12 错误 S003 budget.initial: 应为金额（万元），实际是列表或映射",
        ),
        (
            "budget:\n  initial: -5\n",
            "f.yaml:2:12 错误 S003 budget.initial: 金额不能为负数，实际为 -5",
        ),
        (
            "budget:\n  initial: .nan\n",
            "f.yaml:2:12 错误 S003 budget.initial: 应为金额（万元），实际为“.nan”；不接受 NaN 或无穷大",
        ),
        ("budget:\n  budjet: 1\n", "f.yaml:2:3 错误 S002 budget.budjet: 未知的键“budjet”"),
        (
            "sections:\n  goals:\n    - {titel: x}\n",
            "f.yaml:3:8 错误 S002 sections.goals[0].titel: 未知的键“titel”（是否想写“title”？）",
        ),
        ("sections:\n  goals:\n    - 5: x\n", None),
        (
            'department: "a\\x01b"\n',
            "f.yaml:1:13 错误 S003 department: 文字中含有不允许的控制字符 U+0001（常见于从 Word 复制），请删除",
        ),
    ],
    ids=[
        "year-text",
        "year-range",
        "money-list",
        "money-negative",
        "nan",
        "unknown-key",
        "did-you-mean-in-narrative",
        "odd-block",
        "control-escape",
    ],
)
def test_schema_message(text: str, expected: str | None) -> None:
    found = [f.as_text() for f in validate_text(text, "f.yaml").findings]
    if expected is None:
        assert any("S00" in f for f in found)
    else:
        assert any(f.startswith(expected) for f in found), found


def test_missing_required_keys_point_at_their_parent() -> None:
    found = validate_text("year: 2023\nbudget:\n  initial: 1\n", "f.yaml").findings
    assert [(f.code, f.as_dict()["path"], f.location.line if f.location else 0) for f in found] == [
        # the required sections are reported in the same run as the missing facts
        *(
            ("R002", f"sections.{name}", 1)
            for name in (
                "functions",
                "annual_work",
                "performance_management",
                "effectiveness",
                "efficiency",
                "problems",
                "measures",
            )
        ),
        ("S001", "department", 1),
        ("S001", "score", 1),
        ("S001", "budget.expenditure", 2),
    ]
