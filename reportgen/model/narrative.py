"""The narrative blocks a section is written in, and how they become numbered paragraphs."""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Discriminator, Field, Tag, model_validator
from pydantic_core import PydanticCustomError

from reportgen.model.base import StrictModel, Text

IndicatorCategory = Literal["output", "outcome", "satisfaction", "other"]


class Item(StrictModel):
    """A numbered item: ``1.title`` on its own line with ``body`` below, or ``1.title text``."""

    label: Text | None = Field(
        None, description="本部门自定的编号，如 一、 或 （一）；不写则按版式的下一级编号自动生成"
    )
    title: Text | None = Field(None, description="小标题（编号自动生成）")
    text: Text | None = Field(None, description="与编号、小标题同一段的正文")
    body: Narrative | None = Field(None, description="小标题下的各段与下级条目")

    @model_validator(mode="after")
    def _not_empty(self) -> Item:
        if self.title is None and self.text is None and self.body is None:
            raise PydanticCustomError(
                "item_empty", "条目是空的：至少要有 title、text 或 body 之一", {}
            )
        return self


class NumberedBlock(StrictModel):
    """Several numbered paragraphs: 1.… 2.… 3.…"""

    numbered: list[Text] = Field(min_length=1, description="各条内容，编号自动生成")


class JoinedBlock(StrictModel):
    """One paragraph “intro一是…；二是…。outro”."""

    joined: list[Text] = Field(min_length=1, description="各条内容，自动加“一是/二是”并以“；”连接")
    intro: Text | None = Field(None, description="“一是”之前的文字")
    outro: Text | None = Field(None, description="最后一条之后的文字")


class KeyTasksBlock(StrictModel):
    """The ``key_tasks`` facts written out: joined “一是…支出 X万元，…” or one item each."""

    key_tasks: Literal["joined", "items"] = Field(description="joined 一段 | items 逐条")
    intro: Text | None = Field(None, description="之前的文字，可用 ${key_tasks.total}")


def _all_categories(value: Any) -> Any:
    """``indicators: all`` means every category; a single name is a list of one."""
    if value == "all":
        return list(get_args(IndicatorCategory))
    return [value] if isinstance(value, str) else value


class IndicatorsBlock(StrictModel):
    """The ``indicators`` of some categories as one sentence."""

    indicators: Annotated[
        list[IndicatorCategory],
        BeforeValidator(
            _all_categories,
            json_schema_input_type=list[IndicatorCategory] | IndicatorCategory | Literal["all"],
        ),
    ] = Field(min_length=1, description="指标类别：all，或 output、outcome 等的列表")
    intro: Text | None = Field(None, description="之前的文字")
    outro: Text | None = Field(None, description="之后的文字")


class SummaryBlock(StrictModel):
    """A paragraph generated from the facts."""

    summary: Literal["finance", "score", "organization"] = Field(description="生成哪一段")


BLOCK_KEYS: dict[str, type[StrictModel]] = {
    "numbered": NumberedBlock,
    "joined": JoinedBlock,
    "key_tasks": KeyTasksBlock,
    "indicators": IndicatorsBlock,
    "summary": SummaryBlock,
}
BLOCK_TAGS: dict[str, type[StrictModel]] = {f"~{k}": v for k, v in BLOCK_KEYS.items()} | {
    "~item": Item
}


def _block_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "~text"
    if isinstance(value, dict):
        for key in BLOCK_KEYS:
            if key in value:
                return f"~{key}"
        return "~item"
    if isinstance(value, Item | NumberedBlock | JoinedBlock | KeyTasksBlock | IndicatorsBlock):
        return "~item" if isinstance(value, Item) else f"~{next(iter(type(value).model_fields))}"
    if isinstance(value, SummaryBlock):
        return "~summary"
    return None


def _narrative_kind(value: Any) -> str | None:
    if isinstance(value, str):
        return "~text"
    if isinstance(value, list):
        return "~blocks"
    return None


Block = Annotated[
    Annotated[Text, Tag("~text")]
    | Annotated[Item, Tag("~item")]
    | Annotated[NumberedBlock, Tag("~numbered")]
    | Annotated[JoinedBlock, Tag("~joined")]
    | Annotated[KeyTasksBlock, Tag("~key_tasks")]
    | Annotated[IndicatorsBlock, Tag("~indicators")]
    | Annotated[SummaryBlock, Tag("~summary")],
    Discriminator(
        _block_kind,
        custom_error_type="block_kind",
        custom_error_message="应为一段文字，或含 title/text/body、numbered、joined、key_tasks、"
        "indicators、summary 之一的映射",
    ),
]

Narrative = Annotated[
    Annotated[Text, Tag("~text")] | Annotated[list[Block], Tag("~blocks"), Field(min_length=1)],
    Discriminator(
        _narrative_kind,
        custom_error_type="narrative_kind",
        custom_error_message="应为一段文字，或由段落和条目组成的列表",
    ),
]
