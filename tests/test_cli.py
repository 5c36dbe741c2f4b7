"""The command line: exit codes, messages on the right stream, and the acceptance checks."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from reportgen.cli.app import app, run_command
from reportgen.cli.line_breaks import NO_LINE_END, NO_LINE_START, words
from reportgen.findings import format_path
from reportgen.read.loader import load_file
from tests.conftest import COMPLETE, EXAMPLES, ROOT

runner = CliRunner()

# Per example, every stated figure that takes part in a sum or a rate.
RELATED_FIGURES = {
    "panyu-gov-office-2023.yaml": [
        "budget.initial",
        "budget.execution_rate",
        "budget.expenditure.total",
        "budget.expenditure.basic",
        "budget.expenditure.project.amount",
        "key_tasks.total",
        "key_tasks.items[0].spending",
        "key_tasks.items[1].spending",
    ],
    "huadu-gov-office-2022.yaml": [
        "budget.initial",
        "budget.execution_rate",
        "budget.expenditure.total",
        "budget.expenditure.basic.amount",
        "budget.expenditure.basic.execution_rate",
        "budget.expenditure.project.amount",
        "budget.expenditure.project.budget",
        "budget.expenditure.project.execution_rate",
    ],
    "conghua-archives-2023.yaml": [
        "budget.adjusted",
        "budget.execution_rate",
        "budget.expenditure.total",
        "budget.carryover.year_end",
        "budget.carryover.rate",
        "indicators[0].actual",
        "indicators[0].target",
        "indicators[0].rate",
    ],
    "nansha-party-office-2023.yaml": [
        "budget.expenditure.total",
        "budget.expenditure.basic.amount",
        "budget.expenditure.basic.personnel.amount",
        "budget.expenditure.basic.public.amount",
        "budget.expenditure.project.amount",
        "indicators[1].actual",
        "indicators[1].target",
        "indicators[1].rate",
    ],
}


def _path_tuple(dotted: str) -> tuple[str | int, ...]:
    parts: list[str | int] = []
    for piece in dotted.replace("]", "").split("."):
        name, *indices = piece.split("[")
        parts.append(name)
        parts += [int(i) for i in indices]
    return tuple(parts)


def _bump(text: str, line: int, column: int) -> str:
    """Add 1 to the number that starts at line:column (keeping a trailing %)."""
    lines = text.split("\n")
    row = lines[line - 1]
    head, tail = row[: column - 1], row[column - 1 :]
    number = ""
    while tail and (tail[0].isdigit() or tail[0] in ".,"):
        number, tail = number + tail[0], tail[1:]
    bumped = Decimal(number.replace(",", "")) + 1
    lines[line - 1] = f"{head}{bumped}{tail}"
    return "\n".join(lines)


def test_examples_validate_clean() -> None:
    result = runner.invoke(app, ["validate", *map(str, EXAMPLES)])
    assert result.exit_code == 0, result.output
    assert result.output.count("通过（0 个错误") == len(EXAMPLES)


def test_every_example_lists_its_related_figures() -> None:
    assert sorted(RELATED_FIGURES) == sorted(p.name for p in EXAMPLES)


@pytest.mark.parametrize(
    ("example", "dotted"),
    [(name, dotted) for name, paths in RELATED_FIGURES.items() for dotted in paths],
)
def test_changing_a_related_figure_is_caught_at_its_line(
    tmp_path: Path, example: str, dotted: str
) -> None:
    source = next(p for p in EXAMPLES if p.name == example)
    document = load_file(source)
    path = _path_tuple(dotted)
    line, column = document.value_marks[path]
    broken = tmp_path / example
    broken.write_text(_bump(source.read_text(encoding="utf-8"), line, column), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1, result.output
    named = [
        row
        for row in result.output.splitlines()
        if f"{broken}:{line}:" in row
        or f"{dotted} 第{line}行" in row
        or (f"{format_path(path)}.amount 第{line}行" in row)
    ]
    assert named, result.output
    assert "Traceback" not in result.output


def test_json_format_is_machine_readable(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        COMPLETE.read_text(encoding="utf-8").replace("total: 1140.00", "total: 1150.00"),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["validate", "--format", "json", str(broken), str(COMPLETE)])
    assert result.exit_code == 1
    report = json.loads(result.output)
    first, second = report["files"]
    # the total also feeds the execution rate and the carry-over rate: every relation is
    # reported; 11.40 ÷ 1150.00 = 0.99%, stated as 1.00%, is only a rounding slip
    assert (first["ok"], first["errors"], second["ok"]) == (False, 2, True)
    assert sorted((f["code"], f["severity"]) for f in first["findings"]) == [
        ("R101", "error"),
        ("R106", "error"),
        ("R108", "warning"),
    ]
    [finding] = [f for f in first["findings"] if f["code"] == "R101"]
    assert finding["code"] == "R101"
    assert finding["path"] == "budget.expenditure.total"
    assert finding["line"] == 24
    assert [r["path"] for r in finding["related"]] == [
        "budget.expenditure.basic.amount",
        "budget.expenditure.project.amount",
    ]


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    gap = tmp_path / "gap.yaml"
    gap.write_text(
        COMPLETE.read_text(encoding="utf-8").replace("total: 1140.00", "total: 1140.01"),
        encoding="utf-8",
    )
    assert runner.invoke(app, ["validate", str(gap)]).exit_code == 0
    strict = runner.invoke(app, ["validate", "--strict", str(gap)])
    assert strict.exit_code == 1
    assert "错误 R101" in strict.output


def test_unreadable_file_exits_2_and_other_files_are_still_checked(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path / "missing.yaml"), str(COMPLETE)])
    assert result.exit_code == 2
    assert f"{tmp_path / 'missing.yaml'}: 文件不存在" in result.output
    assert f"{COMPLETE}: 通过" in result.output


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert "这是一个目录" in result.output


def test_usage_error_exits_2() -> None:
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", "--format", "xml", str(COMPLETE)]).exit_code == 2


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        (
            "  total: 92.5",
            "  totl: 92.5",
            "错误 S002 score.totl: 未知的键“totl”（是否想写“total”？）",
        ),
        (
            "  initial: 1000.00",
            "  initial: 一千",
            "错误 S003 budget.initial: 应为金额（万元），实际为“一千”",
        ),
        (
            "  efficiency: 预算执行率为${budget.execution_rate}。\n",
            "",
            "错误 R002 sections.efficiency: 缺少必填的一节“管理效率分析”",
        ),
        ("year: 2024", "year: 2024: x", "错误 E010 此处不能出现“: ”"),
    ],
    ids=["misspelt-key", "text-for-number", "missing-section", "yaml-syntax"],
)
def test_bad_input_exits_1_with_a_located_chinese_message(
    tmp_path: Path, replace: str, by: str, expected: str
) -> None:
    text = COMPLETE.read_text(encoding="utf-8")
    assert replace in text
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace(replace, by), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(broken)])
    assert result.exit_code == 1
    assert expected in result.output
    assert f"{broken}:" in result.output
    assert "Traceback" not in result.output


def test_file_that_is_not_utf8_is_reported_with_its_encoding(tmp_path: Path) -> None:
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(COMPLETE.read_text(encoding="utf-8").encode("gb18030"))
    result = runner.invoke(app, ["validate", str(gbk)])
    assert result.exit_code == 1
    assert f"{gbk}:4:" in result.output
    assert "GBK/GB18030" in result.output


def test_render_refuses_invalid_data_and_writes_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        COMPLETE.read_text(encoding="utf-8").replace("grade: 优", "grade: 差"), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = runner.invoke(app, ["render", str(broken), "-o", str(out)])
    assert result.exit_code == 1
    assert "错误 R203" in result.output
    assert "有错误，未生成报告" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_render_writes_the_named_document(tmp_path: Path) -> None:
    result = runner.invoke(app, ["render", str(COMPLETE), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    expected = tmp_path / "2024年度广州市示例区财政局部门整体支出绩效自评报告.docx"
    assert f"已生成：{expected}" in result.output
    assert expected.is_file()
    assert [p.name for p in tmp_path.iterdir()] == [expected.name]


def test_render_with_missing_template_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "x.docx"
    result = runner.invoke(
        app, ["render", str(COMPLETE), "-o", str(tmp_path), "--template", str(missing)]
    )
    assert result.exit_code == 2
    assert result.output == f"错误：模板 {missing}: 文件不存在\n"
    assert list(tmp_path.iterdir()) == []


def test_help_is_chinese() -> None:
    result = runner.invoke(app, ["render", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "校验数据并生成 Word 报告" in result.output
    assert "使用自己的 .docx 模板" in result.output


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, as a user's shell runs it."""
    return subprocess.run(
        [sys.executable, "-m", "reportgen", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate"], "错误：缺少参数：文件"),
        (["validate", "--bogus", "x"], "错误：没有这个选项：--bogus"),
        (
            ["validate", "--format", "xml", "x"],
            "错误：--format / -f 的值“xml”无效，可选：text、json",
        ),
        (["rendr"], "错误：没有这个命令：rendr（是否想写 render？）"),
        # typer would take '' for the current folder and render every .yaml in it
        (["render", ""], "错误：第 2 个参数是空的（常见于引号中的变量没有值）"),
        (["render", "x.yaml", "-o", ""], "错误：第 4 个参数是空的"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(args: list[str], message: str) -> None:
    result = _run(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "查看帮助" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "x.txt", "--year", "abc"], "--year 的值“abc”无效，应为整数"),
        (["import", "x.txt", "--year", "2024.5"], "--year 的值“2024.5”无效，应为整数"),
        (["render", "x.yaml", "--jobs", "x"], "--jobs / -j 的值“x”无效，应为至少 1 的整数"),
        (["render", "x.yaml", "-j", "-3"], "--jobs / -j 的值“-3”无效，应为至少 1 的整数"),
        (["audit", "x.txt", "-f", "xml"], "--format / -f 的值“xml”无效，可选：text、json"),
        (["overview", "x", "--format", "pdf"], "--format / -f 的值“pdf”无效，可选：xlsx、csv"),
        (["render", "x.yaml", "--jobs"], "选项 --jobs 后面需要写一个值"),
        (["render", "x.yaml", "--pdf=yes"], "选项 --pdf 是开关，后面不能写值"),
        (["doctor", "extra"], "多出了参数：extra"),
        (["template", "chek"], "没有这个命令：chek（是否想写 check？）"),
        (["layout", "check"], "缺少参数：版式"),
        (["validate", "--strct", "x"], "没有这个选项：--strct（是否想写 --strict？）"),
    ],
)
def test_every_usage_error_is_chinese_and_names_the_option(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_command(args) == 2
    error, hint = capsys.readouterr().err.splitlines()
    assert error == f"错误：{message}"
    known = args[0] in {"template", "layout"} and args[1] == "check"  # not “template chek”
    command = " ".join(args[: 2 if known else 1])
    assert hint == f"运行“reportgen {command} -h”查看帮助。"


def test_help_screens_are_chinese() -> None:
    result = _run("render", "-h")
    assert result.returncode == 0
    for text in ("校验数据并生成 Word 报告", "选项", "参数", "显示帮助信息并退出"):
        assert text in result.stdout
    assert "用法：reportgen render [选项] {文件}..." in result.stdout
    assert re.search(r"--output\s+-o\s+路径\s+输出目录", result.stdout)
    assert re.search(r"--jobs\s+-j\s+整数\s+同时生成的进程数", result.stdout)
    assert re.search(r"--pdf\s+同时用 LibreOffice 生成 PDF", result.stdout)  # a flag: no value
    assert re.search(r"\*\s+文件\s+路径\.\.\.\s+报告数据 YAML", result.stdout)
    for english in ("Show this message", "Usage", "[OPTIONS]", "<bool>", "<path>", "<int>"):
        assert english not in result.stdout
    top = _run("-h")
    assert "用法：reportgen [选项] 命令 [参数]..." in top.stdout
    for group in ("template", "layout"):  # a group without its command shows its help
        shown = _run(group)
        assert shown.returncode == 2
        assert f"用法：reportgen {group} [选项] 命令 [参数]..." in shown.stdout
        for title in ("选项", "命令", "显示帮助信息并退出"):
            assert title in shown.stdout
        for english in ("Options", "Commands", "Usage", "Show this message"):
            assert english not in shown.stdout


def _every_command(
    group: Any, names: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    yield names, group
    for name, command in getattr(group, "commands", {}).items():
        yield from _every_command(command, (*names, name))


def test_a_narrow_terminal_wraps_help_without_cutting_a_word() -> None:
    """At 60 columns every command's and option's help is shown whole (rich breaks lines only at
    spaces: a Chinese sentence was cut off with “…”)."""

    def unboxed(text: str) -> str:
        return re.sub(r"[\s│╭╮╰╯─]", "", text)

    root = typer.main.get_command(app)
    for names, command in _every_command(root):
        result = subprocess.run(
            [sys.executable, "-m", "reportgen", *names, "-h"],
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "60"},
            check=False,
        )
        shown = unboxed(result.stdout)
        for param in command.params:
            if param.help:
                assert unboxed(param.help) in shown, (names, param.name)
        for sub in getattr(command, "commands", {}).values():
            assert unboxed((sub.help or "").split("\n\n")[0]) in shown, (names, sub.name)
        for line in result.stdout.splitlines():
            cells = [cell for cell in re.split(r"\s{2,}|│", line) if cell.strip()]
            if cells:
                assert cells[-1].strip()[0] not in NO_LINE_START, (names, line)
                assert cells[-1].strip()[-1] not in NO_LINE_END, (names, line)


def test_help_breaks_chinese_between_characters_but_not_before_a_pause() -> None:
    """rich moved a whole Chinese sentence to the next line (“（生成 PDF” / “用）、公文字体…”)
    and began lines with “，”: now any character may end a line, except as 避头尾 forbids."""
    text = "检查本机环境：Python、LibreOffice（生成 PDF 用）、“公文”字体，1,228.22万元。"
    pieces = [piece for _, _, piece in words(text)]
    assert "".join(pieces) == text
    assert pieces == [
        "检", "查", "本", "机", "环", "境：", "Python、", "LibreOffice", "（生", "成 ",
        "PDF ", "用）、", "“公", "文”", "字", "体，", "1,228.22", "万", "元。",
    ]  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "reportgen", "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
        check=True,
    )
    assert "│ doctor    检查本机环境：Python、LibreOffice（生成 PDF 用）、公文字体或其替代 │" in (
        result.stdout
    )


