"""Confirmation and error tones: real WAV files, played by a child process."""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import pytest

from kiosk.flows.pickup_view import PickupScreen, PickupView
from kiosk.ui.sounds import RATE, Tone, TonePlayer
from tests.ui.samples import SAMPLES

pytestmark = pytest.mark.ui


def test_tones_are_short_valid_wav_files(tmp_path: Path) -> None:
    player = TonePlayer(command=[], folder=tmp_path)
    for tone in Tone:
        with wave.open(str(player.files[tone])) as wav:
            assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, RATE)
            seconds = wav.getnframes() / RATE
            assert 0.1 < seconds < 0.5
    assert not player.enabled
    player.play(Tone.success)  # silent, no error


def test_the_player_runs_the_command_with_the_tone_file(tmp_path: Path) -> None:
    log = tmp_path / "played.txt"
    script = f"import sys; open({str(log)!r}, 'a').write(sys.argv[1] + '\\n')"
    player = TonePlayer(command=[sys.executable, "-c", script], folder=tmp_path)
    player.play(Tone.error)
    assert player._running is not None
    player._running.wait(10)
    assert log.read_text().splitlines() == [str(player.files[Tone.error])]


class RecordingTones:
    def __init__(self) -> None:
        self.played: list[Tone] = []

    def play(self, tone: Tone) -> None:
        self.played.append(tone)


def test_the_window_sounds_a_tone_when_a_door_opens_or_an_error_appears(window) -> None:
    tones = RecordingTones()
    window.tones = tones
    window.show_view(SAMPLES["door_opening"])
    window.show_view(SAMPLES["door_open"])
    window.show_view(SAMPLES["door_open"])  # a new countdown or reading: no second tone
    assert tones.played == [Tone.success]
    window.show_view(SAMPLES["unknown_code"])
    window.show_view(PickupView(screen=PickupScreen.unknown_code, timeout_remaining_s=9))
    window.show_view(SAMPLES["locked_out"])
    assert tones.played == [Tone.success, Tone.error, Tone.error]
    window.show_view(SAMPLES["idle"])
    assert len(tones.played) == 3
