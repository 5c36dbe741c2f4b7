"""``reportgen serve`` in a real browser (headless Chromium): open a file, make an arithmetic
slip in the form, see it at its field and its YAML line, fix it, save, download the .docx and
compare it with ``reportgen render`` of the saved file; a change on disk is never overwritten."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from reportgen.cli.app import run_command
from reportgen.output.pdf import soffice
from reportgen.serve.run import start
from reportgen.serve.server import ReportServer
from tests.ci import requires
from tests.conftest import COMPLETE
from tests.readback import paragraphs

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WAIT = 20.0  # seconds a step may take on a loaded machine; never a timing assertion
SHOTS = os.environ.get("REPORTGEN_SCREENSHOTS")  # a folder: the screens are kept for the docs


def _usable() -> bool:
    return (
        CHROMIUM.exists()
        and CHROMEDRIVER.exists()
        and importlib.util.find_spec("selenium") is not None
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[ReportServer, Path]]:
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(COMPLETE, folder / "财政局.yaml")
    server = start(folder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, folder
    server.shutdown()
    server.server_close()
    thread.join(10)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    requires(_usable(), "needs /usr/bin/chromium, /usr/bin/chromedriver and selenium")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1500,1000",
        "--lang=zh-CN",
        f"--user-data-dir={tempfile.mkdtemp(prefix='chromium-', dir=tmp_path)}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def browser_alert(driver: Any) -> Any:
    """The page's alert (``window.alert``) if one is open, else ``None``: a condition for
    :func:`wait_for`."""
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = driver.switch_to.alert
        alert.text  # noqa: B018 (raises while there is none)
        return alert
    except NoAlertPresentException:
        return None


def wait_for(condition: Callable[[], Any], what: str, seconds: float = WAIT) -> Any:
    deadline = time.monotonic() + seconds
    while True:
        found = condition()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {seconds:.0f} s for {what}")
        time.sleep(0.05)


def shot(driver: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        driver.save_screenshot(str(Path(SHOTS) / f"{name}.png"))


def field(driver: Any, path: str) -> Any:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, f'[data-path="{path}"]')


def type_into(driver: Any, path: str, text: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    box = field(driver, path).find_element(By.CSS_SELECTOR, "input, textarea")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text)


def messages(driver: Any, path: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [
        m.text for m in field(driver, path).find_elements(By.CSS_SELECTOR, ":scope > .msgs .msg")
    ]


def yaml_text(driver: Any) -> str:
    return str(driver.execute_script("return window.reportgenEditor.getValue()"))


def marked_lines(driver: Any) -> list[int]:
    return list(
        driver.execute_script(
            "const cm = window.reportgenEditor, found = [];"
            "cm.eachLine((l) => { if ((l.bgClass || '').includes('line-error')) found.push(cm.getLineNumber(l) + 1); });"
            "return found;"
        )
    )


def test_slip_found_at_its_field_fixed_saved_and_downloaded(
    served: tuple[ReportServer, Path], browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    server, folder = served
    browser.get(server.url)
    wait_for(
        lambda: browser.find_elements(
            By.CSS_SELECTOR, '[data-path="budget.expenditure.basic.amount"] input'
        ),
        "the form",
    )
    assert browser.find_element(By.ID, "verdict").text == "通过"
    assert "token" not in browser.current_url  # the token went into a cookie
    computed = browser.find_element(
        By.CSS_SELECTOR, '[data-path="budget.execution_rate"] .computed'
    )
    assert computed.text == "计算：95.00%"
    shot(browser, "serve-main")

    # the slip: 人员经费 710 while 基本支出 stays 840 = 700 + 140
    type_into(browser, "budget.expenditure.basic.personnel.amount", "710.00")
    slip = wait_for(
        lambda: messages(browser, "budget.expenditure.basic.amount"), "the finding at its field"
    )
    assert slip == [
        "错误 R102 基本支出 840.00 ≠ 人员经费 710.00 + 公用经费 140.00 = 850.00（YAML 第 26 行）"
    ]
    assert "related" in field(browser, "budget.expenditure.basic.personnel.amount").get_attribute(
        "innerHTML"
    )
    assert "personnel: {amount: 710.00, purpose: 人员工资}" in yaml_text(browser)
    assert marked_lines(browser) == [26]
    assert browser.find_element(By.ID, "verdict").text == "1 个错误，0 个警告"
    assert browser.find_element(By.CSS_SELECTOR, "button.download").get_attribute("disabled")
    shot(browser, "serve-finding")

    # fixed by the other part of the sum
    type_into(browser, "budget.expenditure.basic.public.amount", "130.00")
    wait_for(lambda: browser.find_element(By.ID, "verdict").text == "通过", "the fix to be checked")
    assert messages(browser, "budget.expenditure.basic.amount") == []
    assert marked_lines(browser) == []

    # saved: only the two figures changed, every comment and the key order kept
    browser.find_element(By.ID, "save-button").click()
    wait_for(lambda: browser.find_element(By.ID, "save-state").text == "已保存", "the save")
    saved = (folder / "财政局.yaml").read_text(encoding="utf-8")
    assert saved == COMPLETE.read_text(encoding="utf-8").replace(
        "{amount: 700.00, purpose: 人员工资}", "{amount: 710.00, purpose: 人员工资}"
    ).replace("{amount: 140.00, purpose: 日常办公}", "{amount: 130.00, purpose: 日常办公}")

    shown = [
        b.text
        for b in browser.find_elements(By.CSS_SELECTOR, "button.download")
        if b.is_displayed()
    ]
    pdf = ["下载 PDF"] if soffice() is not None else []
    assert shown == ["下载 Word 报告（.docx）", *pdf]  # no 自评表 in this file
    browser.find_element(By.CSS_SELECTOR, '[data-tab="preview"]').click()
    wait_for(lambda: "附件2" in browser.find_element(By.ID, "preview").text, "the preview")
    shot(browser, "serve-preview")

    browser.find_element(By.CSS_SELECTOR, 'button.download[data-format="docx"]').click()
    name = "2024年度广州市示例区财政局部门整体支出绩效自评报告.docx"
    downloaded = wait_for(
        lambda: [p for p in browser.downloads.iterdir() if p.name == name], "the download"
    )[0]
    out = tmp_path / "rendered"
    assert run_command(["render", str(folder / "财政局.yaml"), "-o", str(out)]) == 0
    assert paragraphs(downloaded) == paragraphs(out / name)
    assert any("710.00" in p.text for p in paragraphs(downloaded))


def test_a_change_on_disk_is_not_overwritten_without_asking(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    server, folder = served
    browser.get(server.url)
    wait_for(
        lambda: browser.find_elements(By.CSS_SELECTOR, '[data-path="department"] input'), "the form"
    )
    target = folder / "财政局.yaml"
    target.write_text(target.read_text(encoding="utf-8") + "# 同事加的注释\n", encoding="utf-8")
    type_into(browser, "department", "广州市示例区审计局")
    wait_for(lambda: "审计局" in yaml_text(browser), "the edit")
    browser.find_element(By.ID, "save-button").click()
    dialog = wait_for(
        lambda: browser.find_element(By.ID, "conflict-dialog").get_attribute("open") is not None,
        "the question",
    )
    assert dialog
    assert "在打开后已被其他程序修改" in browser.find_element(By.ID, "conflict-text").text
    shot(browser, "serve-conflict")
    assert target.read_text(encoding="utf-8").endswith("# 同事加的注释\n")
    browser.find_element(By.CSS_SELECTOR, '#conflict-dialog button[value="reload"]').click()
    wait_for(lambda: "同事加的注释" in yaml_text(browser), "the file reloaded")
    assert "审计局" not in yaml_text(browser)


def test_new_file_from_the_starter_and_placeholder_completion(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, folder = served
    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    browser.find_element(By.ID, "new-button").click()
    browser.find_element(By.ID, "new-name").send_keys("新部门")
    shot(browser, "serve-new")
    browser.find_element(By.ID, "new-create").click()
    wait_for(
        lambda: browser.find_element(By.ID, "file-list").get_attribute("value") == "新部门.yaml",
        "the new file",
    )
    assert (folder / "新部门.yaml").is_file()

    box = field(browser, "sections.goals").find_element(By.TAG_NAME, "textarea")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys("执行率为${budget.exec")
    choices = wait_for(
        lambda: [
            c.text
            for c in browser.find_elements(By.CSS_SELECTOR, "#completion .choice")
            if c.is_displayed()
        ],
        "the completion",
    )
    assert choices[0] == "${budget.execution_rate}"
    box.send_keys(Keys.ENTER)
    box.send_keys("。")
    wait_for(
        lambda: "goals: 执行率为${budget.execution_rate}。" in yaml_text(browser),
        "the placeholder in the YAML",
    )


def test_import_of_last_year_s_report_shows_its_notes_as_a_to_do_list(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    from reportgen.importer import import_report

    server, folder = served
    source = Path(__file__).parent / "cases" / "import" / "variant.txt"
    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    browser.find_element(By.ID, "new-button").click()
    browser.find_element(By.ID, "new-name").send_keys("今年.yaml")
    browser.find_element(By.CSS_SELECTOR, 'input[name="start"][value="import"]').click()
    browser.find_element(By.ID, "new-upload").send_keys(str(source))
    year = browser.find_element(By.ID, "new-year")
    year.clear()
    year.send_keys("2025")
    browser.find_element(By.ID, "new-create").click()
    wait_for(
        lambda: browser.find_element(By.ID, "file-list").get_attribute("value") == "今年.yaml",
        "the imported draft",
    )
    notes = import_report(source).notes
    shown = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#todo li")]
    assert shown == notes and notes
    assert browser.find_element(By.ID, "tab-todo").is_displayed()
    shot(browser, "serve-import")
    draft = (folder / "今年.yaml").read_text(encoding="utf-8")
    assert draft == yaml_text(browser)
    # the sections are titled in Chinese even while the draft's 待填写 figures are errors
    titles = [
        s.text
        for s in browser.find_elements(By.CSS_SELECTOR, '[data-path^="sections."] > summary .label')
    ]
    assert titles and all(not t.isascii() for t in titles), titles


def test_placeholder_completion_in_the_yaml_pane(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    server, _ = served
    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    line = yaml_text(browser).split("\n").index("  goals: 提高财政资金使用效益。")
    browser.execute_script(
        f"const cm = window.reportgenEditor; cm.focus(); cm.setCursor({{line: {line}, ch: 100}});"
    )
    code = browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea")
    code.send_keys("收入${budget.income.to")
    choices = wait_for(
        lambda: [
            c.text
            for c in browser.find_elements(By.CSS_SELECTOR, "#completion .choice")
            if c.is_displayed()
        ],
        "the completion",
    )
    assert choices == ["${budget.income.total}"]
    code.send_keys(Keys.ENTER)
    wait_for(
        lambda: "  goals: 提高财政资金使用效益。收入${budget.income.total}\n" in yaml_text(browser),
        "the placeholder",
    )
    assert not [
        c for c in browser.find_elements(By.CSS_SELECTOR, "#completion .choice") if c.is_displayed()
    ]


def test_new_file_with_a_blank_table_in_a_chosen_layout_and_profile(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    from reportgen.layout.search import LayoutSearch
    from reportgen.read.loader import load_text

    server, folder = served
    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    browser.find_element(By.ID, "new-button").click()
    browser.find_element(By.ID, "new-name").send_keys("带自评表")
    profiles = [
        o.get_attribute("value") for o in Select(browser.find_element(By.ID, "new-profile")).options
    ]
    assert profiles == ["", *(p.name for p in LayoutSearch.from_options().profiles())]
    assert not browser.find_element(By.ID, "new-profile").is_enabled()  # no table, no profile
    Select(browser.find_element(By.ID, "new-layout")).select_by_value("huadu")
    browser.find_element(By.ID, "new-table").click()
    Select(browser.find_element(By.ID, "new-profile")).select_by_value("national")
    shot(browser, "serve-new-table")
    browser.find_element(By.ID, "new-create").click()
    wait_for(
        lambda: browser.find_element(By.ID, "file-list").get_attribute("value") == "带自评表.yaml",
        "the new file",
    )
    data = load_text((folder / "带自评表.yaml").read_text(encoding="utf-8"), "x").data
    national = LayoutSearch.from_options().profile("national")
    assert national is not None and national.profile is not None
    assert data["layout"] == "huadu" and data["table"]["profile"] == "national"
    assert [b["name"] for b in data["table"]["indicators"]] == national.profile.block_names
    # the blank table is in the form, its blanks shown as findings at their fields
    wait_for(
        lambda: browser.find_elements(
            By.CSS_SELECTOR, '[data-path="table.indicators[0].items[0].items[0].name"] .msg.error'
        ),
        "the blank third-level indicator's finding",
    )
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'start'})", field(browser, "table.indicators[0]")
    )
    shot(browser, "serve-new-table-form")

    # the worked example: the table is part of it, so the box is ticked and fixed
    browser.find_element(By.ID, "new-button").click()
    browser.find_element(By.CSS_SELECTOR, 'input[name="start"][value="example"]').click()
    table = browser.find_element(By.ID, "new-table")
    assert table.is_selected() and not table.is_enabled()
    browser.find_element(By.ID, "new-name").clear()
    browser.find_element(By.ID, "new-name").send_keys("示例.yaml")
    browser.find_element(By.ID, "new-create").click()
    wait_for(
        lambda: (
            browser.find_element(By.ID, "verdict").text.startswith("通过")
            and browser.find_element(By.ID, "file-list").get_attribute("value") == "示例.yaml"
        ),
        "the worked example, which passes",
    )


def test_a_free_form_map_is_edited_in_the_form_and_stays_in_flow_style(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    """outline.notes written {goals: …} on one line: renamed and emptied from the form, it stays
    a flow mapping with its comment; outline.headings gets a key added and its heading typed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from reportgen.read.loader import load_text

    server, folder = served
    target = folder / "财政局.yaml"
    target.write_text(
        target.read_text(encoding="utf-8")
        + "outline:\n  notes: {goals: 以决算数为准}   # 标题后加注\n",
        encoding="utf-8",
    )

    def data() -> Any:
        return load_text(yaml_text(browser), "x").data

    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    field(browser, "outline").find_element(By.TAG_NAME, "summary").click()
    notes = field(browser, "outline.notes")
    assert [h.text for h in notes.find_elements(By.CSS_SELECTOR, ".map-head span")] == [
        "键名",
        "说明",
    ]
    key = field(browser, "outline.notes.goals").find_element(By.CSS_SELECTOR, ".map-key-input")
    assert key.get_attribute("value") == "goals"
    key.send_keys(Keys.CONTROL, "a")
    key.send_keys("annual_work", Keys.TAB)
    wait_for(
        lambda: "  notes: {annual_work: 以决算数为准}   # 标题后加注\n" in yaml_text(browser),
        "the key renamed in place",
    )

    headings = field(browser, "outline.headings")
    assert [h.text for h in headings.find_elements(By.CSS_SELECTOR, ".map-head span")] == [
        "节或章的键名",
        "新标题",
    ]
    offered = [
        o.get_attribute("value") for o in headings.find_elements(By.CSS_SELECTOR, "datalist option")
    ]
    assert "goals" in offered and "functions" in offered  # the layout's sections
    fresh = headings.find_element(By.CSS_SELECTOR, ".map-new")
    fresh.send_keys("goals", Keys.ENTER)
    wait_for(lambda: "goals" in (data()["outline"].get("headings") or {}), "the key added")
    wait_for(
        lambda: browser.find_elements(
            By.CSS_SELECTOR, '[data-path="outline.headings.goals"] input'
        ),
        "its row",
    )
    field(browser, "outline.headings.goals").find_element(
        By.CSS_SELECTOR, 'input[name="outline.headings.goals"]'
    ).send_keys("三、部门整体绩效目标")
    wait_for(
        lambda: data()["outline"]["headings"] == {"goals": "三、部门整体绩效目标"},
        "the heading typed",
    )
    wait_for(lambda: browser.find_element(By.ID, "verdict").text.startswith("通过"), "a pass")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'start'})", field(browser, "outline")
    )
    shot(browser, "serve-map")

    row = field(browser, "outline.notes.annual_work")
    row.find_element(By.CSS_SELECTOR, ".map-key .remove").click()
    browser.switch_to.alert.accept()
    wait_for(lambda: "  notes: {}   # 标题后加注\n" in yaml_text(browser), "the last key removed")
    browser.find_element(By.ID, "save-button").click()
    wait_for(lambda: browser.find_element(By.ID, "save-state").text == "已保存", "the save")
    assert target.read_text(encoding="utf-8") == yaml_text(browser)


