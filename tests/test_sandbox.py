"""Templates from other people: injection payloads, resource bombs and oversized packages fail
with a clear TemplateError and write nothing."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from reportgen.errors import TemplateError
from reportgen.render import render_to_file
from reportgen.sandbox import jinja_environment
from reportgen.validate import validate_file
from tests.conftest import COMPLETE, ROOT


def _template(directory: Path, text: str) -> Path:
    document = docx.Document(str(ROOT / "templates" / "default" / "template.docx"))
    document.add_paragraph(text, style="ReportBody")
    path = directory / "custom.docx"
    document.save(str(path))
    return path


ATTRIBUTE_ESCAPES = [
    "{{ n.__class__.__mro__ }}",
    "{{ ''.__class__.__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ paragraphs.functions[0].__class__ }}",
    "{{ sections|attr('__class__') }}",
]


@pytest.mark.parametrize("payload", ATTRIBUTE_ESCAPES)
def test_attribute_escapes_are_refused_by_the_sandbox(tmp_path: Path, payload: str) -> None:
    with pytest.raises(TemplateError, match="试图访问不允许的内容") as failure:
        render_to_file(validate_file(COMPLETE), tmp_path / "out", _template(tmp_path, payload))
    assert "<class" not in str(failure.value)


@pytest.mark.parametrize(
    "payload",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ n.h1.__globals__ }}",
        "{{ self.__init__.__globals__.__builtins__.open('/etc/passwd').read() }}",
        "{{ lipsum.__globals__['os'].popen('id').read() }}",
        "{{ request.application.__globals__ }}",
        "{{ config.items() }}",
        "{% import 'os' as os %}",
        "{% include '/etc/passwd' %}",
        "{{ figures.__class__.__base__.__subclasses__() }}",
        "{{ 'x' * 1000000000 }}",
        "{{ [0] * 1000000000 }}",
        "{{ 9 ** 99999999 }}",
        "{% for i in range(10**9) %}{% endfor %}",
    ],
)
def test_payload_fails_cleanly_and_writes_nothing(tmp_path: Path, payload: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(TemplateError) as failure:
        render_to_file(validate_file(COMPLETE), out, _template(tmp_path, payload))
    message = str(failure.value)
    assert message.startswith("模板 ")
    assert "root:" not in message and "uid=" not in message
    assert not out.exists()


def test_bounded_operators_still_work_for_normal_use() -> None:
    env = jinja_environment()
    assert env.from_string("{{ '—' * 3 }}{{ 2 ** 10 }}{{ 3 * 4 }}").render() == "———102412"


def test_zip_bomb_template_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<a/>" + b" " * (60 * 1024 * 1024))
    with pytest.raises(TemplateError, match="解压后过大"):
        render_to_file(validate_file(COMPLETE), tmp_path / "out", bomb)
