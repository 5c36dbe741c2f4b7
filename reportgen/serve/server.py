"""The local HTTP server: every request is checked (token, Host, Origin, size) before a thin
handler parses it, calls the :class:`~reportgen.serve.workbench.Workbench` and answers.

The standard library's ``http.server`` parses the requests, and adds no dependency to keep
patched; its connections are held by :mod:`reportgen.serve.connections` (bounded threads and
memory), and the checks that make it safe are the few lines below.
"""

from __future__ import annotations

import hmac
import json
import mimetypes
import secrets
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from importlib import resources
from typing import Any

from reportgen.bug_report import say_bug
from reportgen.errors import InvalidReportError, ReportgenError
from reportgen.serve import fields
from reportgen.serve.connections import MAX_HEAD_BYTES, ConnectionServer, OneRequestHandler
from reportgen.serve.edit import EditError
from reportgen.serve.fields import Refused
from reportgen.serve.starting import Choice
from reportgen.serve.streams import ConnectionLost
from reportgen.serve.workbench import Json, Workbench
from reportgen.serve.workspace import Conflict, FolderGone, NotFound

HOST = "127.0.0.1"
MAX_JSON_BYTES = 4 * 1024 * 1024  # a data file is at most 2 MiB; JSON may escape some of it
MAX_UPLOAD_BYTES = 40 * 1024 * 1024  # a published report (.pdf, .docx)
# The body of a request refused unread is still read, and dropped, up to these bounds: most
# programs send the whole body before they read the answer, and one cut off mid-body sees its
# connection reset instead of the answer (the clerk would read 无法连接, not 内容过大).
DRAIN_BYTES = 256 * 1024 * 1024
DRAIN_SECONDS = 10.0
TOKEN_HEADER = "X-Reportgen-Token"
STATIC = resources.files("reportgen.serve") / "static"


class ReportServer(ConnectionServer):
    def __init__(self, workbench: Workbench, port: int = 0, token: str | None = None) -> None:
        self.workbench = workbench
        self.token = token or secrets.token_urlsafe(32)
        super().__init__((HOST, port), Handler)
        self.hosts = {f"{HOST}:{self.port}", f"localhost:{self.port}"}
        self.origins = {f"http://{host}" for host in self.hosts}
        self.cookie = f"reportgen-token-{self.port}"  # cookies are shared by every port

    def server_close(self) -> None:
        super().server_close()
        self.workbench.workspace.close()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/?token={self.token}"


Route = Callable[["Handler", Json], Any]


