"""The audit trail page: every operator action, newest first, filterable."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from central import audit
from central.auth import Ctx
from central.console.web import render, require

router = APIRouter()


@router.get("/audit", include_in_schema=False)
def audit_page(request: Request, ctx: Ctx) -> Response:
    session = require(ctx, request)
    qp = request.query_params
    before = qp.get("before", "")
    with ctx.db.read() as conn:
        rows = audit.latest(
            conn,
            limit=100,
            before_id=int(before) if before.isdigit() else None,
            operator=qp.get("operator", "")[:64] or None,
            target=qp.get("target", "")[:200] or None,
        )
    return render(request, "audit.html", session, rows=rows)
