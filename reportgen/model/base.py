"""The base of every data model: unknown keys are errors, text is checked for bad characters."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    ConfigDict,
    GetJsonSchemaHandler,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, PydanticCustomError

from reportgen.model.compiled import KeptModel
from reportgen.model.forms import (
    NO,
    WHITESPACE,
    YES,
    ascii_text,
    flag_form,
    matcher,
    schema_pattern,
    year_form,
)

# Characters XML 1.0 forbids; Word would refuse the document.
_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def check_text(value: str) -> str:
    bad = _XML_FORBIDDEN.search(value)
    if bad:
        raise PydanticCustomError(
            "text_control_char",
            "文字中含有不允许的控制字符 U+{code}（常见于从 Word 复制），请删除",
            {"code": f"{ord(bad.group()):04X}"},
        )
    if not value.strip():
        raise PydanticCustomError("text_empty", "文字不能为空", {})
    return value


# What check_text accepts, for the JSON Schema: a character other than white space and none
# XML forbids between the ends, which are stripped first (as str.strip() strips them, control
# characters among them); surrogates cannot reach a UTF-8 file. Matched in linear time.
_FORBIDDEN_CLASS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\ufffe\\uffff"
_SPACE_CLASS = "".join(f"\\u{ord(c):04x}" for c in WHITESPACE)
TEXT_PATTERN = (
    f"^[{_SPACE_CLASS}]*[^{_FORBIDDEN_CLASS}{_SPACE_CLASS}]"
    f"(?:[^{_FORBIDDEN_CLASS}]*[^{_FORBIDDEN_CLASS}{_SPACE_CLASS}])?[{_SPACE_CLASS}]*$"
)


# The loader hands every scalar over as written, so ``department: 123`` or ``goals: true`` is
# the text “123”, “true”: the JSON Schema takes a YAML number or true/false there too.
class _TextSchema:
    """The JSON Schema of Text: pydantic's string (with a field's own limits, such as the
    department's 100 characters) in TEXT_PATTERN, or a YAML number or true/false."""

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        text = {**handler(core_schema), "pattern": TEXT_PATTERN}
        return {"anyOf": [text, {"type": "number"}, {"type": "boolean"}]}


Text = Annotated[str, AfterValidator(check_text), _TextSchema()]


def _no_control_characters(value: str) -> str:
    """A control character in a name is invisible in a message and would otherwise read
    “未知的版式“default”（是否想写“default”？）”."""
    if _XML_FORBIDDEN.search(value):
        return check_text(value)
    return value


# A name rather than text (``layout``): it may be empty, but holds no control character.
Name = Annotated[str, AfterValidator(_no_control_characters)]


def _half_width(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


_YEAR = matcher(year_form)


def _year_as_written(raw: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """The year as pydantic reads it (its messages for a year out of range or not a number),
    written as a four-digit year (model/forms.py: what the JSON Schema states): not
    ``2_024``, ``+2024`` or ``2024.0``."""
    value = handler(_half_width(raw))
    if isinstance(raw, str) and not _YEAR.fullmatch(ascii_text(raw)):
        raise PydanticCustomError(
            "year_text", "年度应写为四位数字（如 2024），实际为“{value}”", {"value": raw[:40]}
        )
    return value


# ``２０２４`` typed with a Chinese input method is the year 2024, as amounts are.
Integer = Annotated[
    int,
    WrapValidator(_year_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 2000, "maximum": 2100},
                {"type": "string", "pattern": schema_pattern(year_form)},
            ],
            "examples": [2024],
        },
        mode="validation",
    ),
]


def _flag_as_written(raw: Any, handler: ValidatorFunctionWrapHandler) -> Any:
    """true/false as pydantic reads them, and only in the words model/forms.py lists."""
    value = handler(raw)
    if isinstance(raw, str) and raw.lower() not in YES + NO:
        raise PydanticCustomError(
            "bool_text", "应为 true 或 false，实际为“{value}”", {"value": raw[:40]}
        )
    return value


# true / false, and the words YAML 1.1 and pydantic also read (yes, no, on, off …)
Flag = Annotated[
    bool,
    WrapValidator(_flag_as_written),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "boolean"},
                {"enum": [0, 1]},  # the loader hands over “1” and “0” as written
                {"type": "string", "pattern": schema_pattern(flag_form, strip=False)},
            ]
        },
        mode="validation",
    ),
]


def empty_list() -> list[Any]:
    """The ``default_factory`` of list fields. Not ``list`` itself: pydantic reads the factory's
    signature, which the built-in ``list`` has only as text for ``inspect`` to tokenize, 3 ms
    at the first field and 0.15 ms at each other, at every start-up."""
    return []


class StrictModel(KeptModel):
    """Unknown keys are errors. Fields take the types above, never a bare ``str`` or ``int``
    (tests/test_model_base.py checks): a validator on every field (``field_validator("*")``)
    would do the same, but costs pydantic a signature inspection per field of every model,
    8 ms of each start-up."""

    # built when first used, from a validator kept between runs (reportgen/model/compiled.py)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
