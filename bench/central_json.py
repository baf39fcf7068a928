"""Does a hand-made JSON path pay? FastAPI's response path for a route with a
response model (validate the returned model, serialize it with pydantic-core) against
rendering the model straight with `model_dump_json`, for a full 1000-parcel page and a
heartbeat reply, side by side in one run. FastAPI (0.165 here) already dumps JSON through
pydantic-core itself, the two are within noise, so the service keeps FastAPI's path.

    .venv/bin/python bench/central_json.py [--repeat 200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi import FastAPI  # noqa: E402
from fastapi.routing import APIRoute, serialize_response  # noqa: E402

from contract.wire import (  # noqa: E402
    HeartbeatReply,
    Parcel,
    ParcelPage,
    ParcelSize,
    ParcelState,
)


def _page() -> ParcelPage:
    deadline = datetime.now(UTC) + timedelta(days=7)
    return ParcelPage(parcels=[
        Parcel(parcel_id=f"p{i:07d}", order_ref=f"ORD{i:07d}", state=ParcelState.STORED,
               size=ParcelSize.M,
               compartment_id="A01", barcode=f"JJD{i:012d}", pickup_code_hash="ab" * 32,
               pickup_deadline=deadline, recipient_hint="A. B.", version=3)
        for i in range(1000)
    ], next_cursor="YzF8cGFyY2Vsc3xYUC0wMXwxMDAw", has_more=True)


def _fastapi_way(model: type, value: object, repeat: int) -> tuple[bytes, float]:
    """FastAPI's own rendering of `value` for a route with `response_model=model`: the
    body, and the best time per call (ms) over three runs of `repeat` calls."""
    app = FastAPI()

    @app.get("/x", response_model=model)
    def x() -> None:  # the route only carries the response field
        return None

    route = next(r for r in app.routes if isinstance(r, APIRoute) and r.path == "/x")

    async def render() -> bytes:
        out = await serialize_response(field=route.response_field, response_content=value,
                                       dump_json=True)
        return out if isinstance(out, bytes) else json.dumps(out).encode()

    async def run() -> tuple[bytes, float]:
        body = await render()
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(repeat):
                await render()
            best = min(best, (time.perf_counter() - t0) / repeat)
        return body, best * 1000

    return asyncio.run(run())


def timed(fn: Callable[[], object], repeat: int) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - t0) / repeat)
    return best * 1000


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=200)
    args = ap.parse_args()
    page = _page()
    beat = HeartbeatReply(server_time=datetime.now(UTC), commands=[],
                          parcels_cursor="YzF8cGFyY2Vsc3xYUC0wMXwxMDAw",
                          couriers_cursor="YzF8Y291cmllcnN8WFAtMDF8Nw")
    print(f"{'answer':<22}{'FastAPI path ms':>16}{'pydantic-core ms':>18}{'ratio':>8}")
    for name, model, value, reps in (("1000-parcel page", ParcelPage, page, args.repeat // 10),
                                     ("heartbeat reply", HeartbeatReply, beat, args.repeat)):
        body, slow = _fastapi_way(model, value, max(1, reps))
        assert body == value.model_dump_json().encode()  # byte for byte the same answer
        fast = timed(lambda v=value: v.model_dump_json(), max(1, reps))
        print(f"{name:<22}{slow:>16.3f}{fast:>18.3f}{slow / fast:>7.1f}x")


if __name__ == "__main__":
    main()
