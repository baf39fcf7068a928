"""Spoken guidance: espeak-ng really makes sound, in each kiosk language, off the GUI
thread."""

from __future__ import annotations

import io
import shutil
import sys
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from kiosk.ui.speech import Speaker, synthesize, voice_for

pytestmark = [pytest.mark.ui, pytest.mark.skipif(
    shutil.which("espeak-ng") is None, reason="espeak-ng (Debian) is not installed")]

PHRASES = {
    "en": "Door C02 is open. Column 3, row 2 from the top: top middle.",
    "ru": "Ячейка C02 открыта. Столбец 3, ряд 2 сверху: вверху по центру.",
    "zh_CN": "C02 号柜门已打开。第 3 列，从上数第 2 行。",
}


def loudness(wav_bytes: bytes) -> tuple[float, float]:
    """(seconds, RMS of the 16-bit samples) of a WAV file."""
    with wave.open(io.BytesIO(wav_bytes)) as w:
        assert w.getsampwidth() == 2
        frames = w.readframes(w.getnframes())
        seconds = w.getnframes() / w.getframerate()
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    return seconds, float(np.sqrt(np.mean(samples ** 2))) if samples.size else 0.0


@pytest.mark.parametrize("language", sorted(PHRASES))
def test_each_language_is_spoken_aloud(language: str) -> None:
    seconds, rms = loudness(synthesize(PHRASES[language], language))
    assert seconds > 1.0  # a sentence, not a click
    assert rms > 500  # far above silence (0) and dither


def test_voices_follow_the_kiosk_languages() -> None:
    assert (voice_for("en"), voice_for("ru"), voice_for("zh_CN")) == ("en", "ru", "cmn")
    assert voice_for("de") == "en"  # an unknown language still gets a voice


def test_the_speaker_plays_the_latest_screen_on_its_own_thread(
        tmp_path: Path) -> None:
    # The player is the only stand-in: it keeps each WAV it is given instead of playing.
    keep = ("import shutil, sys, pathlib; d = pathlib.Path(sys.argv[1]); "
            "shutil.copy(sys.argv[2], d / f'{len(list(d.iterdir()))}.wav')")
    speaker = Speaker(player=[sys.executable, "-c", keep, str(tmp_path)])
    try:
        speaker.say("First screen, which nobody will hear.", "en")
        speaker.say("Second screen.", "en")
        speaker.say(PHRASES["ru"], "ru")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any(
                t == PHRASES["ru"] for t, _ in speaker.spoken):
            time.sleep(0.05)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and speaker.busy():
            time.sleep(0.05)
    finally:
        speaker.stop()
    assert speaker.spoken[-1] == (PHRASES["ru"], "ru")
    # Earlier phrases may have been cut short; the last one was played to the end.
    last = max(tmp_path.iterdir(), key=lambda f: f.stat().st_mtime_ns)
    assert loudness(last.read_bytes())[1] > 500


def test_accessibility_mode_reads_each_screen_in_the_chosen_language(
        qtbot, window, tmp_path: Path) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.samples import SAMPLES

    keep = ("import shutil, sys, pathlib; d = pathlib.Path(sys.argv[1]); "
            "shutil.copy(sys.argv[2], d / f'{len(list(d.iterdir()))}.wav')")
    window.speaker = Speaker(player=[sys.executable, "-c", keep, str(tmp_path)])
    try:
        window.resize(1280, 800)
        window.show_view(SAMPLES["idle"])
        idle = window.pages["idle"]
        qtbot.mouseClick(idle.accessible, Qt.MouseButton.LeftButton)
        assert window.accessible and window.large_text and idle.accessible.is_current

        def heard(words: str, language: str) -> bool:
            return any(words in t and lang == language for t, lang in window.speaker.spoken)

        qtbot.waitUntil(lambda: heard("Scan your QR code here", "en"), timeout=30000)
        window.show_view(SAMPLES["door_open"])
        qtbot.waitUntil(lambda: heard("Door A06 is open", "en"), timeout=30000)
        text = window.speaker.spoken[-1][0]
        assert "Column 1, row 6 from the top" in text  # where the door is
        window.set_language("ru")
        qtbot.waitUntil(lambda: heard("Ячейка A06 открыта", "ru"), timeout=30000)
        qtbot.waitUntil(lambda: not window.speaker.busy(), timeout=30000)
        last = max(tmp_path.iterdir(), key=lambda f: f.stat().st_mtime_ns)
        assert loudness(last.read_bytes())[1] > 500  # the Russian phrase, real sound
        # The next customer starts without it.
        window.show_view(SAMPLES["idle"])
        window.time_out()
        assert not window.accessible and not window.large_text
    finally:
        window.speaker.stop()
        window.set_language("en")
