"""`reportgen template check` on templates edited the way authors edit them: every problem of
a template in one run, each at its paragraph; nothing lost silently in `render`."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree
from typer.testing import CliRunner

from reportgen.check.validate import Validation, validate_file, validate_text
from reportgen.cli.app import app
from reportgen.errors import TemplateError, UsageError
from reportgen.model.samples import SPARSE
from reportgen.output.render import render_document
from reportgen.template.cache import TemplateCache
from reportgen.template.check import check_template
from reportgen.template.messages import translate
from tests.ci import requires
from tests.conftest import COMPLETE, DATA, ROOT
from tests.readback import texts

DEFAULT = ROOT / "templates" / "default" / "template.docx"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
runner = CliRunner()

Render = Callable[..., bytes]


@pytest.fixture(params=["one report", "a batch"])
def render(request: pytest.FixtureRequest) -> Render:
    """render_document as one report renders, and as a batch does with its compiled-once
    template: both must refuse and write the same."""
    if request.param == "one report":
        return render_document
    cache = TemplateCache()

    def batched(validation: Validation, template: Path | None = None) -> bytes:
        return render_document(validation, template, cache=cache)

    return batched


def _run(text: str, proofing: bool = False) -> str:
    mark = '<w:proofErr w:type="spellStart"/>' if proofing else ""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f'{mark}<w:r><w:t xml:space="preserve">{escaped}</w:t></w:r>'


def _paragraph(pieces: list[str], style: str = "ReportBody") -> str:
    """A paragraph as Word saves an edited one: each piece its own run, proofing marks and a
    bookmark between them (inside a tag, where an author's cursor left them)."""
    runs = []
    for i, piece in enumerate(pieces):
        runs.append(_run(piece, proofing=i % 2 == 1))
        if i == 0 and len(pieces) > 1:
            runs.append('<w:bookmarkStart w:id="9" w:name="_GoBack"/><w:bookmarkEnd w:id="9"/>')
    return f'<w:p xmlns:w="{W_NS}"><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{"".join(runs)}</w:p>'


def _template(path: Path, paragraphs: list[str], base: Path = DEFAULT, keep: bool = True) -> Path:
    """``base`` with ``paragraphs`` (XML) added at the end of its body (or replacing it)."""
    document = docx.Document(str(base))
    body = document.element.body
    section = body[-1]
    if not keep:
        for child in list(body)[:-1]:
            body.remove(child)
    for xml in paragraphs:
        section.addprevious(parse_xml(xml))
    document.save(str(path))
    return path


MISTAKES = [
    _paragraph(["附加说明"], style="ReportHeading1"),
    _paragraph(["{{ depart", "mnet }}"]),
    _paragraph(["{{ year|perc", "nt }}"]),
    _paragraph(["{% fro x in outline %}{{ x.key }}{% endfor %}"]),
    _paragraph(["（{{ n.h1（） }}）"]),
    _paragraph(["附件：{{ attachment }}。"]),
    _paragraph(["年初预算{{ figures['budget.initial'] }}万元"]),
    _paragraph(["{{ figures['budget.inital'] }}"]),
    _paragraph(["｛｛ department ｝｝"]),
]


def _soffice_round_trip(source: Path, filter_name: str, work: Path) -> Path:
    soffice = shutil.which("soffice")
    requires(soffice, "LibreOffice (soffice) is not installed")
    subprocess.run(
        [
            str(soffice),
            "--headless",
            f"-env:UserInstallation=file://{work}/profile",
            "--convert-to",
            f"docx:{filter_name}",
            "--outdir",
            str(work / "lo"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return work / "lo" / source.name


def test_every_problem_of_a_template_in_one_run(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", MISTAKES)
    problems = check_template(template)
    under = "（标题“附加说明”之下）"
    sparse = "［试渲染：最少示例数据（只有必填项）］"
    assert problems == [
        f"正文段落“{{% fro x in outline %}}{{{{ x.key }}}}{{% end…”{under}："
        "{% fro x in outline %}：未知的标签“fro”（是否想写“for”？）",
        f"正文段落“（{{{{ n.h1（） }}}}）”{under}：{{{{ n.h1（） }}}}："
        "标签中有全角字符“（”，应为半角“(”（请切换到英文输入法）",
        f"正文段落“{{{{ departmnet }}}}”{under}：变量“departmnet”不存在（是否想写“department”？）；"
        "可用的变量见 reportgen template vars",
        f"正文段落“{{{{ year|percnt }}}}”{under}：没有过滤器“percnt”（是否想写“percent”？）；"
        "可用的过滤器见 reportgen template vars",
        f"正文段落“{{{{ figures['budget.inital'] }}}}”{under}："
        "没有数字“budget.inital”（是否想写“budget.initial”？）；可引用的数字见 reportgen template vars",
        f"正文段落“附件：{{{{ attachment }}}}。”{under}：这里输出的值在这份数据中为空，会印出“None”；"
        f"请用 {{% if … %}} 判断后再输出{sparse}",
        f"正文段落“年初预算{{{{ figures['budget.initial'] }}}}万元”{under}："
        "这份数据没有数字“budget.initial”（未公布的数字不在 figures 中）；"
        f"请用 {{% if 'budget.initial' in figures %}} … {{% endif %}} 判断后再输出{sparse}",
    ]
    result = runner.invoke(app, ["template", "check", str(template)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        *(f"{template}: {p}" for p in problems),
        f"{template}: 有 {len(problems)} 个问题",
    ]


def test_each_data_file_given_is_tried(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", [_paragraph(["{{ figures['budget.initial'] }}"])])
    nansha = DATA / "nansha-party-office-2023.yaml"
    result = runner.invoke(app, ["template", "check", str(template), str(nansha)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].endswith(
        f"［试渲染：最少示例数据（只有必填项）、{nansha}］"
    )


def test_text_beside_a_paragraph_tag_and_a_blank_table_row(tmp_path: Path) -> None:
    table = (
        f'<w:tbl xmlns:w="{W_NS}"><w:tblGrid><w:gridCol w:w="2000"/></w:tblGrid>'
        f"<w:tr><w:tc>{_paragraph(['{% for row in finance_table %}'])}</w:tc></w:tr>"
        f"<w:tr><w:tc>{_paragraph(['{{ row.item }}'])}</w:tc></w:tr>"
        f"<w:tr><w:tc>{_paragraph(['{% endfor %}'])}</w:tc></w:tr></w:tbl>"
    )
    template = _template(
        tmp_path / "t.docx",
        [
            _paragraph(["目标：", "{{p sections.", "goals }}"]),
            _paragraph(["{%p if score_rows %}{%p endif %}"]),
            table,
        ],
    )
    blank_row = (
        "这一行只有 {% for %}、{% if %} 一类的标签，会印成一个空行；"
        "在表格中循环或判断整行，请写 {%tr for … %} … {%tr endfor %}"
    )
    assert check_template(template) == [
        "正文段落“目标：{{p sections.goals }}”（标题“四、下一步改进措施”之下）："
        "与 {%p …%} 或 {{p …}} 同段的文字“目标：”不会印出：这类标签须独占一段，请把文字移到另一段",
        "正文段落“{%p if score_rows %}{%p endif %}”（标题“四、下一步改进措施”之下）："
        "一段中只能有一个 {%p …%} 或 {{p …}} 标签，其后的 {%p endif %} 会被丢弃；请分成几段",
        f"正文表格行“{{% for row in finance_table %}}”（标题“四、下一步改进措施”之下）：{blank_row}",
        f"正文表格行“{{% endfor %}}”（标题“四、下一步改进措施”之下）：{blank_row}",
        "正文段落“{%p if score_rows %}{%p endif %}”（标题“四、下一步改进措施”之下）："
        "多出的 {% endif %}：前面没有与之对应的 {% if … %}［试渲染：完整示例数据、最少示例数据（只有必填项）］",
        "正文段落“目标：{{p sections.goals }}”（标题“四、下一步改进措施”之下）："
        "这里输出的值在这份数据中为空，会印出“None”；请用 {% if … %} 判断后再输出"
        "［试渲染：最少示例数据（只有必填项）］",
    ]


def test_render_refuses_a_template_that_leaves_out_a_section(
    tmp_path: Path, render: Render
) -> None:
    template = _template(
        tmp_path / "t.docx", [_paragraph(["{{p sections.functions }}"])], keep=False
    )
    with pytest.raises(TemplateError) as raised:
        render(validate_file(COMPLETE), template)
    message = str(raised.value)
    assert message.startswith(f"模板 {template} 没有印出“年度总体工作和重点工作任务”一节")
    assert "“下一步改进措施”一节（sections.measures）的内容" in message
    assert message.endswith(f"未生成报告；reportgen template check {template} 可列出问题所在")


def test_render_never_prints_none(tmp_path: Path, render: Render) -> None:
    template = _template(tmp_path / "t.docx", [_paragraph(["附件：{{ attachment }}。"])])
    with pytest.raises(TemplateError) as raised:
        render(validate_file(SPARSE), template)
    assert str(raised.value) == (
        f"模板 {template}：输出了一个空值（这份数据中没有它），报告中会印出“None”；"
        "请用 {% if … %} … {% endif %} 判断后再输出"
        "（reportgen template check 模板 数据.yaml 可列出它在模板中的位置）"
        "；出错处：正文段落“附件：{{ attachment }}。”（标题“四、下一步改进措施”之下）"
    )


def test_render_refuses_paragraphs_in_a_style_the_template_lacks(
    tmp_path: Path, render: Render
) -> None:
    plain = tmp_path / "plain.docx"
    docx.Document().save(str(plain))
    template = _template(
        tmp_path / "t.docx",
        [
            _paragraph(["{%p for c in outline %}"]),
            _paragraph(["{%p if c.body %}"]),
            _paragraph(["{{p c.body }}"]),
            _paragraph(["{%p endif %}"]),
            _paragraph(["{%p for s in c.sections %}"]),
            _paragraph(["{{p s.body }}"]),
            _paragraph(["{%p endfor %}"]),
            _paragraph(["{%p endfor %}"]),
        ],
        base=plain,
    )
    with pytest.raises(TemplateError) as raised:
        render(validate_file(COMPLETE), template)
    assert str(raised.value) == (
        f"模板 {template} 缺少段落样式“ReportBody”；缺少段落样式“ReportHeading2”；缺少段落样式“ReportHeading3”，未生成报告；"
        f"reportgen template check {template} 可列出问题所在"
    )


def test_full_width_braces_are_tags(tmp_path: Path, render: Render) -> None:
    template = _template(
        tmp_path / "t.docx",
        [_paragraph(["｛｛ depart", "ment ｝｝｛％ if year ％｝年｛％ endif ％｝"])],
    )
    assert check_template(template) == []
    out = tmp_path / "report.docx"
    out.write_bytes(render(validate_file(COMPLETE), template))
    assert texts(out)[-1] == "广州市示例区财政局年"


def _core(content: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return etree.fromstring(archive.read("docProps/core.xml"))


def test_the_report_has_its_own_document_properties(render: Render) -> None:
    before = dt.datetime.now(dt.UTC).replace(microsecond=0, tzinfo=None)
    content = render(validate_file(COMPLETE))
    document = docx.Document(io.BytesIO(content))
    core = document.core_properties
    assert core.title == "2024年度广州市示例区财政局部门整体支出绩效自评报告"
    assert core.subject == "广州市示例区财政局"
    assert core.identifier == "reportgen:2024:广州市示例区财政局"
    assert (core.author, core.last_modified_by, core.comments, core.revision) == ("", "", "", 1)
    assert core.created is not None and core.created.replace(tzinfo=None) >= before
    assert core.modified == core.created
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        app_xml = etree.fromstring(archive.read("docProps/app.xml"))
    ns = "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
    assert app_xml.findtext(f"{ns}Company") == "广州市示例区财政局"


@pytest.mark.parametrize("filter_name", ["MS Word 2007 XML", "Office Open XML Text"])
def test_a_template_saved_by_libreoffice_renders_a_clean_package(
    filter_name: str, tmp_path: Path, render: Render
) -> None:
    source = tmp_path / "in" / "template.docx"
    source.parent.mkdir()
    shutil.copyfile(DEFAULT, source)
    saved = _soffice_round_trip(source, filter_name, tmp_path)
    assert check_template(saved) == []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # zipfile's “Duplicate name” warning fails the test
        content = render(validate_file(COMPLETE), saved)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        names = archive.namelist()
    assert len(names) == len(set(names))
    assert _core(content).findtext("{http://purl.org/dc/elements/1.1/}title") == (
        "2024年度广州市示例区财政局部门整体支出绩效自评报告"
    )


@pytest.mark.parametrize(
    ("expression", "printed"),
    [
        ("{{ figures['budget.execution_rate']|percent }}", "95.00%"),
        ("{{ '97.89%'|percent }}", "97.89%"),
        ("{{ '110％'|percent }}", "110.00%"),
        ("{{ 97.89|percent }}", "97.89%"),
        ("{{ (0.9789 * 100)|percent }}", "97.89%"),
        ("{{ 0.9789|percent }}", "0.98%"),  # the input is in percent, as the data writes rates
    ],
)
def test_percent_takes_the_documented_values(expression: str, printed: str, tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", [_paragraph([expression])])
    out = tmp_path / "report.docx"
    out.write_bytes(render_document(validate_file(COMPLETE), template))
    assert texts(out)[-1] == printed


def test_numbering_has_a_third_level(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx",
        [_paragraph(["{{ n.h1() }}{{ n.h2() }}{{ n.h3() }}{{ n.h3() }}{{ n.h2() }}{{ n.h3() }}"])],
    )
    out = tmp_path / "report.docx"
    out.write_bytes(render_document(validate_file(COMPLETE), template))
    assert texts(out)[-1] == "一、（一）1.2.（二）1."


def test_template_vars_lists_section_and_figure_keys() -> None:
    result = runner.invoke(app, ["template", "vars"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert "| `achievements` | huadu：主要工作成效 | 否，可能为空 | — |" in lines
    assert "| `budget.initial` | 1,000.00 | 可能没有 |" in lines
    assert "| `budget.expenditure.total` | 1,140.00 | 总有 |" in lines
    assert "docs/template-context.md" not in result.output  # the command is the reference


def test_template_preview_writes_the_samples(tmp_path: Path) -> None:
    result = runner.invoke(app, ["template", "preview", str(DEFAULT), "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    complete, sparse = tmp_path / "预览-完整示例数据.docx", tmp_path / "预览-最少示例数据.docx"
    assert result.output.splitlines() == [f"已生成：{complete}", f"已生成：{sparse}"]
    assert texts(complete)[:2] == ["附件2", "2024年度广州市示例区财政局"]
    assert texts(sparse)[0] == "2024年度广州市示例区档案馆"


@pytest.mark.parametrize(
    "theirs",
    [b"the user's own notes", b"PK\x03\x04 not a zip", None],
    ids=["text", "broken-zip", "another-report"],
)
def test_template_preview_never_replaces_a_file_it_did_not_write(
    tmp_path: Path, theirs: bytes | None
) -> None:
    complete = tmp_path / "预览-完整示例数据.docx"
    again = runner.invoke(app, ["template", "preview", str(DEFAULT), "-o", str(tmp_path)])
    assert again.exit_code == 0, again.output  # its own previews it replaces
    if theirs is None:  # a report of another department under the preview's name
        other = runner.invoke(
            app, ["render", str(DATA / "nansha-party-office-2023.yaml"), "-o", str(tmp_path / "r")]
        )
        assert other.exit_code == 0, other.output
        theirs = next((tmp_path / "r").glob("*.docx")).read_bytes()
    complete.write_bytes(theirs)
    result = runner.invoke(app, ["template", "preview", str(DEFAULT), "-o", str(tmp_path)])
    assert isinstance(result.exception, UsageError), result.output  # exit 2
    said = str(result.exception)
    assert said.startswith(f"{complete} ") and "为免覆盖未生成" in said, said
    assert complete.read_bytes() == theirs
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_template_preview_with_data_and_a_broken_template(tmp_path: Path) -> None:
    nansha = DATA / "nansha-party-office-2023.yaml"
    result = runner.invoke(
        app, ["template", "preview", str(DEFAULT), str(nansha), "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in tmp_path.iterdir()] == ["预览-nansha-party-office-2023.docx"]
    broken = _template(tmp_path / "t.docx", [_paragraph(["{{ figures['budget.initial'] }}"])])
    result = runner.invoke(app, ["template", "preview", str(broken), "-o", str(tmp_path / "b")])
    assert isinstance(result.exception, TemplateError)
    assert str(result.exception) == (
        f"模板 {broken} 引用了不存在的值：这份数据中没有“budget.initial”（未公布的数字、未写的节不在其中）；"
        f"可用的变量见 reportgen template vars，reportgen template check {broken} 列出每一处及其位置"
        "；出错处：正文段落“{{ figures['budget.initial'] }}”（标题“四、下一步改进措施”之下）"
        "（用 最少示例数据 预览时）"
    )


def test_template_preview_of_a_refused_template_makes_no_folder(tmp_path: Path) -> None:
    runaway = _template(tmp_path / "t.docx", [_paragraph(["{{ 'x' * 10**9 }}"])])
    out = tmp_path / "预览"
    result = runner.invoke(app, ["template", "preview", str(runaway), "-o", str(out)])
    assert isinstance(result.exception, TemplateError)
    assert "生成的文字超过 1000 万个字符，已停止" in str(result.exception)
    assert not out.exists()


def test_a_section_printed_without_p_is_found_before_render_fails(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx",
        [_paragraph(["正文：{{ sections.", "functions }}"])],
    )
    assert check_template(template) == [
        "正文段落“正文：{{ sections.functions }}”（标题“四、下一步改进措施”之下）："
        "正文段落须用 {{p … }}（带 p）输出，写成 {{ … }} 时段落套段落，Word 无法打开报告"
        "［试渲染：完整示例数据、最少示例数据（只有必填项）］",
    ]


def test_render_refuses_text_beside_a_paragraph_tag(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", [_paragraph(["目标：", "{{p sections.", "goals }}"])])
    with pytest.raises(TemplateError) as raised:
        render_document(validate_file(COMPLETE), template)
    assert str(raised.value).startswith(
        f"模板 {template} 正文段落“目标：{{{{p sections.goals }}}}”"
        # the last heading the template prints before it (not a sub-heading of the data's text)
        "（标题“四、下一步改进措施”之下）："
        "与 {%p …%} 或 {{p …}} 同段的文字“目标：”不会印出"
    )


def test_render_places_a_problem_in_the_section_loop_as_template_check_does(
    tmp_path: Path,
) -> None:
    """Text beside {{p section.body }} inside the loop over the sections: render and template
    check both name the headings the report prints there, never the tag that prints them."""
    template = tmp_path / "t.docx"
    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    body = next(p for p in document.paragraphs if p.text == "{{p section.body }}")
    body.add_run("多余的文字")
    document.save(str(template))
    problem = (
        "正文段落“{{p section.body }}多余的文字”（标题“（一）部门职能”等之下）："
        "与 {%p …%} 或 {{p …}} 同段的文字“多余的文字”不会印出：这类标签须独占一段，请把文字移到另一段"
    )
    assert check_template(template) == [problem]
    out = tmp_path / "out"
    for files in ([COMPLETE], [COMPLETE, DATA / "conghua-archives-2023.yaml"]):  # one, a batch
        result = runner.invoke(
            app, ["render", *map(str, files), "-t", str(template), "-o", str(out)]
        )
        assert result.exit_code == 1
        assert f"模板 {template} {problem}，未生成报告" in result.output, result.output
        assert "{{ section" not in result.output and "{{ chapter" not in result.output
    assert not out.exists() or not list(out.iterdir())
    # huadu's own heading for the same section
    huadu = runner.invoke(
        app,
        ["render", str(DATA / "huadu-gov-office-2022.yaml"), "-t", str(template), "-o", str(out)],
    )
    assert "（标题“（一）部门概况”等之下）" in huadu.output, huadu.output


def test_every_problem_is_found_after_a_libreoffice_round_trip(tmp_path: Path) -> None:
    template = _template(tmp_path / "t.docx", MISTAKES)
    saved = _soffice_round_trip(template, "MS Word 2007 XML", tmp_path)
    assert check_template(saved) == check_template(template)
    assert len(check_template(saved)) == 7


def test_a_mistake_in_a_footer_is_located_there(tmp_path: Path) -> None:
    document = docx.Document(str(DEFAULT))
    document.sections[0].footer.paragraphs[0].add_run("{{ deparment }}")
    template = tmp_path / "t.docx"
    document.save(str(template))
    assert check_template(template) == [
        "页脚段落“— 1 —{{ deparment }}”：变量“deparment”不存在（是否想写“department”？）；"
        "可用的变量见 reportgen template vars"
    ]


def test_the_sparse_sample_holds_only_what_is_required() -> None:
    outcome = validate_file(SPARSE)
    assert outcome.ok and outcome.findings == []
    lines = SPARSE.read_text(encoding="utf-8").splitlines()
    # every other top-level key and every section it writes is required
    for key in ("budget", "score"):
        pruned = "\n".join(_without_block(lines, key))
        assert not validate_text(pruned).ok, key
    for section in (
        "functions",
        "annual_work",
        "performance_management",
        "effectiveness",
        "efficiency",
        "problems",
        "measures",
    ):
        pruned = "\n".join(ln for ln in lines if not ln.startswith(f"  {section}:"))
        assert not validate_text(pruned).ok, section


def _without_block(lines: list[str], key: str) -> list[str]:
    kept, skipping = [], False
    for line in lines:
        if line.startswith(f"{key}:"):
            skipping = True
            continue
        if skipping and line.startswith(" "):
            continue
        skipping = False
        kept.append(line)
    return kept


@pytest.mark.parametrize(
    ("jinja", "chinese"),
    [
        ("Encountered unknown tag 'edif'.", "未知的标签“edif”（是否想写“endif”？）"),
        (
            "Encountered unknown tag 'endfor'. You probably made a nesting mistake.",
            "多出的 {% endfor %}：前面没有与之对应的 {% for … %}",
        ),
        ("Encountered unknown tag 'p'.", "“p”与 % 之间不能有空格：应写 {%p … %}"),
        (
            "unexpected char '（' at 10024",
            "标签中有全角字符“（”，应为半角“(”（请切换到英文输入法）",
        ),
        (
            "Unexpected end of template. Jinja was looking for the following tags: 'endfor' "
            "or 'else'. The innermost block that needs to be closed is 'for'.",
            "标签没有成对出现：{% for %} 缺少对应的 {% endfor %}",
        ),
        (
            "expected token 'end of print statement', got 'x'",
            "标签写法有误：此处应为“}}”，实际为“x”",
        ),
        ("something new", "标签写法有误，无法读懂（请检查其中的括号、引号和标签名）"),
    ],
)
def test_jinja_messages_in_chinese(jinja: str, chinese: str) -> None:
    assert translate(jinja) == chinese


def test_a_layout_with_a_required_section_of_its_own_is_still_tried(tmp_path: Path) -> None:
    folders = tmp_path / "layouts"
    assert runner.invoke(app, ["layout", "new", "x", "--dir", str(folders)]).exit_code == 0
    outline = folders / "x" / "outline.yaml"
    outline.write_text(
        outline.read_text(encoding="utf-8").replace(
            "      - key: annual_work\n",
            "      - key: staffing\n        heading: 设置机构及人员情况\n        required: true\n"
            "      - key: annual_work\n",
            1,
        ),
        encoding="utf-8",
    )
    document = docx.Document(str(folders / "x" / "template.docx"))
    document.add_paragraph("{{ titel }}", style="ReportBody")
    document.save(str(folders / "x" / "template.docx"))
    result = runner.invoke(app, ["layout", "check", "x", "--templates", str(folders)])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{folders / 'x' / 'template.docx'}: 正文段落“{{{{ titel }}}}”"
        "（标题“四、下一步改进措施”之下）："
        "变量“titel”不存在（是否想写“title”？）；可用的变量见 reportgen template vars",
        f"x（{folders / 'x'}）: 有问题",
    ]


def _row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc>{_paragraph([c])}</w:tc>" for c in cells) + "</w:tr>"


def _table(*rows: str) -> str:
    grid = "".join('<w:gridCol w:w="2000"/>' for _ in range(4))
    return f'<w:tbl xmlns:w="{W_NS}"><w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>'


def test_the_documented_table_and_paragraph_loops_work(tmp_path: Path) -> None:
    """The worked examples of docs/templates.md: finance table, score table, a paragraph loop."""
    template = _template(
        tmp_path / "t.docx",
        [
            _table(
                _row("项目", "预算数（万元）", "支出数（万元）", "执行率"),
                _row("{%tr for row in finance_table %}", "", "", ""),
                _row(
                    "{{ row.item }}", "{{ row.budget }}", "{{ row.expenditure }}", "{{ row.rate }}"
                ),
                _row("{%tr endfor %}", "", "", ""),
            ),
            _paragraph(["{%p if score_rows %}"]),
            _table(
                _row("一级指标", "分值", "得分", ""),
                _row("{%tr for row in score_rows %}", "", "", ""),
                _row("{{ row.name }}", "{{ row.max }}", "{{ row.score }}", ""),
                _row("{%tr endfor %}", "", "", ""),
            ),
            _paragraph(["{%p endif %}"]),
            _paragraph(["{%p for p in paragraphs.functions %}"]),
            _paragraph(["{{ p.label }}{{ p.title }}{{ p.text }}"]),
            _paragraph(["{%p endfor %}"]),
        ],
    )
    assert check_template(template) == []
    out = tmp_path / "report.docx"
    out.write_bytes(render_document(validate_file(COMPLETE), template))
    printed = texts(out)
    end = printed.index("项目")
    assert printed[end : end + 8] == [
        "项目",
        "预算数（万元）",
        "支出数（万元）",
        "执行率",
        "支出合计",
        "1,200.00",
        "1,140.00",
        "95.00%",
    ]
    scores = printed.index("一级指标", end)
    assert printed[scores + 4 : scores + 12] == [
        "履职效能",
        "50",
        "46",
        "",
        "管理效率",
        "50",
        "46.5",
        "",
    ]
    assert printed[scores + 12 : scores + 15] == [
        "负责全区财政工作。主要职责是：",
        "1.拟订财政政策。",
        "2.编制预算草案。",
    ]


def test_tags_that_do_not_pair_up_hide_no_other_problem(tmp_path: Path) -> None:
    template = _template(
        tmp_path / "t.docx",
        [
            _paragraph(["{%p for c in outline %}"]),
            _paragraph(["{{ c.head", "ing }}{{ c.heding }}"]),
            _paragraph(["{%p endfor %}"]),
            _paragraph(["{% if score_rows %}"]),
            _paragraph(["多余{% endfor %}"]),
        ],
    )
    under = "（标题“四、下一步改进措施”之下）"
    both = "［试渲染：完整示例数据、最少示例数据（只有必填项）］"
    assert check_template(template) == [
        f"正文段落“{{% if score_rows %}}”{under}：标签没有成对出现：{{% if %}} 缺少对应的 {{% endif %}}",
        f"正文段落“多余{{% endfor %}}”{under}：多出的 {{% endfor %}}：前面没有与之对应的 {{% for … %}}{both}",
        f"正文段落“{{{{ c.heading }}}}{{{{ c.heding }}}}”{under}："
        f"ChapterView 没有“heding”（是否想写“heading”？）；可用的属性见 reportgen template vars{both}",
    ]
