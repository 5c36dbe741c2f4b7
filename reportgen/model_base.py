"""The base of every data model: unknown keys are errors, text is checked for bad characters."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

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


Text = Annotated[str, AfterValidator(check_text)]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _half_width_integer(cls, value: Any, info: Any) -> Any:
        """``２０２４`` typed with a Chinese input method is the year 2024, as amounts are."""
        field = cls.model_fields.get(info.field_name) if info.field_name else None
        if field is not None and field.annotation is int and isinstance(value, str):
            return unicodedata.normalize("NFKC", value).strip()
        return value

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        """Plain ``str`` fields (``layout``) too: a control character in them is invisible in
        a message and would otherwise read “未知的版式“default”（是否想写“default”？）”."""
        if isinstance(value, str) and _XML_FORBIDDEN.search(value):
            return check_text(value)
        return value
