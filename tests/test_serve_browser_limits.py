"""``reportgen serve`` in a real browser at its limits: an upload over the size limit is
answered with the Chinese reason, not a reset connection the page would take for a stopped
server. (Chromium reads an answer that comes before the end of its upload; programs that send
the whole body first are tried in tests/test_serve_connections.py.)"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportgen.serve.server import MAX_UPLOAD_BYTES, ReportServer
from tests import test_serve_browser as in_browser
from tests.test_serve_browser import wait_for

served, browser = in_browser.served, in_browser.browser  # the fixtures, shared


def test_an_upload_over_the_limit_is_refused_with_its_reason(
    served: tuple[ReportServer, Path], browser: Any, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By

    server, folder = served
    upload = tmp_path / "去年的报告.pdf"
    with upload.open("wb") as stream:
        stream.truncate(MAX_UPLOAD_BYTES + 1)
    browser.get(server.url)
    wait_for(lambda: browser.find_elements(By.CSS_SELECTOR, "#form [data-path]"), "the form")
    browser.find_element(By.ID, "new-button").click()
    browser.find_element(By.ID, "new-name").send_keys("今年.yaml")
    browser.find_element(By.CSS_SELECTOR, 'input[name="start"][value="import"]').click()
    browser.find_element(By.ID, "new-upload").send_keys(str(upload))
    browser.find_element(By.ID, "new-create").click()
    wait_for(
        lambda: browser.find_element(By.ID, "new-error").text not in {"", "导入中…"},
        "the answer",
    )
    assert browser.find_element(By.ID, "new-error").text == "内容过大（超过 40 MB）"
    assert sorted(p.name for p in folder.iterdir()) == ["财政局.yaml"]