class Handler(OneRequestHandler):
    server: ReportServer
    protocol_version = "HTTP/1.1"
    server_version = "reportgen"
    _expects_continue = False  # the request said ``Expect: 100-continue``
    _unread = 0  # bytes of the request's body not read
    _trusted = False  # it passed the Host, Origin and token checks

    # ---- the checks every request passes -------------------------------------------------

    def _check_host_and_origin(self) -> None:
        if self.headers.get("Host") not in self.server.hosts:
            raise Refused(HTTPStatus.FORBIDDEN, "地址不对：请用 reportgen serve 显示的地址打开")
        origin = self.headers.get("Origin")
        if origin is not None and origin not in self.server.origins:
            raise Refused(HTTPStatus.FORBIDDEN, "拒绝来自其他网站的请求")
        # same-site: a page of another port of this computer (a cookie is sent to every port)
        if self.headers.get("Sec-Fetch-Site", "none") not in {"same-origin", "none"}:
            raise Refused(HTTPStatus.FORBIDDEN, "拒绝来自其他网站的请求")

    def _has_token(self, query: dict[str, list[str]], *, cookie_allowed: bool) -> bool:
        given = [self.headers.get(TOKEN_HEADER), *query.get("token", [])]
        if cookie_allowed:
            given.append(self._cookie())
        # compared as bytes: compare_digest refuses a str that is not ASCII (a TypeError, said
        # as reportgen's bug in the clerk's window for anyone who sends one)
        token = self.server.token.encode()
        return any(g and hmac.compare_digest(g.encode("utf-8", "replace"), token) for g in given)

    def _cookie(self) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == self.server.cookie:
                return value
        return None

    def _body(self, limit: int) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "请求须给出长度")
        length = fields.count(self.headers.get("Content-Length", ""))
        if length is None:
            raise Refused(HTTPStatus.LENGTH_REQUIRED, "请求须给出长度")
        if length > limit:
            raise Refused(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"内容过大（超过 {limit // (1024 * 1024)} MB）",
            )
        if self._expects_continue:  # the checks passed: now the client may send the body
            self.send_response_only(HTTPStatus.CONTINUE)
            self.end_headers()
        self._unread = 0
        return self.rfile.read(length)

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue`` is answered once the request's checks pass (in ``_body``),
        so a body that would be refused is never sent."""
        self._expects_continue = True
        return True

    def _drain(self) -> None:
        """Read and drop the body of a request refused before it was read, within bounds, so
        that the client gets to read the answer; a body not sent (it waits for 100 Continue),
        of unknown length or too long is not waited for."""
        if self._trusted and not self._expects_continue and 0 < self._unread <= DRAIN_BYTES:
            self.held.incoming.discard(self._unread, DRAIN_SECONDS)

    def version_string(self) -> str:
        """The ``Server:`` header: neutral, where http.server's names the Python version."""
        return self.server_version

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a head too long or malformed, a method not served…)
        answered as every other: a Chinese message in JSON, then the connection closed."""
        self.close_connection = True
        if self.request_version not in {"HTTP/1.0", "HTTP/1.1"}:  # an unreadable request line
            self.request_version = "HTTP/1.1"
        self._json({"error": _refusal(code, message)}, code)

    # ---- dispatch ---------------------------------------------------------------------------

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        self._unread = fields.count(self.headers.get("Content-Length", "")) or 0  # what _body left
        self._trusted = False
        if method == "GET" and self._unread:  # never read: it must not be read as a request
            self.close_connection = True
        url = urllib.parse.SplitResult("", "", "", "", "")
        try:
            url = _split(self.path)
            query = urllib.parse.parse_qs(url.query)
            self._check_host_and_origin()
            # a cookie is sent by the browser on its own, so it may only read (GET), never change
            if not self._has_token(query, cookie_allowed=method == "GET"):
                raise Refused(
                    HTTPStatus.FORBIDDEN,
                    "缺少或错误的口令：请用 reportgen serve 显示的完整地址打开",
                )
            self._trusted = True  # a body refused from now on is the clerk's page's: drained
            if method == "GET" and url.path == "/":
                self._index(query)
            elif method == "GET" and url.path.startswith("/static/"):
                self._static(url.path.removeprefix("/static/"))
            elif method == "GET" and url.path == "/api/download":
                self._download(query)
            elif method == "GET" and url.path in GET_ROUTES:
                self._json(GET_ROUTES[url.path](self, {}))
            elif method == "POST" and url.path == "/api/import":
                self._json(self._import(query, self._body(MAX_UPLOAD_BYTES)))
            elif method == "POST" and url.path in POST_ROUTES:
                self._json(POST_ROUTES[url.path](self, self._request_json()))
            else:
                raise Refused(HTTPStatus.NOT_FOUND, "没有这个页面")
        except ConnectionLost:
            self.close_connection = True  # nobody is waiting for an answer
        except Refused as exc:
            self.close_connection = True  # a body it did not read must not be read as a request
            self._json({"error": str(exc)}, exc.status)
            self._drain()
        except Conflict as exc:
            self._json({"error": str(exc), "conflict": True}, HTTPStatus.CONFLICT)
        except NotFound as exc:
            self._json({"error": str(exc)}, HTTPStatus.NOT_FOUND)
        except FolderGone as exc:
            self._json({"error": str(exc)}, HTTPStatus.GONE)
        except (EditError, InvalidReportError) as exc:
            self._json({"error": str(exc)}, HTTPStatus.UNPROCESSABLE_ENTITY)
        except ReportgenError as exc:
            self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
        except Exception as exc:
            self._json({"error": say_bug(exc, ["serve", f"（{method} {url.path}）"])}, 500)

    def _request_json(self) -> Json:
        try:
            found = json.loads(self._body(MAX_JSON_BYTES))
        except (ValueError, UnicodeDecodeError):
            raise Refused(HTTPStatus.BAD_REQUEST, "请求不是 JSON") from None
        except RecursionError:
            raise Refused(HTTPStatus.BAD_REQUEST, "请求不是 JSON（嵌套过深）") from None
        if not isinstance(found, dict):
            raise Refused(HTTPStatus.BAD_REQUEST, "请求不是 JSON 对象")
        return found

    # ---- answers ----------------------------------------------------------------------------

    def _send(self, status: int, content: bytes, content_type: str, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(content)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
        )
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(content)

    def _json(self, value: Any, status: int = HTTPStatus.OK) -> None:
        content = json.dumps(value, ensure_ascii=False).encode("utf-8")
        self._send(status, content, "application/json; charset=utf-8")

    def _index(self, query: dict[str, list[str]]) -> None:
        if "token" in query:  # from the printed address: keep it in a cookie, out of the URL
            cookie = f"{self.server.cookie}={self.server.token}; HttpOnly; SameSite=Strict; Path=/"
            self._send(HTTPStatus.SEE_OTHER, b"", "text/plain", Location="/", Set_Cookie=cookie)
            return
        page = (STATIC / "index.html").read_text(encoding="utf-8")
        page = page.replace("{{token}}", self.server.token)
        self._send(HTTPStatus.OK, page.encode("utf-8"), "text/html; charset=utf-8")

    def _static(self, name: str) -> None:
        parts = name.split("/")
        if not name or any(p in {"", ".", ".."} or p.startswith(".") for p in parts):
            raise Refused(HTTPStatus.NOT_FOUND, "没有这个文件")
        resource = STATIC.joinpath(*parts)
        if not resource.is_file():
            raise Refused(HTTPStatus.NOT_FOUND, "没有这个文件")
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        charset = (
            "; charset=utf-8" if kind.startswith("text/") or kind.endswith("javascript") else ""
        )
        self._send(HTTPStatus.OK, resource.read_bytes(), kind + charset)

    def _download(self, query: dict[str, list[str]]) -> None:
        name, content = self.server.workbench.download(
            query.get("file", [""])[0], query.get("format", [""])[0]
        )
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        quoted = urllib.parse.quote(name)
        self._send(
            HTTPStatus.OK,
            content,
            kind,
            Content_Disposition=f"attachment; filename*=UTF-8''{quoted}",
        )

    def _import(self, query: dict[str, list[str]], content: bytes) -> Json:
        year = query.get("year", [""])[0]
        choice = Choice(
            query.get("layout", [""])[0],
            query.get("table", [""])[0] == "1",
            query.get("profile", [""])[0],
        )
        return self.server.workbench.import_report(
            query.get("filename", [""])[0],
            content,
            query.get("name", [""])[0],
            choice,
            fields.year(year),
        )

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the request line holds the token, and the clerk's window is for messages."""


