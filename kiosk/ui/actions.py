"""What the screens ask the pickup flow to do, and how that reaches the flow's thread.

Screens only call these methods; they never touch the flow, the cache or the board.
`RunnerActions` hands every call to the FlowRunner, which runs it on its worker thread
and delivers the resulting view back through the window's `ViewBridge`.
"""

from __future__ import annotations

from typing import Any, Protocol


class PickupActions(Protocol):
    def start_code_entry(self) -> None: ...
    def press_digit(self, digit: str) -> None: ...
    def backspace(self) -> None: ...
    def clear_entry(self) -> None: ...
    def submit_code(self, text: str | None = None) -> None: ...
    def submit_scan(self, text: str) -> None: ...
    def reopen(self) -> None: ...
    def retry_door(self) -> None: ...
    def next_door(self) -> None: ...
    def cancel(self) -> None: ...
    def retry_entry(self) -> None: ...
    def report_problem(self, problem: str) -> None: ...


class RunnerActions:
    """PickupActions run on the FlowRunner's worker thread (never on the GUI thread).

    `runner` has `call(fn, *args)`; `flow` is the PickupFlow it drives.
    """

    def __init__(self, runner: Any, flow: Any) -> None:
        self._runner = runner
        self._flow = flow

    def _call(self, name: str, *args: Any) -> None:
        self._runner.call(getattr(self._flow, name), *args)

    def start_code_entry(self) -> None:
        self._call("start_code_entry")

    def press_digit(self, digit: str) -> None:
        self._call("press_digit", digit)

    def backspace(self) -> None:
        self._call("backspace")

    def clear_entry(self) -> None:
        flow = self._flow
        if hasattr(flow, "clear_entry"):
            self._call("clear_entry")
            return

        def clear() -> None:
            # One call on the worker: the typed digits go away together.
            for _ in range(len(flow.view().entry)):
                flow.backspace()

        self._runner.call(clear)

    def submit_code(self, text: str | None = None) -> None:
        if text is None:
            self._call("submit_code")
        else:
            self._call("submit_code", text)

    def submit_scan(self, text: str) -> None:
        self._call("submit_scan", text)

    def reopen(self) -> None:
        self._call("reopen")

    def retry_door(self) -> None:
        self._call("retry_door")

    def next_door(self) -> None:
        self._call("next_door")

    def cancel(self) -> None:
        self._call("cancel")

    def retry_entry(self) -> None:
        self._call("retry_entry")

    def report_problem(self, problem: str) -> None:
        self._call("report_problem", problem)
