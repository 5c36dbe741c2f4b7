"""A department's changes to its layout's outline (``outline:`` in the data), and what a section
key may be."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field, model_validator
from pydantic_core import PydanticCustomError

from reportgen.model.base import StrictModel, Text, empty_list

# Names a section key cannot take: the data model's own attributes (a section is a field of it).
_RESERVED = frozenset(dir(BaseModel)) | {"written"}


def _check_key(value: str) -> str:
    if value in _RESERVED or value.startswith("model_"):
        raise PydanticCustomError(
            "section_key_reserved", "“{key}”是保留的名字，不能作节的键名，请换一个", {"key": value}
        )
    if not value.isascii() or not value[:1].isalpha() or not value.replace("_", "a").isalnum():
        raise PydanticCustomError(
            "section_key",
            "节的键名只能由小写英文字母、数字和下划线组成，并以字母开头，如 staffing",
            {},
        )
    if value != value.lower():
        raise PydanticCustomError(
            "section_key", "节的键名须为小写，如 {lower}", {"lower": value.lower()}
        )
    return value


SectionKey = Annotated[str, AfterValidator(_check_key)]


class ExtraSection(StrictModel):
    """A section of the department's own, placed before or after a section of the layout."""

    key: SectionKey = Field(description="新节的键名，正文写在 sections 下的同名键中")
    heading: Text = Field(description="新节的标题（不含编号）")
    after: SectionKey | None = Field(None, description="放在哪一节之后")
    before: SectionKey | None = Field(None, description="放在哪一节之前")
    chapter: SectionKey | None = Field(
        None,
        description="放在哪一章的最后；不分节的章（整章一段）也可以，原来的正文印在各节之前作引言",
    )

    @model_validator(mode="after")
    def _one_place(self) -> ExtraSection:
        if [self.after, self.before, self.chapter].count(None) != 2:
            raise PydanticCustomError(
                "extra_section_place",
                "请用 after、before 或 chapter 之一指明新节的位置（三者只写一个）",
                {},
            )
        return self


class OutlineChanges(StrictModel):
    """One department's changes to its layout's outline (``outline:`` in the data)."""

    headings: dict[SectionKey, Text] = Field(
        default_factory=dict, description="改写标题：节或章的键名 → 新标题"
    )
    notes: dict[SectionKey, Text] = Field(
        default_factory=dict, description="标题后加注：键名 → 说明，印作“标题（说明）”"
    )
    omit: list[SectionKey] = Field(default_factory=empty_list, description="略去的选填节")
    extra_sections: list[ExtraSection] = Field(
        default_factory=empty_list, description="本部门增加的节"
    )
    chapter_bodies: list[SectionKey] = Field(
        default_factory=empty_list,
        description="整章只印一段正文、不分节的章（正文写在 sections 下章的键名中）",
    )


def is_section_key(value: str) -> bool:
    try:
        _check_key(value)
    except PydanticCustomError:
        return False
    return True
