"""reportgen's import graph, read from the source (every ``import``, at module level or inside a
function), checked against the pipeline's stage order.

``python -m tests.import_graph`` prints the graph, one module a line, and any cycle or edge back up
the pipeline; tests/test_import_graph.py fails on them.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "reportgen"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE

# The pipeline, bottom first: a module may import its own stage and those before it, never one
# after it. Stages on one line are peers, which do not import each other.
STAGES: tuple[tuple[str, ...], ...] = (
    # the package itself (its version, and the public API re-exported by name, lazily) and the
    # one error family; then the finding every stage reports, the clock files are dated by,
    # the user's cache folders and how a bug of reportgen's is said (with the version)
    ("reportgen", "reportgen.errors"),
    ("reportgen.findings", "reportgen.clock", "reportgen.user_cache", "reportgen.bug_report"),
    ("reportgen.read",),
    ("reportgen.model",),
    ("reportgen.layout",),
    ("reportgen.check",),
    ("reportgen.context",),
    ("reportgen.template",),
    ("reportgen.output",),
    ("reportgen.batch", "reportgen.importer", "reportgen.docs"),
    ("reportgen.serve",),  # the local page: the same steps as the command line, behind HTTP
    ("reportgen.cli",),
    ("reportgen.__main__",),
)

# Stages that the order allows to meet but that have no business with each other.
APART: tuple[tuple[str, str, str], ...] = (
    ("reportgen.importer", "reportgen.template", "reading a published report runs no template"),
    ("reportgen.importer", "reportgen.context", "figures print by model.formatting, not a context"),
    ("reportgen.importer", "reportgen.check.derive", "the importer reads figures, it derives none"),
    ("reportgen.docs", "reportgen.template", "reference pages come from the code, not a template"),
)

# A module past this many lines says in its docstring why it is one module.
MAX_LINES = 400


@dataclass(frozen=True)
class Module:
    name: str
    path: Path

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"


def modules(root: Path = ROOT) -> dict[str, Module]:
    found: dict[str, Module] = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        name = ".".join(parts)
        found[name] = Module(name, path)
    return found


def _imported(module: Module, known: dict[str, Module]) -> Iterator[str]:
    """The reportgen modules ``module`` imports anywhere in its source."""
    tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == PACKAGE or alias.name.startswith(f"{PACKAGE}."):
                    yield alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.name.split(".")
                if not module.is_package:
                    base.pop()
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            if source != PACKAGE and not source.startswith(f"{PACKAGE}."):
                continue
            for alias in node.names:
                child = f"{source}.{alias.name}"
                yield child if child in known else source


def graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module → the reportgen modules it imports (itself left out)."""
    known = modules(root)
    edges: dict[str, set[str]] = {}
    for name, module in known.items():
        targets = set(_imported(module, known)) - {name}
        unknown = targets - known.keys()
        if unknown:
            raise ValueError(f"{name} imports modules that do not exist: {sorted(unknown)}")
        edges[name] = targets
    return edges


def stage_name(name: str) -> str:
    """The stage prefix (a package, or a module at the bottom) that holds ``name``."""
    prefixes = [
        p
        for stage in STAGES
        for p in stage
        # the package itself holds no module; a package missing from STAGES is in no stage
        if name == p or (p != PACKAGE and name.startswith(f"{p}."))
    ]
    if not prefixes:
        raise ValueError(f"{name} is in no stage of the pipeline")
    return max(prefixes, key=len)


def stage_of(name: str) -> int:
    """The index in :data:`STAGES` of the stage that holds ``name``."""
    prefix = stage_name(name)
    return next(i for i, stage in enumerate(STAGES) if prefix in stage)


def back_edges(edges: dict[str, set[str]]) -> list[str]:
    """Every import of a later stage, or of a peer stage, as ``a → b``."""
    found = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            up = stage_of(target) > stage_of(source)
            peer = stage_of(target) == stage_of(source) and stage_name(source) != stage_name(target)
            if up or peer:
                found.append(f"{source} → {target}")
    return found


def apart_edges(edges: dict[str, set[str]]) -> list[str]:
    """Every import between two stages in :data:`APART`, with the reason they stay apart."""
    found = []
    for source, targets in sorted(edges.items()):
        for target in sorted(targets):
            for low, high, reason in APART:
                if _within(source, low) and _within(target, high):
                    found.append(f"{source} → {target}: {reason}")
    return found


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(f"{prefix}.")


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Each strongly connected set of more than one module (Tarjan), as a sorted list."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def long_modules(root: Path = ROOT) -> list[str]:
    """Modules over :data:`MAX_LINES` lines whose docstring gives no reason (a line starting
    ``Why one module:``)."""
    found = []
    for module in modules(root).values():
        text = module.path.read_text(encoding="utf-8")
        lines = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if lines > MAX_LINES and "Why one module:" not in doc:
            found.append(f"{module.name} ({lines} lines)")
    return sorted(found)


def _short(name: str) -> str:
    return name.removeprefix(f"{PACKAGE}.")


def main() -> int:
    edges = graph()
    for source in sorted(edges, key=lambda n: (stage_of(n), n)):
        targets = ", ".join(
            _short(t) for t in sorted(edges[source], key=lambda n: (stage_of(n), n))
        )
        print(f"{_short(source)} → {targets or '(nothing)'}")
    problems = [f"back edge: {e}" for e in back_edges(edges)]
    problems += [f"kept apart: {e}" for e in apart_edges(edges)]
    problems += [f"cycle: {' ↔ '.join(_short(m) for m in c)}" for c in cycles(edges)]
    problems += [f"long module without a reason: {m}" for m in long_modules()]
    print()
    print("\n".join(problems) if problems else "no cycles, no edge back up the pipeline")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
