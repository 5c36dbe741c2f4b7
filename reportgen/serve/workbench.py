"""What the web app does, callable from Python: each method calls the core function the CLI
calls (``validate_text``, ``render_document``, ``import_file``…) and hands back plain data."""

from __future__ import annotations

import functools
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportgen.check.figures import derived_figures, figures
from reportgen.check.table import FundsRow, TableView
from reportgen.check.validate import Validation, validate_text
from reportgen.errors import InvalidReportError
from reportgen.findings import Finding, format_path
from reportgen.importer.coverage import figure_label
from reportgen.layout.outline import untitled
from reportgen.layout.search import DEFAULT_LAYOUT, LayoutSearch
from reportgen.model import formatting
from reportgen.model.amounts import FigureKind
from reportgen.model.formatting import printed
from reportgen.output.naming import output_name, pdf_name
from reportgen.output.pdf import soffice
from reportgen.output.render import render_document
from reportgen.serve import preview, starting
from reportgen.serve.edit import Edit, apply_edit
from reportgen.serve.workspace import Workspace

Json = dict[str, Any]


@dataclass(frozen=True)
class Download:
    """A file the page offers for the saved data: its label and how it is made."""

    key: str
    label: str
    available: Callable[[], bool]
    make: Callable[[Validation], tuple[str, bytes]]  # → file name, content
    applies: Callable[[Validation], bool] = lambda validation: True


def _docx(validation: Validation) -> tuple[str, bytes]:
    report = validation.report
    assert report is not None  # render_document refuses a report that does not validate
    content = render_document(validation)
    return output_name(report.year, report.department), content


def _pdf(validation: Validation) -> tuple[str, bytes]:
    name, content = _docx(validation)
    return pdf_name(name), preview.pdf_bytes(content)


def _table_docx(validation: Validation) -> tuple[str, bytes]:
    from reportgen.output.table import render_table_document, table_name

    report = validation.report
    assert report is not None  # render_table_document refuses a report that does not validate
    content = render_table_document(validation)
    return table_name(report.year, report.department), content


def _table_xlsx(validation: Validation) -> tuple[str, bytes]:
    from reportgen.output.table import write_table_workbook_file

    with tempfile.TemporaryDirectory(prefix="reportgen-table-") as folder:
        written = write_table_workbook_file(validation, Path(folder))
        return written.name, written.read_bytes()


def _has_table(validation: Validation) -> bool:
    return validation.table is not None


# One entry, one button on the page (shown for the files it applies to).
DOWNLOADS: list[Download] = [
    Download("docx", "下载 Word 报告（.docx）", lambda: True, _docx),
    Download("pdf", "下载 PDF", lambda: soffice() is not None, _pdf),
    Download("table-docx", "下载自评表（.docx）", lambda: True, _table_docx, _has_table),
    Download("table-xlsx", "下载自评表（.xlsx）", lambda: True, _table_xlsx, _has_table),
]


def finding_json(finding: Finding) -> Json:
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "message": finding.message,
        "path": format_path(finding.path),
        "line": finding.location.line if finding.location else None,
        "column": finding.location.column if finding.location else None,
        "related": [
            {"path": format_path(p), "line": loc.line}
            for p, loc in zip(finding.related, finding.related_locations, strict=False)
        ],
        "text": finding.as_text(),
    }


def _funds_rows(view: TableView) -> Iterator[tuple[str, FundsRow]]:
    """Each funds row the data states, by the path of its 全年执行数 (where its rate is shown)."""
    for row in (view.funds.total, *view.funds.rows):
        if row.path is not None:
            yield format_path((*row.path, "executed")), row


def table_computed(view: TableView) -> dict[str, str]:
    """The 自评表's computed figures by the data path they stand beside: each indicator's
    score, each funds row's execution rate, the funds block's score, the totals (what
    ``${table.…}`` names is :func:`reportgen.check.figures.table_figures`)."""
    found: dict[str, str] = {}
    for block in view.blocks:
        for indicator in block.indicators:
            if indicator.computed_score is not None:
                found[format_path((*indicator.path, "score"))] = formatting.score(
                    indicator.computed_score
                )
    for path, row in _funds_rows(view):
        if row.rate is not None:
            found[path] = f"执行率 {formatting.percent(row.rate)}"
    if view.funds.computed_score is not None:
        found["table.funds.score"] = formatting.score(view.funds.computed_score)
    if view.totals.final is not None:
        found["table.totals.final"] = formatting.score(view.totals.final)
    if view.totals.grade is not None:
        found["table.totals.grade"] = view.totals.grade
    return found


def computed_labels(validation: Validation, computed: Iterable[str]) -> dict[str, str]:
    """Names for the ``computed`` figures, whose field the form may not show: a field's
    description (基本支出占支出合计的比例), as audit names it — an item's figure is left to the
    page, which adds the item's name —; an indicator's completion rate when the indicators come
    from the 自评表's tree, a funds row's execution rate."""
    described = {path: figure_label({}, path) for path in computed if "[" not in path}
    labels = {path: name for path, name in described.items() if name != path}
    report = validation.report
    if report is not None:
        for n, indicator in enumerate(report.indicators):
            labels[f"indicators[{n}].rate"] = f"完成率（{indicator.name}）"
    if validation.table is not None:
        labels |= {path: row.label for path, row in _funds_rows(validation.table)}
    return labels


