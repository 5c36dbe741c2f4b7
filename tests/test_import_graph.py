"""The import graph points down the pipeline: no cycles, no edge back up (tests/import_graph.py)."""

from __future__ import annotations

from pathlib import Path

from tests import import_graph


def test_every_module_is_in_a_stage() -> None:
    for name in import_graph.modules():
        import_graph.stage_of(name)  # raises for a module outside every stage


def test_the_graph_sees_imports_inside_functions() -> None:
    # validate.py imports the schema errors inside a function, where a cycle would hide
    assert "reportgen.model.schema_errors" in import_graph.graph()["reportgen.check.validate"]


def test_the_package_itself_imports_nothing_at_import_time() -> None:
    # its public API is loaded by name on first use; every stage may read its version
    assert import_graph.graph()["reportgen"] == set()


def test_no_cycles() -> None:
    assert import_graph.cycles(import_graph.graph()) == []


def test_no_edge_back_up_the_pipeline() -> None:
    assert import_graph.back_edges(import_graph.graph()) == []


def test_stages_kept_apart_do_not_meet() -> None:
    assert import_graph.apart_edges(import_graph.graph()) == []


def test_a_back_edge_and_a_cycle_are_seen(tmp_path: Path) -> None:
    package = tmp_path / "reportgen"
    for folder in ("model", "layout"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "model" / "report.py").write_text(
        "def f():\n    from reportgen.layout.outline import Outline\n"
    )
    (package / "layout" / "outline.py").write_text("from ..model import report\n")
    edges = import_graph.graph(package)
    assert edges["reportgen.layout.outline"] == {"reportgen.model.report"}
    assert import_graph.back_edges(edges) == ["reportgen.model.report → reportgen.layout.outline"]
    assert import_graph.cycles(edges) == [["reportgen.layout.outline", "reportgen.model.report"]]


def test_long_modules_say_why() -> None:
    assert import_graph.long_modules() == []
