"""Sign-in, sign-out and the language switch.

The sign-in form has no session yet, so its CSRF token is a double-submit cookie
(random, HttpOnly, SameSite=Strict) that the form must echo. The password is checked
with scrypt before the write transaction opens (SQLite holds its write lock for the
whole transaction); the failure count and lockout are judged inside it.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from central import audit, operators, outbox, throttle, webhooks
from central.auth import Ctx
from central.console import i18n
from central.console.web import (
    LANG_COOKIE,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Form,
    back,
    client_of,
    lang_of,
    render,
    session_of,
    set_session_cookie,
)
from central.operators import LoginResult

router = APIRouter()


def _safe_next(url: str | None) -> str:
    # Only a path inside the console: never an open redirect to another site.
    if url and url.startswith("/console/") and not url.startswith("//") and "\\" not in url:
        return url
    return "/console/fleet"


def _login_page(request: Request, status: int = 200, error: str = "") -> Response:
    token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)
    response = render(
        request,
        "login.html",
        None,
        status=status,
        login_csrf=token,
        error=error,
        next=_safe_next(request.query_params.get("next")),
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/console",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/login", include_in_schema=False)
def login_form(request: Request, ctx: Ctx) -> Response:
    if session_of(ctx, request, touch=False) is not None:
        return RedirectResponse("/console/fleet", status_code=303)
    return _login_page(request)


@router.post("/login", include_in_schema=False)
def login(request: Request, ctx: Ctx, form: Form) -> Response:
    lang = lang_of(request)
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), form.get("csrf", "").encode()):
        return _login_page(request, 403, i18n.text(lang, "login_expired"))
    name = form.get("name", "").strip()[:64]
    password = form.get("password", "")[: operators.MAX_PASSWORD]
    client = client_of(request)
    now = ctx.clock()
    with ctx.db.read() as conn:
        blocked = throttle.blocked(conn, throttle.LOGIN, client or "?", now)
        stored = operators.fetch_hash(conn, name)
    if blocked:
        return _login_page(request, 429, i18n.text(lang, "login_throttled"))
    ok = operators.verify_password(password, stored)
    with ctx.db.write() as conn:
        result, who = operators.record_login(conn, name, ok, now)
        if result is LoginResult.OK and who is not None:
            throttle.clear(conn, throttle.LOGIN, client or "?", now)
            token, _session = operators.start_session(conn, who, now)
            audit.record(conn, now, who.name, "sign_in", client=client)
        else:
            if throttle.fail(conn, throttle.LOGIN, client or "?", now, subject=name):
                webhooks.record(
                    conn,
                    outbox.ALARM_RAISED,
                    {
                        "locker_id": None,
                        "code": "throttle_login",
                        "compartment_id": None,
                        "message": f"wrong sign-ins from {client}: blocked",
                        "since": now.isoformat().replace("+00:00", "Z"),
                    },
                    now,
                )
            audit.record(
                conn,
                now,
                None,
                "sign_in_failed",
                target=name,
                client=client,
                locked=result is LoginResult.LOCKED,
            )
    if result is LoginResult.LOCKED:
        return _login_page(request, 403, i18n.text(lang, "login_locked"))
    if result is not LoginResult.OK:
        return _login_page(request, 401, i18n.text(lang, "login_wrong"))
    response = RedirectResponse(_safe_next(form.get("next")), status_code=303)
    set_session_cookie(response, request, token)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/console")
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, ctx: Ctx, form: Form) -> Response:
    session = session_of(ctx, request, touch=False)
    token = request.cookies.get(SESSION_COOKIE, "")
    if session is not None and hmac.compare_digest(
        form.get("csrf", "").encode(), session.csrf_token.encode()
    ):
        with ctx.db.write() as conn:
            operators.end_session(conn, token)
            audit.record(
                conn, ctx.clock(), session.operator.name, "sign_out", client=client_of(request)
            )
    response = back("/console/login", "signed_out")
    response.delete_cookie(SESSION_COOKIE, path="/console")
    return response


@router.get("/lang/{code}", include_in_schema=False)
def switch_language(code: str, request: Request) -> Response:
    response = RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, code, samesite="lax", path="/console", max_age=365 * 86400)
    return response
