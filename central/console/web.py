"""What every console page needs: the signed-in operator, CSRF, forms and rendering.

Handlers are plain functions on the thread pool (like the API's); the form body is
read by an async dependency first. Every state-changing request is a POST carrying
the session's CSRF token in a hidden `csrf` field, compared in constant time; the
session cookie is also SameSite=Strict, so a cross-site form never carries it.
"""

from __future__ import annotations

import hmac
import urllib.parse
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central import operators
from central.console import i18n
from central.context import ServiceContext
from central.operators import Role, Session

SESSION_COOKIE = "xp_console"
LOGIN_CSRF_COOKIE = "xp_console_login"
LANG_COOKIE = "xp_console_lang"
MAX_FORM_BYTES = 64 * 1024

TEMPLATES = Path(__file__).parent / "templates"


class ConsoleError(Exception):
    """A request the console answers with an error page (status and message)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class SignInNeeded(Exception):
    """No live session: the browser is sent to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        super().__init__(next_url)
        self.next_url = next_url


async def form_body(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body as {field: last value}; bounded."""
    if request.method != "POST":
        return {}
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise ConsoleError(413, "the form is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConsoleError(400, "the form is not UTF-8") from exc
    return {k: v for k, v in urllib.parse.parse_qsl(text, keep_blank_values=True)}


Form = Annotated[dict[str, str], Depends(form_body)]


def client_of(request: Request) -> str | None:
    return request.client.host if request.client else None


def session_of(ctx: ServiceContext, request: Request, *, touch: bool = True) -> Session | None:
    token = request.cookies.get(SESSION_COOKIE)
    if not token or len(token) > 100:
        return None
    if touch:
        with ctx.db.write() as conn:
            return operators.resume_session(conn, token, ctx.clock(), touch=True)
    with ctx.db.read() as conn:
        return operators.resume_session(conn, token, ctx.clock(), touch=False)


def require(
    ctx: ServiceContext,
    request: Request,
    role: Role = Role.VIEWER,
    form: Mapping[str, str] | None = None,
    *,
    touch: bool = True,
) -> Session:
    """The session of this request, with at least `role`; for a POST, a valid CSRF."""
    session = session_of(ctx, request, touch=touch)
    if session is None:
        target = request.url.path if request.method == "GET" else "/console/"
        raise SignInNeeded(target)
    if request.method == "POST":
        sent = (form or {}).get("csrf", "")
        if not hmac.compare_digest(sent.encode(), session.csrf_token.encode()):
            raise ConsoleError(403, i18n.text(lang_of(request), "csrf_failed"))
    if not session.operator.may(role):
        raise ConsoleError(403, i18n.text(lang_of(request), "role_needed", role=role.value))
    return session


def lang_of(request: Request) -> str:
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in i18n.LANGUAGES:
            return code
    return "en"


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES)),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["when"] = i18n.when
_env.filters["ago"] = i18n.ago


def render(
    request: Request,
    template: str,
    session: Session | None,
    status: int = 200,
    **values: Any,
) -> HTMLResponse:
    lang = lang_of(request)
    ok_key = request.query_params.get("ok", "")
    page = _env.get_template(template).render(
        t=lambda key, **kw: i18n.text(lang, key, **kw),
        lang=lang,
        me=session.operator if session else None,
        csrf=session.csrf_token if session else "",
        path=request.url.path,
        query=request.query_params,
        ok_message=i18n.text(lang, "ok_" + ok_key) if ok_key in i18n.OK_KEYS else "",
        **values,
    )
    response = HTMLResponse(page, status_code=status)
    secure_headers(response)
    return response


def secure_headers(response: Response) -> None:
    # Pages load only their own script and style; nothing frames them.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "no-store"


def back(url: str, ok: str | None = None) -> RedirectResponse:
    """303 to a console page after a POST, with a success message key."""
    if ok:
        url += ("&" if "?" in url else "?") + urllib.parse.urlencode({"ok": ok})
    return RedirectResponse(url, status_code=303)


def set_session_cookie(response: Response, request: Request, token: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/console",
        max_age=int(operators.ABSOLUTE.total_seconds()),
    )
