"""What still loads when the schema rejects part of a file: the rejected parts are set aside and
the rest is validated again, so the rules run on it and a file's findings all come in one run.

A rule finding is kept only when nothing it speaks of was set aside or sits beside a figure that
was: a total whose part is missing, a rate whose budget fell back to another, would otherwise be
reported against figures the user never wrote that way.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from pydantic import ValidationError

from reportgen.findings import FieldPath, Finding
from reportgen.model.report import Report
from reportgen.model.schema_errors import data_path

MAX_ROUNDS = 40
# Roots whose fields are figures related to their siblings (sums, rates): setting one aside
# puts its neighbours' relations in doubt. A narrative string or section stands alone.
_FIGURE_ROOTS = frozenset({"budget", "score", "key_tasks", "indicators", "organization", "table"})
# Setting these aside changes how everything else is read.
_WHOLE_REPORT = frozenset({"rules"})
# Required parts that failed to load get a stand-in, so the rest of the file can still be
# checked; nothing said about a stand-in is reported (its scope is in doubt).
_STAND_INS: dict[str, Any] = {
    "year": "2000",
    "department": "（未填写）",
    "budget": {"expenditure": {"basic": "0", "project": "0"}},
    "score": {"total": "0"},
}
# Rules that read a top-level part everywhere: set aside or stood in, their findings go.
_READ_EVERYWHERE: dict[str, frozenset[str]] = {
    "year": frozenset({"R005"}),
    "layout": frozenset({"R001", "R002", "R010"}),
    "outline": frozenset({"R002", "R010"}),
    # the figures ${…} may name, and the amounts typed prose is compared with
    "budget": frozenset({"R003", "R006"}),
    "score": frozenset({"R003", "R006"}),
    "key_tasks": frozenset({"R003", "R004", "R006"}),
    "indicators": frozenset({"R003", "R004"}),
    "organization": frozenset({"R003", "R004"}),
}


class Positions:
    """Paths in the pruned data → the same nodes' paths in the file: the items set aside
    before a list item shift it. Each list's kept indices are worked out once, so mapping
    every finding of a file takes time linear in the findings, not in findings × items."""

    def __init__(self, data: Any, removed: Iterable[FieldPath]) -> None:
        self._data = data
        self._gone: dict[FieldPath, set[int]] = {}
        for path in removed:
            if path and isinstance(path[-1], int):
                self._gone.setdefault(path[:-1], set()).add(path[-1])
        self._kept: dict[FieldPath, list[int]] = {}

    def original(self, path: FieldPath) -> FieldPath:
        out: list[str | int] = []
        node = self._data
        for part in path:
            if isinstance(node, list) and isinstance(part, int):
                index = self._index(tuple(out), node, part)
                out.append(index)
                node = node[index] if 0 <= index < len(node) else None
            elif isinstance(node, dict) and part in node:
                out.append(part)
                node = node[part]
            else:
                out.append(part)
                node = None
        return tuple(out)

    def _index(self, where: FieldPath, items: list[Any], part: int) -> int:
        gone = self._gone.get(where)
        if not gone:
            return part
        kept = self._kept.get(where)
        if kept is None:
            kept = self._kept[where] = [i for i in range(len(items)) if i not in gone]
        return kept[part] if 0 <= part < len(kept) else part


@dataclass(frozen=True)
class Salvaged:
    """The report built from what loaded, and how to read its findings against the file."""

    report: Report
    data: Any
    removed: frozenset[FieldPath]
    doubtful: frozenset[FieldPath]
    dropped_codes: frozenset[str]

    @functools.cached_property
    def _positions(self) -> Positions:
        return Positions(self.data, self.removed)

    def original(self, path: FieldPath) -> FieldPath:
        """``path`` in the salvaged data → the same node's path in the file."""
        return self._positions.original(path)

    def trusted(self, finding: Finding) -> Finding | None:
        """``finding`` in the file's coordinates, or ``None`` if it rests on what was set aside."""
        if finding.code in self.dropped_codes:
            return None
        path = self.original(finding.path)
        related = tuple(self.original(p) for p in finding.related)
        for subject in (path, *related):
            if any(subject[:depth] in self.doubtful for depth in range(len(subject) + 1)):
                return None
        return replace(finding, path=path, related=related)


def _pruned(value: Any, path: FieldPath, removed: set[FieldPath], stand_ins: dict[str, Any]) -> Any:
    if isinstance(value, dict):
        result = {
            key: _pruned(child, (*path, key), removed, stand_ins)
            for key, child in value.items()
            if (*path, key) not in removed
        }
        if not path:
            result.update(stand_ins)
        return result
    if isinstance(value, list):
        return [
            _pruned(child, (*path, i), removed, stand_ins)
            for i, child in enumerate(value)
            if (*path, i) not in removed
        ]
    return value


def _doubt(path: FieldPath) -> FieldPath:
    """The scope whose rule findings setting ``path`` aside puts in doubt."""
    if not path or path[0] in _WHOLE_REPORT:
        return ()
    if path[0] in _FIGURE_ROOTS and len(path) > 1:
        return path[:-1]
    return path


def salvage(data: Any, model: type[Report] = Report) -> Salvaged | None:
    """The report without the parts the schema rejects, or ``None`` if too little is left."""
    if not isinstance(data, dict):
        return None
    removed: set[FieldPath] = set()
    unknown: set[FieldPath] = set()  # keys the model does not have: nothing rests on them
    stand_ins: dict[str, Any] = {}
    for _ in range(MAX_ROUNDS):
        pruned = _pruned(data, (), removed, stand_ins)
        # this round's errors are about ``pruned``: mapped back with what it was pruned of, not
        # with what this round sets aside as well
        positions = Positions(data, removed)
        try:
            report = model.model_validate(pruned)
        except ValidationError as exc:
            progress = False
            for err in exc.errors(include_url=False):
                where = positions.original(data_path(tuple(err["loc"]), pruned))
                if err["type"] == "missing":
                    target = where[:-1]
                    if len(where) == 1 and where[0] in _STAND_INS and where[0] not in stand_ins:
                        stand_ins[str(where[0])] = _STAND_INS[str(where[0])]
                        progress = True
                        continue
                else:
                    target = where
                if not target:
                    return None
                if target not in removed:
                    removed.add(target)
                    if err["type"] == "extra_forbidden":
                        unknown.add(target)
                    progress = True
            if not progress:
                return None
            continue
        touched = {str(path[0]) for path in removed - unknown} | set(stand_ins)
        return Salvaged(
            report=report,
            data=data,
            removed=frozenset(removed),
            doubtful=frozenset(
                {
                    *(_doubt(path) for path in removed - unknown),
                    *((key,) for key in stand_ins),
                }
            ),
            dropped_codes=frozenset().union(*(_READ_EVERYWHERE.get(k, ()) for k in touched)),
        )
    return None
