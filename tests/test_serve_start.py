"""``reportgen serve``'s starting points: the starter in a layout, with a blank 自评表 laid out by
the scoring profile chosen (built in or in a --templates folder); the worked example with its
自评表 (``init --table``); a draft from last year's report with its indicators as the 自评表's
tree (``import --table``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml

from reportgen.docs.starter import create_starter
from reportgen.importer import import_file
from reportgen.layout.search import LayoutSearch
from reportgen.read.loader import load_text
from reportgen.serve.run import start
from tests.conftest import ROOT
from tests.test_serve_http import Client

PROFILES = ROOT / "templates" / "profiles"
SOURCE = ROOT / "tests" / "cases" / "import" / "synthetic.txt"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    """A bureau's folder with its own profile: national's blocks under other names."""
    folder = tmp_path / "我的版式"
    (folder / "profiles").mkdir(parents=True)
    national = yaml.safe_load((PROFILES / "national.yaml").read_text(encoding="utf-8"))
    national["label"] = "本区测试方案"
    for block in national["blocks"]:
        block["name"] = f"本区{block['name']}"
    (folder / "profiles" / "本区方案.yaml").write_text(
        yaml.safe_dump(national, allow_unicode=True), encoding="utf-8"
    )
    return folder


@pytest.fixture
def client(tmp_path: Path, templates: Path) -> Iterator[Client]:
    folder = tmp_path / "部门"
    folder.mkdir()
    server = start(folder, search=LayoutSearch.from_options([templates]))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Client(server)
    server.shutdown()
    server.server_close()
    thread.join(10)


def _folder(client: Client) -> Path:
    return client.server.workbench.workspace.root


def _data(client: Client, name: str) -> dict:  # type: ignore[type-arg]
    found = load_text((_folder(client) / name).read_text(encoding="utf-8"), name).data
    assert isinstance(found, dict)
    return found


def test_the_profiles_offered_are_those_profile_list_shows(client: Client, templates: Path) -> None:
    state = client.request("GET", "/api/state").json()
    listed = LayoutSearch.from_options([templates]).profiles()
    assert [p["name"] for p in state["profiles"]] == [p.name for p in listed]
    assert {"name": "本区方案", "label": "本区测试方案", "usable": True} in state["profiles"]


@pytest.mark.parametrize("profile", ["national", "district", "本区方案"])
def test_a_blank_table_has_the_chosen_profile_s_blocks_and_nothing_filled_in(
    client: Client, profile: str, templates: Path
) -> None:
    reply = client.post(
        "/api/new", {"file": "新.yaml", "layout": "default", "table": True, "profile": profile}
    )
    assert reply.json() == {"file": "新.yaml"}, reply.body
    table = _data(client, "新.yaml")["table"]
    chosen = LayoutSearch.from_options([templates]).profile(profile)
    assert chosen is not None and chosen.profile is not None
    assert table["profile"] == profile
    assert [b["name"] for b in table["indicators"]] == chosen.profile.block_names
    third = table["indicators"][0]["items"][0]["items"][0]
    assert set(third.values()) == {None}  # no figure is made up for the clerk
    # the rest of the starter still validates: every error is a blank of the 自评表, every
    # other finding an example the starter holds (R013), the department's name first
    check = client.post("/api/open", {"file": "新.yaml"}).json()["check"]
    errors = [f for f in check["findings"] if f["severity"] == "error"]
    examples = [f for f in check["findings"] if not f["path"].startswith("table.")]
    assert errors and all(f["path"].startswith("table.") for f in errors)
    assert examples[0]["path"] == "department" and {f["code"] for f in examples} == {"R013"}


def test_without_a_profile_the_blank_table_follows_the_layout_s(client: Client) -> None:
    client.post("/api/new", {"file": "新.yaml", "layout": "panyu", "table": True})
    text = (_folder(client) / "新.yaml").read_text(encoding="utf-8")
    table = _data(client, "新.yaml")["table"]
    assert "profile" not in table and "\n  # profile: district" in text
    assert [b["name"] for b in table["indicators"]] == ["履职效能", "管理效率"]


def test_the_worked_example_is_what_init_table_writes(client: Client, tmp_path: Path) -> None:
    create_starter(tmp_path / "init.yaml", table=True)
    expected = (tmp_path / "init.yaml").read_text(encoding="utf-8")
    client.post("/api/new", {"file": "示例.yaml", "start": "example"})
    assert (_folder(client) / "示例.yaml").read_text(encoding="utf-8") == expected
    check = client.post("/api/open", {"file": "示例.yaml"}).json()["check"]
    assert check["ok"] and "table-xlsx" in check["downloads"]
    # a profile chosen is written into it, and only that line changes
    client.post("/api/new", {"file": "国家.yaml", "start": "example", "profile": "national"})
    changed = (_folder(client) / "国家.yaml").read_text(encoding="utf-8")
    assert _data(client, "国家.yaml")["table"]["profile"] == "national"
    assert len(changed.splitlines()) == len(expected.splitlines()) + 1


def test_import_with_the_table_is_import_table_plus_the_profile(
    client: Client, tmp_path: Path, templates: Path
) -> None:
    query = {"filename": "去年.txt", "name": "今年.yaml", "year": 2025, "table": 1}
    reply = client.request(
        "POST", "/api/import?" + urlencode({**query, "profile": "本区方案"}), SOURCE.read_bytes()
    )
    assert reply.status == 200, reply.body
    cli = tmp_path / "cli.yaml"
    import_file(
        SOURCE, cli, next_year=2025, table=True, search=LayoutSearch.from_options([templates])
    )
    expected = load_text(cli.read_text(encoding="utf-8"), "cli").data
    assert isinstance(expected, dict)
    expected.setdefault("table", {})["profile"] = "本区方案"
    assert _data(client, "今年.yaml") == expected


@pytest.mark.parametrize(
    ("request_", "error"),
    [
        (
            {"file": "a.yaml", "table": True, "profile": "nosuch"},
            "未知的评分方案“nosuch”；可用的评分方案：",
        ),
        ({"file": "a.yaml", "profile": "national"}, "评分方案用于自评表：请同时选择“附自评表”"),
        ({"file": "a.yaml", "start": "elsewhere"}, "未知的起点：elsewhere"),
    ],
)
def test_a_choice_that_cannot_be_made_is_refused_and_writes_nothing(
    client: Client,
    request_: dict,
    error: str,  # type: ignore[type-arg]
) -> None:
    reply = client.post("/api/new", request_)
    assert reply.status == 400 and reply.json()["error"].startswith(error)
    assert not (_folder(client) / "a.yaml").exists()


def test_an_import_never_replaces_a_file(client: Client) -> None:
    (_folder(client) / "今年.yaml").write_text("year: 2024\n", encoding="utf-8")
    query = urlencode({"filename": "去年.txt", "name": "今年.yaml"})
    reply = client.request("POST", f"/api/import?{query}", SOURCE.read_bytes())
    assert reply.status == 400 and "已存在" in reply.json()["error"]
    assert (_folder(client) / "今年.yaml").read_text(encoding="utf-8") == "year: 2024\n"