def test_entry_point_exit_codes(tmp_path: Path) -> None:
    assert _run("validate", str(COMPLETE)).returncode == 0
    assert _run("validate", str(tmp_path / "missing.yaml")).returncode == 2
    broken = tmp_path / "b.yaml"
    broken.write_text("year: [", encoding="utf-8")
    result = _run("render", str(broken), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    assert f"{broken}:" in result.stderr
    assert not (tmp_path / "out").exists()


def test_validate_imports_only_what_validation_needs() -> None:
    """Not the renderer (docxtpl, python-docx, lxml, Jinja), the workbook or rich's help
    screens: start-up time is most of a ``reportgen validate`` (benchmarks/RESULTS.md)."""
    code = (
        "import sys\n"
        "from reportgen.cli.entry import run\n"
        f"run(['validate', {str(COMPLETE)!r}], own_process=True)\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    imported = set(result.stdout.splitlines()[-1].split())
    assert {"pydantic", "typer", "yaml"} <= imported
    assert imported.isdisjoint({"docxtpl", "docx", "lxml", "jinja2", "openpyxl", "rich"})


@pytest.mark.parametrize(
    "command",
    [
        ["validate", "{complete}"],
        ["render", "{complete}", "-o", "{out}"],
        ["overview", "{complete}", "-o", "{out}/overview.csv"],  # .xlsx: openpyxl when asked
        ["import", "{report}", "-o", "{out}/draft.yaml"],
        ["audit", "{report}"],
        ["template", "check", "{template}"],
    ],
    ids=lambda command: " ".join(word for word in command if "{" not in word),
)
def test_a_command_imports_nothing_after_its_preload(tmp_path: Path, command: list[str]) -> None:
    """What a command imports is loaded by ``preload`` while start-up pauses the garbage
    collector (cli/entry.py); a module the command imported after it would be walked again."""
    # twice, the first run building and keeping the models' validators (compiled.py)
    for run in ("first", "second"):
        argv = [
            word.format(
                complete=COMPLETE,
                out=tmp_path / run,
                report=ROOT / "tests" / "cases" / "import" / "synthetic.txt",
                template=ROOT / "templates" / "default" / "template.docx",
            )
            for word in command
        ]
        (tmp_path / run).mkdir()
        code = (
            "import os, sys\n"
            "from reportgen.cli.app import preload\n"
            "from reportgen.cli.entry import _skip_plugin_discovery, run\n"
            "os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
            "_skip_plugin_discovery()  # as main() does\n"
            f"preload({argv!r})\n"
            "before = set(sys.modules)\n"
            f"code = run({argv!r})\n"
            "print(code, *sorted(set(sys.modules) - before))\n"
        )
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path
        )
    code, *late = result.stdout.splitlines()[-1].split()
    assert code in {"0", "1"}, result.stderr  # audit finds the synthetic report's slips
    libraries = {"reportgen", "docxtpl", "docx", "lxml", "jinja2", "pydantic", "yaml", "openpyxl"}
    assert [name for name in late if name.split(".")[0] in libraries] == []


def test_two_inputs_for_the_same_report_never_overwrite_each_other(tmp_path: Path) -> None:
    copy = tmp_path / "copy.yaml"
    copy.write_text(
        COMPLETE.read_text(encoding="utf-8").replace(
            "履职效能, score: 46,", "履职效能, score: 46.0,"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    # one job: the first given is rendered (with more, the first to be rendered)
    result = runner.invoke(app, ["render", str(COMPLETE), str(copy), "-o", str(out), "-j", "1"])
    assert result.exit_code == 1
    [written] = list(out.iterdir())
    assert f"已生成：{written}" in result.output
    assert f"错误：{copy}: 与 {COMPLETE} 的报告同名" in result.output


def test_render_batch_goes_on_after_a_bad_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["render", str(tmp_path / "missing.yaml"), *map(str, EXAMPLES), "-o", str(out)]
    )
    assert result.exit_code == 2
    assert f"错误：{tmp_path / 'missing.yaml'}: 文件不存在" in result.output
    assert len(list(out.glob("*.docx"))) == len(EXAMPLES)


def test_init_writes_a_starter_that_validates_and_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "new" / "report.yaml"
    result = runner.invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0
    out = tmp_path / "out"
    assert runner.invoke(app, ["render", str(target), "-o", str(out)]).exit_code == 0
    target.write_text("mine", encoding="utf-8")
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2
    assert "已存在，为免覆盖未做任何修改" in again.output
    assert target.read_text(encoding="utf-8") == "mine"


def test_init_on_a_full_disk_leaves_nothing_and_the_retry_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.yaml"
    written: list[int] = []

    def full(descriptor: int, data: bytes) -> int:
        if not written:  # the first block goes through, then the disk is full
            written.append(len(data))
            return real_write(descriptor, bytes(data[:100]))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    real_write = os.write
    monkeypatch.setattr(os, "write", full)
    result = runner.invoke(app, ["init", str(target)])
    monkeypatch.undo()

    assert result.exit_code == 2
    assert result.output == f"错误：无法写入 {target}（磁盘已满）\n"
    assert list(tmp_path.iterdir()) == []  # no 0-byte or partial file blocks the retry
    assert runner.invoke(app, ["init", str(target)]).exit_code == 0
    assert runner.invoke(app, ["validate", str(target)]).exit_code == 0


def _modules_after(*argv: str, environment: dict[str, str] | None = None) -> set[str]:
    """The modules a whole ``reportgen`` process has loaded when it exits."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: sys.__stderr__.write('\\nMODULES ' + ' '.join(sys.modules)))\n"
        "from reportgen.cli.entry import main\n"
        f"sys.argv = ['reportgen', *{list(argv)!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**env, **(environment or {})},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return set(result.stderr.rpartition("MODULES ")[2].split())


def test_no_command_reads_the_installed_packages_metadata(tmp_path: Path) -> None:
    """pydantic's plugin loader imports importlib.metadata before it reads that plugins are
    off, and the template cache read library versions from it: 15 ms of every start-up each
    (benchmarks/RESULTS.md). A plugin the user names still loads the real loader."""
    for argv in (
        ["validate", str(COMPLETE)],
        ["render", str(COMPLETE), "-o", str(tmp_path / "out")],
    ):
        loaded = _modules_after(*argv)
        assert "importlib.metadata" not in loaded, argv
        assert "pydantic.plugin._loader" in loaded, argv  # the stand-in answered
    named = _modules_after(
        "validate", str(COMPLETE), environment={"PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    )
    assert "importlib.metadata" in named


def test_the_plugin_loader_stand_in_gives_way_to_the_real_one() -> None:
    code = (
        "import os, sys\n"
        "os.environ['PYDANTIC_DISABLE_PLUGINS'] = '__all__'\n"
        "from reportgen.cli.entry import _skip_plugin_discovery\n"
        "_skip_plugin_discovery()\n"
        "from pydantic.plugin._loader import get_plugins\n"
        "assert tuple(get_plugins()) == ()\n"
        "assert 'importlib.metadata' not in sys.modules\n"
        "from pydantic.plugin._loader import PYDANTIC_ENTRY_POINT_GROUP\n"
        "print(PYDANTIC_ENTRY_POINT_GROUP, sys.modules['pydantic.plugin._loader'].__file__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    group, _, where = result.stdout.strip().partition(" ")
    assert (group, Path(where).name) == ("pydantic", "_loader.py")