def checked(validation: Validation) -> Json:
    """A validation as the page shows it: findings, the data, computed figures, placeholders."""
    report, derived, choice = validation.report, validation.derived, validation.choice
    computed: dict[str, str] = {}
    names: list[str] = []
    if report is not None and derived is not None:
        thousands = choice.plan.money_thousands if choice and choice.plan else True
        computed = {
            path: printed(kind, value, thousands)
            for path, kind, value, _ in derived_figures(report, derived)
        }
        # a total the data states is printed as stated; beside its field, the sum is shown
        sums = {
            "budget.expenditure.total": derived.expenditure_sum,
            "budget.income.total": derived.income_sum,
            "key_tasks.total": derived.key_tasks_sum,
        }
        computed |= {
            path: printed(FigureKind.MONEY, value, thousands)
            for path, value in sums.items()
            if value is not None
        }
        names = sorted(figures(report, derived))
    if validation.table is not None:
        computed |= table_computed(validation.table)
    labels = computed_labels(validation, computed)
    plan = choice.plan if choice is not None else None
    required = {key for key, _ in plan.required()} if plan is not None else set()
    preface = plan.preface.key if plan is not None and plan.preface is not None else None
    sections = [
        {
            "key": key,
            "heading": untitled(heading) if key == preface else heading,
            "required": key in required,
        }
        for key, heading in (plan.headings.items() if plan is not None else [])
    ]
    return {
        "ok": validation.ok,
        "errors": sum(f.is_error for f in validation.findings),
        "warnings": sum(not f.is_error for f in validation.findings),
        "findings": [finding_json(f) for f in validation.findings],
        "data": validation.document.data,
        "computed": computed,
        "labels": {path: label for path, label in labels.items() if path in computed},
        "placeholders": names,
        "sections": sections,
        "downloads": [d.key for d in DOWNLOADS if d.available() and d.applies(validation)],
    }


class Workbench:
    """The served folder and the layouts in use; one per ``reportgen serve``."""

    def __init__(self, root: Path, search: LayoutSearch | None = None) -> None:
        self.workspace = Workspace(root)
        self.search = search or LayoutSearch.from_options()
        self.todo: dict[str, list[str]] = {}  # import notes per file, while the server runs
        self.page_images = preview.PageImages()

    def state(self) -> Json:
        return {
            "folder": str(self.workspace.root),
            "files": self.workspace.files(),
            "layouts": [
                {"name": layout.name, "label": layout.label} for layout in self.search.all()
            ],
            "default_layout": DEFAULT_LAYOUT,
            "profiles": [
                {"name": found.name, "label": found.label, "usable": found.profile is not None}
                for found in self.search.profiles()
            ],
            "downloads": [{"key": d.key, "label": d.label} for d in DOWNLOADS if d.available()],
            "pages": soffice() is not None,
        }

    @functools.cached_property
    def schema(self) -> Json:
        from reportgen.docs.json_schema import report_schema

        return report_schema(self.search)

    def _validate(self, name: str, text: str) -> Validation:
        return validate_text(text, name, self.search)

    def open(self, name: str) -> Json:
        opened = self.workspace.open(name)
        result: Json = {"file": opened.name, "text": opened.text, "version": opened.version}
        result["todo"] = self.todo.get(opened.name, [])
        if opened.text is None:
            return result | {"check": {"findings": [finding_json(f) for f in opened.findings]}}
        return result | {"check": checked(self._validate(opened.name, opened.text))}

    def check(self, name: str, text: str) -> Json:
        return checked(self._validate(name, text))

    def edit(self, name: str, text: str, edit: Edit) -> Json:
        changed = apply_edit(text, edit)
        return {"text": changed, "check": self.check(name, changed)}

    def save(self, name: str, text: str, version: str | None, force: bool) -> Json:
        new_version = self.workspace.save(name, text, version, force=force)
        return {"version": new_version, "files": self.workspace.files()}

    def new(self, name: str, start: str, choice: starting.Choice) -> Json:
        started = starting.new_file(self.workspace, name, start, choice, self.search)
        return {"file": started.name}

    def import_report(
        self, filename: str, content: bytes, name: str, choice: starting.Choice, year: int | None
    ) -> Json:
        started = starting.import_upload(
            self.workspace, filename, content, name, self.search, choice, year
        )
        self.todo[started.name] = started.notes
        return {"file": started.name, "todo": started.notes}

    def _rendered(self, name: str, text: str) -> list[tuple[str, bytes]]:
        """The documents the data prints: the report, and its 自评表 when it has one."""
        validation = self._validate(name, text)
        if not validation.ok:
            raise InvalidReportError("数据有错误，改正后才能预览（见“问题”一栏）")
        documents = [("报告", render_document(validation))]
        if validation.table is not None:
            from reportgen.output.table import render_table_document

            documents.append(("自评表", render_table_document(validation)))
        return documents

    def preview(self, name: str, text: str) -> Json:
        documents = self._rendered(name, text)
        titled = len(documents) > 1
        return {
            "html": "".join(
                preview.docx_html(content, title if titled else "") for title, content in documents
            ),
            "documents": [title for title, _ in documents],
        }

    def pages(self, name: str, text: str) -> Json:
        pages, kept = self.page_images.images(
            [content for _, content in self._rendered(name, text)]
        )
        return {"pages": pages, "kept": kept}

    def download(self, name: str, key: str) -> tuple[str, bytes]:
        """A download of the file as saved on disk (so it matches ``reportgen render``)."""
        chosen = next((d for d in DOWNLOADS if d.key == key and d.available()), None)
        if chosen is None:
            raise InvalidReportError(f"不能下载这种文件：{key}")
        opened = self.workspace.open(name)  # read through the folder, as the page's open
        if opened.text is None:
            raise InvalidReportError(f"{name} 有错误，未生成；请先改正并保存")
        validation = self._validate(opened.name, opened.text)
        if not validation.ok:
            raise InvalidReportError(f"{name} 有错误，未生成；请先改正并保存")
        if not chosen.applies(validation):
            raise InvalidReportError(f"{name} 没有自评表的数据（table:），无法生成自评表")
        return chosen.make(validation)