def _split(path: str) -> urllib.parse.SplitResult:
    try:
        return urllib.parse.urlsplit(path)
    except ValueError:  # an address such as //[x
        raise Refused(HTTPStatus.BAD_REQUEST, "请求的地址无效") from None


def _refusal(code: int, message: str | None) -> str:
    """What http.server's refusal ``code`` (its English ``message``) says, in Chinese."""
    if code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE and message == "Too many headers":
        return "请求头的行数过多"
    if code == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE:
        return (
            f"请求头过大（超过 {MAX_HEAD_BYTES // 1024} KB）；若是浏览器发出的，"
            "多半是它为 127.0.0.1 存的 Cookie 过多，请在浏览器中清除后重试"
        )
    return REFUSALS.get(code, "无法处理这个请求")


REFUSALS: dict[int, str] = {
    HTTPStatus.BAD_REQUEST: "请求的格式不对",
    HTTPStatus.REQUEST_URI_TOO_LONG: "请求的地址过长",
    HTTPStatus.EXPECTATION_FAILED: "不支持请求头 Expect 的这个值",
    HTTPStatus.NOT_IMPLEMENTED: "不支持这种请求方法",
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: "不支持这个 HTTP 版本",
}


def _new(handler: Handler, request: Json) -> Json:
    choice = Choice(
        fields.text(request, "layout", ""),
        request.get("table") is True,
        fields.text(request, "profile", ""),
    )
    start = fields.text(request, "start", "starter")
    return handler.server.workbench.new(fields.text(request, "file"), start, choice)


GET_ROUTES: dict[str, Route] = {
    "/api/state": lambda h, _: h.server.workbench.state(),
    "/api/schema": lambda h, _: h.server.workbench.schema,
}
POST_ROUTES: dict[str, Route] = {
    "/api/open": lambda h, r: h.server.workbench.open(fields.text(r, "file")),
    "/api/check": lambda h, r: h.server.workbench.check(fields.text(r, "file"), fields.text(r)),
    "/api/edit": lambda h, r: h.server.workbench.edit(
        fields.text(r, "file"), fields.text(r), fields.edit(r)
    ),
    "/api/save": lambda h, r: h.server.workbench.save(
        fields.text(r, "file"), fields.text(r), r.get("version"), r.get("force") is True
    ),
    "/api/new": _new,
    "/api/preview": lambda h, r: h.server.workbench.preview(fields.text(r, "file"), fields.text(r)),
    "/api/pages": lambda h, r: h.server.workbench.pages(fields.text(r, "file"), fields.text(r)),
}
