"""Checking a template before it is sent out: every tag on its own, then trial renders with a
complete sample, a sparse one (only what is required) and any department's data.

Why one module: the tag-by-tag checks and the trial renders feed one list of problems, merged
and placed once."""

from __future__ import annotations

import difflib
import os
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import jinja2
from jinja2 import nodes

from reportgen.check.validate import Validation, validate_document, validate_file
from reportgen.context.fields import PARAGRAPH_STYLES, TemplateContext, build_context
from reportgen.context.table_fields import TrialContext, table_context_of
from reportgen.errors import TemplateError
from reportgen.layout.outline import OUTLINE_FILE
from reportgen.layout.search import DEFAULT_LAYOUT, TABLE_FILE, Layout, LayoutSearch
from reportgen.model.samples import SAMPLE_NAMES, TABLE_SAMPLE
from reportgen.read.loader import load_file
from reportgen.template.messages import VARS_COMMAND, suggestion, translate, unclosed_message
from reportgen.template.nesting import (
    BLOCK_STATEMENTS,
    MAX_BLOCK_NESTING,
    complexity,
    pair,
    quoted,
)
from reportgen.template.open_tags import open_tag_message
from reportgen.template.run import load_template, preparation_problems
from reportgen.template.samples import Sample, samples
from reportgen.template.sandbox import jinja_environment
from reportgen.template.source import (
    Block,
    Marking,
    missing_style_message,
)
from reportgen.template.trial import (
    Problem,
    TrialTemplate,
    figure_patterns,
    located,
    template_headings,
    trial_render,
)

_STYLE_ID = re.compile(r'<w:style\b[^>]*w:styleId="([^"]+)"')
# filters that take the name of a test or filter as a string: (its argument, where, what it is)
_NAMED_BY_ARGUMENT = {
    "select": (0, "tests", "判断"),
    "reject": (0, "tests", "判断"),
    "selectattr": (1, "tests", "判断"),
    "rejectattr": (1, "tests", "判断"),
    "map": (0, "filters", "过滤器"),
}


def check_layout(
    layout: Layout, data: Sequence[Path] = (), search: LayoutSearch | None = None
) -> list[str]:
    """Every problem of a layout folder: its outline's findings, then its template's."""
    problems = [finding.as_text() for finding in layout.problems]
    if layout.template.is_file():
        # with a broken outline, the template is still tried in the default layout
        usable = layout if layout.outline is not None else None
        found = _check(layout.template, data, search, usable)
        problems += [f"{layout.template}: {p}" for p in found]
    table = layout.folder / TABLE_FILE
    if os.path.lexists(table):  # a folder or a dangling link there is said, not passed over
        name = layout.name if layout.outline is not None else None
        found = check_table_template(table, data, search, name)
        problems += [f"{table}: {p}" for p in found]
    return problems


