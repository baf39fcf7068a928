"""Start the simulator as a real process on a pty (or TCP) and drive it from tests.

    with SimProcess(protocol="cu16", boards=2) as sim:
        bank = LockerBank.open(BankConfig(port_url=sim.port, ...))
        sim.command("close 0 3")
"""

from __future__ import annotations

import contextlib
import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO, Any

DEFAULT_START_TIMEOUT_S = 20.0
DEFAULT_COMMAND_TIMEOUT_S = 10.0


class SimProcessError(RuntimeError):
    pass


class SimProcess:
    """The simulator process. `.port` is what the driver opens; `.command()` sends one
    control line and returns the answer (raises SimProcessError on `error ...`)."""

    def __init__(
        self,
        protocol: str = "cu16",
        boards: int = 1,
        *,
        tcp: bool = False,
        link: str | Path | None = None,
        locks: int | None = None,
        latency_s: float = 0.0,
        pace: bool = False,
        seed: int | None = None,
        extra_args: list[str] | None = None,
        start_timeout_s: float = DEFAULT_START_TIMEOUT_S,
    ) -> None:
        args = [sys.executable, "-m", "locker_driver.sim", "--protocol", protocol,
                "--boards", str(boards), "--latency", str(latency_s)]
        args += ["--tcp", "0"] if tcp else ["--pty"]
        if link:
            args += ["--link", str(link)]
        if locks:
            args += ["--locks", str(locks)]
        if pace:
            args.append("--pace")
        if seed is not None:
            args += ["--seed", str(seed)]
        args += extra_args or []
        self._proc = subprocess.Popen(
            args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, bufsize=1,
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._stderr: list[str] = []
        threading.Thread(target=self._pump, args=(self._proc.stdout, self._lines),
                         daemon=True).start()
        threading.Thread(target=self._collect_stderr, daemon=True).start()
        self._lock = threading.Lock()
        first = self._next_line(start_timeout_s)
        if first is None:
            self.close()
            raise SimProcessError(f"simulator did not start: {''.join(self._stderr)[-2000:]}")
        self.port = first

    @staticmethod
    def _pump(stream: IO[str] | None, out: queue.Queue[str | None]) -> None:
        assert stream is not None
        for line in stream:
            out.put(line.rstrip("\n"))
        out.put(None)

    def _collect_stderr(self) -> None:
        assert self._proc.stderr is not None
        for line in self._proc.stderr:
            self._stderr.append(line)

    def _next_line(self, timeout_s: float) -> str | None:
        try:
            return self._lines.get(timeout=timeout_s)
        except queue.Empty:
            return None

    @property
    def pid(self) -> int:
        return self._proc.pid

    def command(self, line: str, timeout_s: float = DEFAULT_COMMAND_TIMEOUT_S) -> str:
        """Send one control command; returns the text after `ok` ("" when none)."""
        with self._lock:
            if self._proc.poll() is not None:
                raise SimProcessError(f"simulator exited with {self._proc.returncode}")
            assert self._proc.stdin is not None
            self._proc.stdin.write(line.strip() + "\n")
            self._proc.stdin.flush()
            answer = self._next_line(timeout_s)
        if answer is None:
            raise SimProcessError(f"no answer to {line!r}")
        if answer.startswith("error"):
            raise SimProcessError(answer[6:])
        return answer[3:]

    def state(self) -> dict[str, Any]:
        return json.loads(self.command("state"))

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(5)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(5)
        for stream in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()

    def __enter__(self) -> SimProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
