"""Validators of the data's models kept between runs.

Building a model's validator (pydantic's schema generation) was a third of a ``reportgen
validate``; the validator once built is a plain description that pickles, and reading it back
takes a millisecond. So every model derives from :class:`KeptModel` — none is built at import —
and gets its validator when first used: read back from the user's cache
(:mod:`reportgen.user_cache`) when an entry exists for exactly this code, else built as pydantic
builds it and kept for the next run. A model made at run time (``create_model``) cannot be found
by its name when read back; :func:`compiled` gives it its validator, told the models it is made
of. (A serializer is not kept: ``model_dump`` at run time builds its model whole.)

An entry is named by a hash of everything a validator depends on: Python's and pydantic's
versions, reportgen's version and every module of reportgen as installed (size and modification
time), and the model's own name and fields (a model made for a layout's sections,
:func:`reportgen.model.report.report_model`, is one per set of sections). A damaged, foreign or
half-written entry, or one that does not unpickle into a validator, is ignored and the model
built again: the cache changes how fast a model is ready, never what it accepts
(tests/test_compiled.py validates every example with and without it).

The entries are pickles, read only from the user's private cache folder, which nobody else can
write (:func:`reportgen.user_cache.private_dir`): the same trust as the Python modules the user
runs.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pydantic
import pydantic_core
from pydantic import BaseModel, ConfigDict

from reportgen import __version__
from reportgen.user_cache import installed, read_entry, write_entry

FOLDER = "models"
MAX_ENTRIES = 64
_MAGIC = b"reportgen-compiled-model 1\n"
_PACKAGE = Path(__file__).resolve().parent.parent

Model = TypeVar("Model", bound=type[BaseModel])


@lru_cache(maxsize=1)
def _code() -> bytes:
    """What every validator depends on besides the model itself."""
    parts = [sys.version, pydantic.VERSION, pydantic_core.__version__, __version__]
    return "\0".join(parts + installed(_PACKAGE)).encode()


def _entry_name(model: type[BaseModel], made: Sequence[type[BaseModel]]) -> str:
    """The entry of ``model``: its module and name, and the fields of the models made at run
    time by name and description (all that tells one layout's sections from another's: their
    types are in the code; a type's repr would name memory addresses)."""
    described = [f"{model.__module__}.{model.__qualname__}"]
    for each in made:
        described += [f"{name}:{field.description}" for name, field in each.model_fields.items()]
    key = hashlib.sha256(_code() + b"\0" + "\0".join(described).encode())
    return key.hexdigest() + ".pickle"


class _Pickler(pickle.Pickler):
    """Pickles a validator with the models made at run time as references by position (they
    cannot be found by name when read back)."""

    def __init__(self, stream: io.BytesIO, made: Sequence[type[BaseModel]]) -> None:
        super().__init__(stream, protocol=pickle.HIGHEST_PROTOCOL)
        self._made = {id(each): n for n, each in enumerate(made)}

    def persistent_id(self, obj: Any) -> int | None:
        return self._made.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, stream: io.BytesIO, made: Sequence[type[BaseModel]]) -> None:
        super().__init__(stream)
        self._made = made

    def persistent_load(self, pid: Any) -> type[BaseModel]:
        if not isinstance(pid, int) or not 0 <= pid < len(self._made):
            raise pickle.UnpicklingError("unknown model")
        return self._made[pid]


def compiled(model: Model, made: Sequence[type[BaseModel]] = ()) -> Model:
    """``model``, ready to validate: its validator read back or built (``made``: the models
    ``model`` is or holds that were made at run time, by ``create_model``)."""
    if not (model.__pydantic_complete__ or _has_validator(model)):
        _give_validator(model, made)
    return model


def _give_validator(model: type[BaseModel], made: Sequence[type[BaseModel]]) -> None:
    """Read ``model``'s validator back from its entry, or build it and keep it."""
    name = _entry_name(model, made)
    payload = read_entry(FOLDER, name, _MAGIC)
    if payload is not None:
        try:
            validator = _Unpickler(io.BytesIO(payload), made).load()
        except Exception:
            validator = None
        if isinstance(validator, pydantic_core.SchemaValidator):
            model.__pydantic_validator__ = validator
            return
    model.model_rebuild(force=True)
    stream = io.BytesIO()
    try:
        _Pickler(stream, made).dump(model.__pydantic_validator__)
    except (pickle.PicklingError, TypeError, AttributeError):
        return  # a validator holding something that does not pickle: built every run
    write_entry(FOLDER, name, _MAGIC, stream.getvalue(), MAX_ENTRIES)


class KeptModel(BaseModel):
    """A model whose validator is not built at import but when first used, read back from the
    user's cache when an entry exists (or built and kept): the base of the data's models and
    of the templates' contexts. A model made at run time is not found by its name, so it is
    built as pydantic builds it, unless given to :func:`compiled` with the models it is made of."""

    model_config = ConfigDict(defer_build=True)

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        # pydantic's stand-in (a MockValSer) would build the schema at first use
        cls.__pydantic_validator__ = _KeptValidator(cls)  # type: ignore[assignment]


class _KeptValidator:
    """Stands in for a model's validator until first used, then puts the real one in its place."""

    __slots__ = ("_model",)

    def __init__(self, model: type[BaseModel]) -> None:
        self._model = model

    def __getattr__(self, item: str) -> Any:
        if item in _KeptValidator.__slots__:  # a copy made without __init__
            raise AttributeError(item)
        model = self._model
        if not _has_validator(model):
            if _found_by_name(model):
                _give_validator(model, ())
            else:
                model.model_rebuild(force=True)
        return getattr(model.__pydantic_validator__, item)


def _found_by_name(model: type[BaseModel]) -> bool:
    """Whether ``model`` is the class its module holds under its name (not one made at run
    time, or in a function, whose name another model may have)."""
    module = sys.modules.get(model.__module__)
    return getattr(module, model.__qualname__, None) is model


def _has_validator(model: type[BaseModel]) -> bool:
    return isinstance(model.__dict__.get("__pydantic_validator__"), pydantic_core.SchemaValidator)
