"""The base of every data model: unknown keys are errors, text is checked for bad characters."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict
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
