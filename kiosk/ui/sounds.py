"""Short confirmation and error tones (ux.md), without QtMultimedia.

PySide6-Essentials has no QtMultimedia, so the tones are small WAV files made at start
and played by the system's player (`aplay` from alsa-utils by default) in a child
process: starting it takes a moment and never waits for the sound, so the GUI thread
does not block. No player installed means no sound, never an error on screen.
"""

from __future__ import annotations

import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
import weakref
from enum import StrEnum
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

RATE = 16000


class Tone(StrEnum):
    success = "success"  # door open: two rising notes
    error = "error"  # something went wrong: one low note


# (frequency Hz, seconds) per note; 0 Hz is a pause.
_NOTES: dict[Tone, tuple[tuple[float, float], ...]] = {
    Tone.success: ((880.0, 0.09), (0.0, 0.03), (1320.0, 0.12)),
    Tone.error: ((220.0, 0.28),),
}


def tone_samples(tone: Tone, volume: float = 0.5) -> bytes:
    """16-bit mono PCM of a tone, with short fades so it does not click."""
    frames = bytearray()
    for freq, seconds in _NOTES[tone]:
        count = int(RATE * seconds)
        fade = max(1, int(RATE * 0.01))
        for i in range(count):
            envelope = min(1.0, i / fade, (count - i) / fade)
            value = 0.0 if freq == 0 else math.sin(2 * math.pi * freq * i / RATE)
            frames += struct.pack("<h", int(32767 * volume * envelope * value))
    return bytes(frames)


def write_wav(path: Path, tone: Tone) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(tone_samples(tone))
    return path


class TonePlaying(Protocol):
    def play(self, tone: Tone) -> None: ...


class TonePlayer:
    """Plays a tone with `command + [wav file]`; `command=None` finds aplay, if any."""

    def __init__(self, command: list[str] | None = None, folder: Path | None = None) -> None:
        if command is None:
            player = shutil.which("aplay")
            command = [player, "-q"] if player else []
        self.command = command
        if folder is None:
            folder = Path(tempfile.mkdtemp(prefix="expresspoint-tones-"))
            # The folder is ours alone; it goes when the player does.
            weakref.finalize(self, shutil.rmtree, folder, True)
        self._dir = folder
        self.files = {tone: write_wav(self._dir / f"{tone}.wav", tone) for tone in Tone}
        self._running: subprocess.Popen[bytes] | None = None
        if not self.command:
            log.info("no sound player (aplay) found: the kiosk stays silent")

    @property
    def enabled(self) -> bool:
        return bool(self.command)

    def play(self, tone: Tone) -> None:
        if not self.command:
            return
        if self._running is not None and self._running.poll() is None:
            return  # one tone at a time; a new one would only garble the first
        try:
            self._running = subprocess.Popen(
                [*self.command, str(self.files[tone])],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            log.warning("sound player %s failed: %s; going silent", self.command[0], exc)
            self.command = []