def check_template(
    template: Path,
    data: Sequence[Path] = (),
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> list[str]:
    """Every problem found in ``template``, in Chinese, each with its place; none: usable.
    The samples follow the outline of ``layout`` (default: the default layout)."""
    search = search if search is not None else LayoutSearch.from_options()
    if layout is None:
        own = _layout_folder_of(template, search)
        if own is not None:  # a layout folder's template: checked as layout check checks it
            return _check(template, data, *own)
        layout = _named_by(data, search)
    found = search.find(layout or DEFAULT_LAYOUT)
    usable = found if found is not None and found.outline is not None else None
    if layout is not None and usable is None:
        return _check(template, data, search, None, layout)
    return _check(template, data, search, usable, own_layouts=layout is None)


def _layout_folder_of(template: Path, search: LayoutSearch) -> tuple[LayoutSearch, Layout] | None:
    """The layout whose folder (beside an ``outline.yaml``) ``template`` is in, with a search that
    finds it there first, even without ``--templates``; ``None`` elsewhere or with a broken
    outline (its problems are layout check's)."""
    folder = template.absolute().parent
    if not (folder / OUTLINE_FILE).is_file():
        return None
    within = LayoutSearch((folder.parent, *search.folders))
    found = within.find(folder.name)
    if found is None or found.outline is None or found.folder.absolute() != folder:
        return None
    return within, found


def _named_by(data: Sequence[Path], search: LayoutSearch) -> str | None:
    """The layout every one of ``data`` names (``layout:``), when there is one and it is found."""
    named = set()
    for path in data:
        loaded = load_file(path).data
        given = loaded.get("layout") if isinstance(loaded, dict) else None
        named.add(given if isinstance(given, str) else DEFAULT_LAYOUT)
    if len(named) != 1:
        return None
    (name,) = named
    return name if search.find(name) is not None else None


def _check(
    template: Path,
    data: Sequence[Path],
    search: LayoutSearch | None,
    layout: Layout | None,
    named: str | None = None,
    own_layouts: bool = False,
) -> list[str]:
    """``template`` tried with samples made for ``layout`` (the sample files' own layout when
    ``None``) and with ``data``, each validated in ``named`` or ``layout`` when given (in its
    own ``layout:`` with ``own_layouts``)."""
    try:
        load_template(template)
    except TemplateError as exc:
        return [str(exc)]
    name = named or (layout.name if layout is not None else None)
    trial = TrialTemplate(template, Marking(template_headings(template)))
    tried: list[tuple[str, Validation]] = []
    problems: list[Problem] = []
    for sample in samples(layout):
        validation = _sample_validation(sample, search, layout, name)
        if validation.ok:
            tried.append((sample.name, validation))
        else:
            problems.append(Problem(_sample_broken(sample, validation)))
    if not tried:
        return _texts(problems)
    complete = tried[0][1]
    context = _context(complete)
    figure_keys = figure_patterns(list(context.figures))
    stand_ins: dict[str, str] = {}
    problems += static_problems(trial, context, _section_keys(complete), stand_ins)
    prepared = preparation_problems(trial.marking)
    problems += [Problem(d.message, d.block, limit=d.stops) for d in prepared]
    if any(d.stops for d in prepared):
        return _texts(problems)  # Jinja cannot compile the template: no trial render
    with zipfile.ZipFile(template) as archive:
        names = archive.namelist()
        styles = archive.read("word/styles.xml") if "word/styles.xml" in names else b""
    defined = set(_STYLE_ID.findall(styles.decode("utf-8", "replace")))
    for style in sorted(set(PARAGRAPH_STYLES.values()) - defined):
        problems.append(Problem(missing_style_message(style)))
    for path in data:
        validation = validate_file(path, search=search, layout=None if own_layouts else name)
        if not validation.ok:
            problems.append(
                Problem(f"数据 {path} 有错误，未用它试渲染；请先运行 reportgen validate {path}")
            )
            continue
        tried.append((str(path), validation))
    seen: dict[Block, Block] = {}  # where the complete sample prints each block
    for shown, validation in tried:
        found = trial_render(template, _context(validation), figure_keys, stand_ins, seen)
        problems += [Problem(p.message, p.block, shown) for p in found]
        if any(p.limit for p in found):
            break  # a runaway template: once is enough
    return _texts(located(problems, seen))


def _sample_validation(
    sample: Sample, search: LayoutSearch | None, layout: Layout | None, name: str | None
) -> Validation:
    if layout is None or name != layout.name:
        return validate_document(sample.document, search, name)
    # the layout itself, not whichever folder of that name the search finds first
    from reportgen.check.validate import validate_in_layout

    return validate_in_layout(sample.document, layout, search)


def _sample_broken(sample: Sample, validation: Validation) -> str:
    found = "；".join(f.message for f in validation.findings if f.is_error)
    return f"{sample.name}在这一版式中有错误，未用它试渲染：{found}"


def check_table_template(
    template: Path,
    data: Sequence[Path] = (),
    search: LayoutSearch | None = None,
    layout: str | None = None,
) -> list[str]:
    """Every problem found in a 自评表 template (a layout's ``table.docx``), as for a report's:
    each tag on its own, then trial renders with the table sample and each data file that
    has a table."""
    try:
        load_template(template)
    except TemplateError as exc:
        return [str(exc)]
    trial = TrialTemplate(template, Marking(template_headings(template)))
    sample = _validated(TABLE_SAMPLE, search, layout)
    context = table_context_of(sample)
    stand_ins: dict[str, str] = {}
    problems = static_problems(trial, context, frozenset(), stand_ins)
    prepared = preparation_problems(trial.marking)
    problems += [Problem(d.message, d.block, limit=d.stops) for d in prepared]
    if any(d.stops for d in prepared):
        return _texts(problems)
    for path in (TABLE_SAMPLE, *data):
        validation = sample if path == TABLE_SAMPLE else _validated(path, search, layout)
        name = SAMPLE_NAMES.get(path, str(path))
        if not validation.ok:
            problems.append(
                Problem(f"数据 {path} 有错误，未用它试渲染；请先运行 reportgen validate {path}")
            )
            continue
        if validation.table is None:
            continue  # a department without a table: nothing of this template is used
        found = trial_render(template, table_context_of(validation), frozenset(), stand_ins)
        problems += [Problem(p.message, p.block, name) for p in found]
        if any(p.limit for p in found):
            break
    return _texts(problems)


def _texts(problems: list[Problem]) -> list[str]:
    """One line per problem: the same problem on several data sets is said once."""
    merged: dict[tuple[str, Block | None], list[str] | None] = {}
    for problem in problems:
        key = (problem.message, problem.block)
        data = merged.setdefault(key, [])
        if problem.data is None:
            merged[key] = None  # found in the tag itself: whatever the data
        elif data is not None and problem.data not in data:
            data.append(problem.data)
    return [Problem(m, b, "、".join(d or []) or None).as_text() for (m, b), d in merged.items()]


def _validated(path: Path, search: LayoutSearch | None, layout: str | None) -> Validation:
    """``path`` validated in ``layout``; the 自评表 sample, which cannot fill that layout's
    outline, is tried in its own layout instead."""
    validation = validate_file(path, search=search, layout=layout)
    if not validation.ok and path in SAMPLE_NAMES and layout is not None:
        return validate_file(path, search=search)
    return validation


def _context(validation: Validation) -> TemplateContext:
    choice = validation.choice
    assert validation.report is not None and validation.derived is not None
    assert choice is not None and choice.plan is not None and choice.layout is not None
    return build_context(
        validation.report, validation.derived, choice.plan, choice.layout.name, validation.table
    )


def _section_keys(validation: Validation) -> frozenset[str]:
    """The keys a template may look up in ``sections``: every one the data may hold."""
    assert validation.report is not None
    keys = set(type(validation.report.sections).model_fields)
    if validation.choice is not None and validation.choice.plan is not None:
        keys |= set(validation.choice.plan.headings)
    return frozenset(keys)


# -- every tag on its own


def _alone(tag: str) -> str | None:
    """Jinja source that parses ``tag`` by itself; ``None`` for a tag that only closes."""
    match = re.match(r"\{%-?\s*(\w*)", tag)
    if match is None:
        return tag  # {{ … }}
    word = match[1]
    if word.startswith("end"):
        return None
    if word in BLOCK_STATEMENTS:
        return f"{tag}{{% end{word} %}}"
    if word in {"elif", "else"}:
        return f"{{% if true %}}{tag}{{% endif %}}"
    if word == "set" and "=" not in tag:
        return f"{tag}{{% endset %}}"
    return tag


def static_problems(
    trial: TrialTemplate,
    context: TrialContext,
    section_keys: frozenset[str],
    stand_ins: dict[str, str],
) -> list[Problem]:
    """Each tag parsed on its own, so that every mistake is found, not just the first; then the
    names, filters, section keys and figures each tag uses. A tag Jinja cannot read gets a
    stand-in in ``stand_ins`` that opens the same kind of block, for the trial renders."""
    env = jinja_environment()
    parsed: list[tuple[Problem, nodes.Template]] = []
    guessed: set[str] = set()
    problems: list[Problem] = []
    for source, lines in trial.sources():
        opened: list[tuple[str, Block | None]] = []  # the blocks open, innermost last
        for number, line in enumerate(source.split("\n")):
            index = lines[number]
            block = trial.marking.blocks[index] if index is not None else None
            tags, rest = _tags(line)
            for tag in tags:
                pair(tag, block, opened)
                if len(opened) > MAX_BLOCK_NESTING:
                    return problems  # said by preparation_problems, with no trial render
                alone = _alone(tag)
                if alone is None:
                    continue
                if complexity(alone) is not None:  # said by preparation_problems
                    stand_ins[tag] = _stand_in(tag)
                    continue
                try:
                    parsed.append((Problem("", block), env.parse(alone)))
                except jinja2.TemplateSyntaxError as exc:
                    stand_ins[tag] = _stand_in(tag)
                    # the names a broken loop or set meant to bind are not mistakes of their own
                    target = re.match(r"\{%-?\s*\w+\s+([\w\s,]+?)\s*(?:\bin\b|=)", tag)
                    guessed |= set(re.findall(r"\w+", target[1])) if target else set()
                    problems.append(
                        Problem(f"{quoted(tag)}{translate(exc.message or '')}", block, syntax=True)
                    )
            for opener in re.findall(r"\{\{|\{%", rest):
                problems.append(Problem(open_tag_message(opener), block, syntax=True))
        problems += [Problem(unclosed_message(word), where) for word, where in opened]
    bound = {"loop", "caller", "varargs", "kwargs", *env.globals, *guessed}
    for _, tree in parsed:
        bound |= {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
        bound |= {m.name for m in tree.find_all(nodes.Macro)}
    known = set(type(context).model_fields)
    for where, tree in parsed:
        for message in _names(tree, known, bound, env, section_keys, context):
            problem = Problem(message, where.block)
            if problem not in problems:
                problems.append(problem)
    return problems


def _stand_in(tag: str) -> str:
    """A tag Jinja reads, opening the block ``tag`` meant to open (``{% fro x in y %}``: a for)."""
    match = re.match(r"\{%-?\s*(\w*)", tag)
    if match is None:
        return ""
    word = match[1]
    if word not in BLOCK_STATEMENTS | {"elif"}:
        close = difflib.get_close_matches(word, sorted(BLOCK_STATEMENTS | {"elif"}), n=1)
        word = close[0] if close else ""
    return {
        "for": "{% for _ in () %}",
        "if": "{% if false %}",
        "elif": "{% elif false %}",
    }.get(word, f"{{% {word} x() %}}" if word in {"call", "filter"} else "")


def _tags(line: str) -> tuple[list[str], str]:
    """The tags of a line of Jinja source, a ``}}`` inside a string not ending one; and the
    text outside them."""
    text = line  # docxtpl has taken the XML out of the tags, and put < > back in them
    tags, rest, at = [], [], 0
    while (start := _next_opener(text, at)) >= 0:
        rest.append(text[at:start])
        closer = "}}" if text[start + 1] == "{" else "%}" if text[start + 1] == "%" else "#}"
        end, quote, i = -1, "", start + 2
        while i < len(text) - 1:
            char = text[i]
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif text.startswith(closer, i):
                end = i + 2
                break
            i += 1
        if end < 0:
            rest.append(text[start:])
            break
        if closer != "#}":
            tags.append(text[start:end])
        at = end
    else:
        rest.append(text[at:])
    return tags, re.sub(r"<[^>]+>", "", "".join(rest))


def _next_opener(text: str, at: int) -> int:
    found = [i for i in (text.find(o, at) for o in ("{{", "{%", "{#")) if i >= 0]
    return min(found, default=-1)


def _names(
    tree: nodes.Template,
    known: set[str],
    bound: set[str],
    env: jinja2.Environment,
    section_keys: frozenset[str],
    context: TrialContext,
) -> list[str]:
    found = []
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name not in known and name.name not in bound:
            hint = suggestion(name.name, known | bound)
            found.append(f"变量“{name.name}”不存在{hint}；可用的变量见 {VARS_COMMAND}")
    for used in tree.find_all(nodes.Filter):
        if used.name not in env.filters:
            hint = suggestion(used.name, env.filters)
            found.append(f"没有过滤器“{used.name}”{hint}；可用的过滤器见 {VARS_COMMAND}")
    for test in tree.find_all(nodes.Test):
        if test.name not in env.tests:
            found.append(f"没有判断“{test.name}”{suggestion(test.name, env.tests)}")
    for used in tree.find_all(nodes.Filter):
        # select('odd'), selectattr('x', 'odd'), map('upper'): a test or filter named by a string
        named = _NAMED_BY_ARGUMENT.get(used.name or "")
        if named is None or any(k.key == "attribute" for k in used.kwargs):
            continue
        position, table, what = named
        argument = used.args[position] if len(used.args) > position else None
        if isinstance(argument, nodes.Const) and isinstance(argument.value, str):
            wanted: str = argument.value
            if wanted not in getattr(env, table):
                hint = suggestion(wanted, getattr(env, table))
                found.append(f"{used.name} 中没有{what}“{wanted}”{hint}")
    patterns = figure_patterns(list(context.figures))
    for owner, key in _keys(tree):
        if owner in {"sections", "paragraphs"} and key not in section_keys:
            found.append(
                f"没有节“{key}”{suggestion(key, section_keys)}；各节的键名见 {VARS_COMMAND}"
            )
        if owner == "figures" and figure_patterns([key]).isdisjoint(patterns):
            found.append(
                f"没有数字“{key}”{suggestion(key, context.figures)}；可引用的数字见 {VARS_COMMAND}"
            )
    return found


def _keys(tree: nodes.Template) -> list[tuple[str, str]]:
    found = []
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        owner = getattr(node, "node", None)
        if not isinstance(owner, nodes.Name):
            continue
        if isinstance(node, nodes.Getattr):
            found.append((owner.name, node.attr))
        elif isinstance(node, nodes.Getitem):
            key = node.arg
            if isinstance(key, nodes.Const) and isinstance(key.value, str):
                found.append((owner.name, key.value))
    return found
