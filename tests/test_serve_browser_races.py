"""``reportgen serve`` in a real browser when requests overlap the clerk's typing: what is
typed while a save is under way stays unsaved (and is said to be), what is typed in the YAML
pane while a form edit is made is kept, a preview answered after a newer one never replaces
it, a preview of other data is not shown beside the errors, and a server that cannot be
reached is said in Chinese.

The server's answers are held back by events the test releases, so the order is forced, never
timed: no fixed wait and no timing assertion."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportgen.serve.server import ReportServer
from tests import test_serve_browser as in_browser
from tests.test_serve_browser import browser_alert, type_into, wait_for, yaml_text

served, browser = in_browser.served, in_browser.browser  # the fixtures, shared

HELD = 60.0  # seconds a held answer waits for its release at most (a failing test ends)


class Held:
    """Wraps a workbench method so that its ``held``-th call waits for :meth:`release`."""

    def __init__(self, method: Callable[..., Any], held: int = 1) -> None:
        self.method, self.held, self.calls = method, held, 0
        self.entered, self.released, self.answered = (threading.Event() for _ in range(3))
        self.lock = threading.Lock()
        self.done = 0

    def __call__(self, *args: Any) -> Any:
        with self.lock:
            self.calls += 1
            mine = self.calls
        if mine == self.held:
            self.entered.set()
            assert self.released.wait(HELD), "the held answer was never released"
        try:
            return self.method(*args)
        finally:
            with self.lock:
                self.done += 1
            if mine == self.held:
                self.answered.set()

    def release(self) -> None:
        self.released.set()


def _open(driver: Any, server: ReportServer, name: str) -> None:
    driver.get(f"{server.url}#{name}")
    wait_for(lambda: driver.find_element("id", "verdict").text == "通过", "the file checked")


def _answers_handled(driver: Any, path: str, count: int) -> None:
    """Wait until the page has received ``count`` answers of ``path`` and run what follows
    them (the resource timing entry is made when an answer has been read in full)."""
    wait_for(
        lambda: (
            driver.execute_script(
                "return performance.getEntriesByType('resource')"
                ".filter((e) => e.name.endsWith(arguments[0]) && e.responseEnd > 0).length",
                path,
            )
            >= count
        ),
        f"{count} answers of {path}",
    )
    driver.execute_async_script(  # two turns of the event loop: the page's await has resumed
        "const done = arguments[arguments.length - 1]; setTimeout(() => setTimeout(done, 0), 0);"
    )


def test_what_is_typed_while_a_save_is_under_way_stays_unsaved(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, folder = served
    target = folder / "财政局.yaml"
    _open(browser, server, "财政局.yaml")
    held = Held(server.workbench.save)
    server.workbench.save = held  # type: ignore[method-assign]

    type_into(browser, "department", "广州市示例区审计局")
    wait_for(lambda: "审计局" in yaml_text(browser), "the first edit")
    browser.find_element("id", "save-button").click()
    assert held.entered.wait(HELD)
    type_into(browser, "department", "广州市示例区统计局")  # typed while the save is held
    wait_for(lambda: "统计局" in yaml_text(browser), "the second edit")
    held.release()
    assert held.answered.wait(HELD)
    _answers_handled(browser, "/api/save", 1)

    saved = target.read_text(encoding="utf-8")
    assert "department: 广州市示例区审计局" in saved and "统计局" not in saved
    assert browser.find_element("id", "save-state").text == "有未保存的修改"

    browser.find_element("id", "save-button").click()
    wait_for(lambda: browser.find_element("id", "save-state").text == "已保存", "the second save")
    assert "department: 广州市示例区统计局" in target.read_text(encoding="utf-8")


def test_a_preview_answered_late_never_replaces_the_newer_one(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, _ = served
    _open(browser, server, "财政局.yaml")
    held = Held(server.workbench.preview)
    server.workbench.preview = held  # type: ignore[method-assign]

    browser.find_element("css selector", '[data-tab="preview"]').click()  # preview 1: held
    assert held.entered.wait(HELD)
    type_into(browser, "department", "广州市示例区审计局")  # preview 2, of the new name
    wait_for(lambda: "审计局" in browser.find_element("id", "preview").text, "the newer preview")
    held.release()
    assert held.answered.wait(HELD)
    _answers_handled(browser, "/api/preview", held.done)

    shown = browser.find_element("id", "preview").text
    assert "广州市示例区审计局" in shown and "广州市示例区财政局" not in shown


def test_a_preview_of_other_data_is_not_shown_beside_errors(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, _ = served
    _open(browser, server, "财政局.yaml")
    browser.find_element("css selector", '[data-tab="preview"]').click()
    wait_for(lambda: "840.00" in browser.find_element("id", "preview").text, "the preview")

    type_into(browser, "budget.expenditure.basic.personnel.amount", "710.00")  # a slip
    wait_for(lambda: not browser.find_element("id", "preview").is_displayed(), "no old preview")
    assert (
        browser.find_element("id", "preview-state").text == "数据有错误，改正后才能预览（见“问题”）"
    )

    type_into(browser, "budget.expenditure.basic.public.amount", "130.00")  # fixed
    wait_for(lambda: browser.find_element("id", "preview").is_displayed(), "the preview again")
    wait_for(lambda: "710.00" in browser.find_element("id", "preview").text, "the new figure")


def test_a_server_that_cannot_be_reached_is_said_in_chinese(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, folder = served
    _open(browser, server, "财政局.yaml")
    type_into(browser, "department", "广州市示例区审计局")
    wait_for(lambda: "审计局" in yaml_text(browser), "the edit")
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd(
        "Network.emulateNetworkConditions",
        {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )
    browser.find_element("id", "save-button").click()
    alert = wait_for(lambda: browser_alert(browser), "the message")
    assert alert.text == (
        "未保存：无法连接 reportgen：运行 reportgen serve 的窗口是否已关闭或按了 Ctrl-C？"
        "重新运行后刷新本页"
    )
    alert.accept()
    assert browser.find_element("id", "save-state").text == "有未保存的修改"
    assert "审计局" not in (folder / "财政局.yaml").read_text(encoding="utf-8")


def test_what_is_typed_in_the_yaml_pane_while_a_form_edit_is_made_is_kept(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, folder = served
    _open(browser, server, "财政局.yaml")
    held = Held(server.workbench.edit)
    server.workbench.edit = held  # type: ignore[method-assign]

    type_into(browser, "department", "广州市示例区审计局")  # the form's edit: held
    assert held.entered.wait(HELD)
    browser.execute_script(  # typed in the YAML pane meanwhile: a comment at the end
        "const cm = window.reportgenEditor;"
        "cm.replaceRange('# 手写的注释\\n', { line: cm.lastLine(), ch: 0 }, undefined, '+input');"
    )
    held.release()
    wait_for(lambda: "审计局" in yaml_text(browser), "the form's edit")
    text = yaml_text(browser)
    assert "department: 广州市示例区审计局" in text and text.endswith("# 手写的注释\n")

    browser.find_element("id", "save-button").click()
    wait_for(lambda: browser.find_element("id", "save-state").text == "已保存", "the save")
    assert (folder / "财政局.yaml").read_text(encoding="utf-8") == text
