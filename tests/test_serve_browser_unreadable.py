"""``reportgen serve`` in a real browser opening a file it cannot show as a form: one that is
not text (GBK, too big) or whose YAML does not parse. The form of the file opened before is
never left standing, and a file that is not text is never replaced by what the page holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.serve.server import ReportServer
from tests import test_serve_browser as in_browser
from tests.test_serve_browser import browser_alert, wait_for, yaml_text

served, browser = in_browser.served, in_browser.browser  # the fixtures, shared


def _open_after_another(driver: Any, server: ReportServer, name: str) -> None:
    from selenium.webdriver.support.ui import Select

    driver.get(f"{server.url}#财政局.yaml")
    wait_for(lambda: driver.find_element("id", "verdict").text == "通过", "the first file")
    Select(driver.find_element("id", "file-list")).select_by_value(name)
    wait_for(lambda: driver.find_element("id", "verdict").text != "通过", "the second file")


def _fields(driver: Any) -> list[str]:
    return [
        e.get_attribute("data-path")
        for e in driver.find_elements("css selector", "#form [data-path]")
    ]


def test_a_file_that_is_not_text_shows_no_form_and_is_not_saved(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, folder = served
    target = folder / "旧.yaml"
    content = "year: 2023\ndepartment: 广州市示例区档案馆\n".encode("gbk")
    target.write_bytes(content)
    _open_after_another(browser, server, "旧.yaml")

    assert _fields(browser) == []  # not the 财政局's form under the name 旧.yaml
    assert browser.find_element("id", "computed-box").text == (
        "此文件不能作为文本读入，网页中不能编辑或保存它；请按“问题”中的说明改正后重新打开。"
    )
    assert browser.execute_script("return window.reportgenEditor.getOption('readOnly')") is True
    problems = [
        p.get_attribute("textContent")
        for p in browser.find_elements("css selector", "#problems li")
    ]
    assert len(problems) == 1 and "不是 UTF-8 编码" in problems[0]

    browser.execute_script("window.reportgenEditor.setValue('year: 2024\\n')")  # a script may
    browser.find_element("id", "save-button").click()
    alert = wait_for(lambda: browser_alert(browser), "the refusal")
    assert alert.text == (
        "未保存：旧.yaml 不能作为文本读入（见“问题”），网页中显示的不是它的内容；"
        "为免其中的内容丢失，不能在网页中保存它。请按“问题”中的说明改正后重新打开"
    )
    alert.accept()
    assert target.read_bytes() == content


def test_a_file_whose_yaml_does_not_parse_shows_its_text_not_another_form(
    served: tuple[ReportServer, Path], browser: Any
) -> None:
    server, folder = served
    (folder / "坏.yaml").write_text("year: 2024\ndepartment: [广州市\n", encoding="utf-8")
    _open_after_another(browser, server, "坏.yaml")

    assert _fields(browser) == []
    assert browser.find_element("id", "computed-box").text == (
        "YAML 有语法错误，改正后显示表单（见“问题”和右边的 YAML 原文）。"
    )
    assert yaml_text(browser) == "year: 2024\ndepartment: [广州市\n"
    browser.execute_script(  # mended in the YAML pane: the form of this file appears
        "window.reportgenEditor.setValue('year: 2024\\ndepartment: 广州市示例区档案馆\\n')"
    )
    wait_for(lambda: "department" in _fields(browser), "the form")
    department = browser.find_element("css selector", '[data-path="department"] input')
    assert department.get_attribute("value") == "广州市示例区档案馆"
