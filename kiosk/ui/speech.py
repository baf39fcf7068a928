"""Spoken guidance for the accessibility mode, from espeak-ng (Debian `espeak-ng`).

The engine runs offline in a child process on a worker thread: the GUI thread only
queues a phrase. A newer phrase replaces one still waiting (the screen moved on), and
the one being spoken is cut short, so the kiosk never reads out a screen that is gone.
Without espeak-ng (or without a sound player) the kiosk stays silent and says so once
in the log.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# espeak-ng voice per kiosk language (Qt locale name).
VOICES: dict[str, str] = {"en": "en", "ru": "ru", "zh_CN": "cmn"}
RATE_WPM = 150  # a little slower than espeak's 175: people listen while they act
MAX_CHARS = 600  # a screen's words, never a wall of text


def voice_for(language: str) -> str:
    return VOICES.get(language, VOICES.get(language.split("_")[0], "en"))


def synthesize(text: str, language: str, engine: str | None = None) -> bytes:
    """The phrase as a WAV file's bytes (raises FileNotFoundError without espeak-ng,
    subprocess.CalledProcessError when the engine fails)."""
    exe = engine or shutil.which("espeak-ng")
    if exe is None:
        raise FileNotFoundError("espeak-ng is not installed (Debian package espeak-ng)")
    done = subprocess.run(
        [exe, "-v", voice_for(language), "-s", str(RATE_WPM), "--stdout", "--",
         text[:MAX_CHARS]],
        capture_output=True, check=True, timeout=30)
    return done.stdout


class Speaker:
    """Speaks one phrase at a time: `say(text, language)` returns at once."""

    def __init__(self, engine: str | None = None, player: list[str] | None = None) -> None:
        self._engine = engine or shutil.which("espeak-ng")
        aplay = shutil.which("aplay")
        self._player = player if player is not None else ([aplay, "-q"] if aplay else None)
        self._lock = threading.Condition()
        self._pending: tuple[str, str] | None = None
        self._playing: subprocess.Popen[bytes] | None = None
        self._stopped = False
        self.spoken: list[tuple[str, str]] = []  # what was handed to the player, in order
        self._thread: threading.Thread | None = None
        if not self.available:
            log.info("no speech engine (espeak-ng) or player (aplay): guidance stays silent")

    @property
    def available(self) -> bool:
        return self._engine is not None and self._player is not None

    def say(self, text: str, language: str) -> None:
        text = " ".join(text.split())
        if not text or not self.available:
            return
        with self._lock:
            self._pending = (text, language)
            if self._playing is not None and self._playing.poll() is None:
                self._playing.terminate()  # the screen moved on
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="speech",
                                                daemon=True)
                self._thread.start()
            self._lock.notify()

    def busy(self) -> bool:
        """A phrase is waiting or being spoken."""
        with self._lock:
            playing = self._playing is not None and self._playing.poll() is None
            return self._pending is not None or playing

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._pending = None
            if self._playing is not None and self._playing.poll() is None:
                self._playing.terminate()
            self._lock.notify()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            with self._lock:
                while self._pending is None and not self._stopped:
                    self._lock.wait()
                if self._stopped:
                    return
                assert self._pending is not None
                text, language = self._pending
                self._pending = None
            try:
                wav = synthesize(text, language, self._engine)
            except (OSError, subprocess.SubprocessError) as exc:
                log.warning("speech engine failed: %s", exc)
                continue
            self._play(wav, text, language)

    def _play(self, wav: bytes, text: str, language: str) -> None:
        assert self._player is not None
        with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as f:
            f.write(wav)
            path = Path(f.name)
        try:
            with self._lock:
                if self._stopped or self._pending is not None:
                    return  # superseded while it was being synthesized
                self.spoken.append((text, language))
                self._playing = subprocess.Popen(
                    [*self._player, str(path)], stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                playing = self._playing
            playing.wait()
        except OSError as exc:
            log.warning("speech player failed: %s", exc)
        finally:
            path.unlink(missing_ok=True)
