"""The base of the data models: every string is checked, every integer takes full-width digits."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

import reportgen.model.report  # noqa: F401 - defines the models walked below
from reportgen.check.validate import validate_text
from reportgen.model.base import Integer, StrictModel, Text


def _models(base: type[BaseModel] = StrictModel) -> Iterator[type[BaseModel]]:
    for model in base.__subclasses__():
        yield model
        yield from _models(model)


def _bare(annotation: Any) -> Iterator[Any]:
    """``str`` and ``int`` in ``annotation`` that no validator of ours wraps."""
    if annotation in (str, int):
        yield annotation
    elif typing.get_origin(annotation) is not Annotated:
        for arg in typing.get_args(annotation):
            yield from _bare(arg)


def test_no_field_is_a_bare_str_or_int() -> None:
    """``Text``, ``Name`` or ``Integer`` instead (or a type with a validator of its own):
    nothing else refuses a control character or reads ``２０２４``."""
    bare = [
        f"{model.__name__}.{name}: {field.annotation}"
        for model in _models()
        for name, field in model.model_fields.items()
        if any(_bare(field.rebuild_annotation()))
    ]
    assert bare == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'layout: "pan\\x01yu"\n',
            "f.yaml:1:9 错误 S003 layout: 文字中含有不允许的控制字符 U+0001",
        ),
        ('layout: ""\n', "f.yaml:1:9 错误 R001 layout: 未知的版式“”"),
        ("year: ２０２３\n", None),
        ("year: 二〇二三\n", "f.yaml:1:7 错误 S003 year: 应为整数，实际为“二〇二三”"),
    ],
    ids=["name-control", "name-empty", "integer-full-width", "integer-chinese"],
)
def test_name_and_integer(text: str, expected: str | None) -> None:
    found = [f.as_text() for f in validate_text(text, "f.yaml").findings]
    if expected is None:
        assert not any(" year" in f for f in found), found
    else:
        assert any(f.startswith(expected) for f in found), found


def test_the_walk_sees_a_bare_field() -> None:
    assert list(_bare(dict[str, Text] | None)) == [str]
    assert list(_bare(list[Text] | Integer | None)) == []