def test_the_preview_shows_the_report_its_footers_and_its_table_and_pages_on_request(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    from selenium.webdriver.common.by import By

    from reportgen.check.validate import validate_file
    from reportgen.output.table import render_table_document

    server, folder = served
    source = Path(__file__).parents[1] / "data" / "table" / "panyu-gov-office-2023-table.yaml"
    shutil.copy(source, folder / "番禺.yaml")
    browser.get(server.url + "#" + "番禺.yaml")
    wait_for(lambda: browser.find_element(By.ID, "verdict").text.startswith("通过"), "a pass")
    labels = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#computed-box .figure-label")]
    assert "完成率（12345热线转办工单受理量）" in labels
    # every figure named in Chinese, none by its path (budget.expenditure.basic.share)
    assert not [label for label in labels if re.search(r"\[|[a-z]\.[a-z]", label)]
    browser.find_element(By.CSS_SELECTOR, '[data-tab="preview"]').click()
    titles = wait_for(
        lambda: [
            t.text for t in browser.find_elements(By.CSS_SELECTOR, "#preview .document-title")
        ],
        "the report and the table",
    )
    assert titles == ["报告", "自评表"]
    footers = browser.find_elements(By.CSS_SELECTOR, "#preview .page-footer")
    assert [f.get_attribute("title") for f in footers] == ["页脚", "页脚（双页）"] * 2
    table = browser.find_elements(By.CSS_SELECTOR, "#preview .document")[1]
    first_cell = table.find_element(By.CSS_SELECTOR, "td").text
    assert first_cell and first_cell in " ".join(
        t for t in paragraphs_of(render_table_document(validate_file(source)))
    )
    browser.execute_script("arguments[0].scrollIntoView({block: 'start'})", table)
    shot(browser, "serve-preview-table")
    browser.execute_script(
        "arguments[0].scrollIntoView({block: 'end'})",
        browser.find_elements(By.CSS_SELECTOR, "#preview .page-footer")[1],
    )
    shot(browser, "serve-preview-footer")

    if soffice() is None:
        assert not browser.find_element(By.ID, "pages-button").is_displayed()
        return
    browser.find_element(By.ID, "pages-button").click()
    images = wait_for(
        lambda: browser.find_elements(By.CSS_SELECTOR, "#pages img.page-image"),
        "the page images",
        seconds=300,  # LibreOffice on a loaded machine; never a timing assertion
    )
    assert len(images) >= 2 and not browser.find_element(By.ID, "preview").is_displayed()
    shot(browser, "serve-pages")
    browser.find_element(By.CSS_SELECTOR, '[data-tab="yaml"]').click()
    browser.find_element(By.CSS_SELECTOR, '[data-tab="preview"]').click()  # the HTML again
    wait_for(lambda: browser.find_element(By.ID, "preview").is_displayed(), "the HTML preview")
    browser.find_element(By.ID, "pages-button").click()
    wait_for(
        lambda: "沿用上次" in browser.find_element(By.ID, "preview-state").text,
        "the same pages, kept",
    )


def paragraphs_of(content: bytes) -> list[str]:
    import io
    import zipfile

    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(f"{w}t")) for p in root.iter(f"{w}p")]
