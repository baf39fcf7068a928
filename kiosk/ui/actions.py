"""What the screens ask the pickup flow to do, and how that reaches the flow's thread.

Screens only call these methods; they never touch the flow, the cache or the board.
`RunnerActions` hands every call to the FlowRunner, which runs it on its worker thread
and delivers the resulting view back through the `ViewBridge`.
"""

from __future__ import annotations

from typing import Any, Protocol


class PickupActions(Protocol):
    def start_code_entry(self) -> None: ...
    def submit_code(self, text: str) -> None: ...
    def submit_scan(self, text: str) -> None: ...
    def reopen(self) -> None: ...
    def retry_door(self) -> None: ...
    def cancel(self) -> None: ...


class RunnerActions:
    """PickupActions that run on the FlowRunner's worker thread (never on the GUI thread)."""

    def __init__(self, runner: Any, flow: Any) -> None:
        self._runner = runner
        self._flow = flow

    def _call(self, name: str, *args: Any) -> None:
        self._runner.submit(getattr(self._flow, name), *args)

    def start_code_entry(self) -> None:
        self._call("start_code_entry")

    def submit_code(self, text: str) -> None:
        self._call("submit_code", text)

    def submit_scan(self, text: str) -> None:
        self._call("submit_scan", text)

    def reopen(self) -> None:
        self._call("reopen")

    def retry_door(self) -> None:
        self._call("retry_door")

    def cancel(self) -> None:
        self._call("cancel")
