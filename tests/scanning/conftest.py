"""Fixtures for the scanning tests: the real photo set and a way to wait on threads."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
# shared/ sits beside the checkout (in CI and on developer machines alike).
SAMPLES = Path(
    os.environ.get("EXPRESSPOINT_BARCODE_SAMPLES", REPO.parent / "shared/data/barcode-samples")
)
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


@dataclass(frozen=True)
class Sample:
    path: Path
    expected: bytes  # the exact payload; some samples are not UTF-8 text

    def gray(self) -> np.ndarray:
        image = cv2.imread(str(self.path), cv2.IMREAD_GRAYSCALE)
        assert image is not None, f"OpenCV cannot read {self.path}"
        return image


def load_samples(folder: str) -> list[Sample]:
    """Images of one sample folder with the expected text beside each (IMAGE.txt)."""
    root = SAMPLES / folder
    if not root.is_dir():
        pytest.skip(f"barcode samples not found at {root} (set EXPRESSPOINT_BARCODE_SAMPLES)")
    samples = []
    for image in sorted(root.iterdir()):
        expected = image.with_suffix(".txt")
        if image.suffix.lower() in IMAGE_SUFFIXES and expected.exists():
            samples.append(Sample(image, expected.read_bytes()))
    return samples


def wait_until(predicate: Callable[[], bool], timeout: float = 5.0, what: str = "") -> None:
    """Polls `predicate` until it holds; fails the test with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
