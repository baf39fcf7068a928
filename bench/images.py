"""A seeded set of degraded 640x480 grey camera frames for the decode benchmark.

Each condition imitates one way a kiosk camera sees a code badly: a phone held far away
(small), at an angle (tilted), moving or out of focus (blurred), a dim or dirty screen
(low contrast), a cheap sensor at night (noisy), sunlight on the phone (glare), plus
empty frames (what the camera sees most of the day) and Code 128 parcel labels.

Frames are generated at run time from a seed and never stored in the repository.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.scanning.synth import qr_modules, render_code128

WIDTH, HEIGHT = 640, 480


@dataclass(frozen=True)
class Sample:
    condition: str
    image: np.ndarray  # uint8 grey, HEIGHT x WIDTH
    expected: str | None  # None for an empty frame


def payload(rng: random.Random) -> str:
    """A pickup QR payload as central-api.md defines it."""
    return f"XP1:LOCKER-{rng.randrange(10000):04d}:{rng.randrange(10**8):08d}"


def background(rng: random.Random) -> np.ndarray:
    """A plausible scene: a lighting gradient, a few shapes (a sleeve, a bag strap),
    mild sensor noise."""
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    base = rng.uniform(90, 170)
    ramp = (np.cos(angle) * x + np.sin(angle) * y) / WIDTH * rng.uniform(20, 60)
    scene = base + ramp
    for _ in range(rng.randrange(2, 6)):
        x0, y0 = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        w, h = rng.randrange(40, 260), rng.randrange(40, 260)
        scene[y0 : y0 + h, x0 : x0 + w] += rng.uniform(-50, 50)
    noise = np.random.default_rng(rng.randrange(2**32)).normal(0, 3, scene.shape)
    scene = cv2.GaussianBlur(scene, (0, 0), 2.0) + noise
    return np.clip(scene, 0, 255).astype(np.uint8)


def paste(
    scene: np.ndarray,
    symbol: np.ndarray,
    quad: np.ndarray,
) -> np.ndarray:
    """`symbol` warped onto the four destination corners `quad` (TL, TR, BR, BL)."""
    h, w = symbol.shape
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    warped = cv2.warpPerspective(symbol, matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.ones_like(symbol, dtype=np.float32), matrix, (WIDTH, HEIGHT), flags=cv2.INTER_LINEAR
    )
    out = scene.astype(np.float32) * (1 - mask) + warped.astype(np.float32) * mask
    return np.clip(out, 0, 255).astype(np.uint8)


def qr_symbol(text: str, module_px: int, dark: int = 0, light: int = 255) -> np.ndarray:
    modules = np.pad(qr_modules(text), 4, constant_values=False)
    img = np.where(modules, dark, light).astype(np.uint8)
    return np.kron(img, np.ones((module_px, module_px), dtype=np.uint8))


def place_quad(
    rng: random.Random,
    side_w: float,
    side_h: float,
    rotation_deg: float = 0.0,
    tilt: float = 0.0,
) -> np.ndarray:
    """Corners of a side_w x side_h rectangle rotated by `rotation_deg` and foreshortened
    by `tilt` (0..1: how much the far edge shrinks), at a random spot that fits."""
    half = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]], dtype=np.float32) * np.array(
        [side_w / 2, side_h / 2], dtype=np.float32
    )
    if tilt:
        # The top edge is farther from the camera: narrower and a little shorter.
        half[0:2, 0] *= 1 - tilt
        half[0:2, 1] *= 1 - tilt / 2
    a = np.deg2rad(rotation_deg)
    rot = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], dtype=np.float32)
    corners = half @ rot.T
    span = corners.max(axis=0) - corners.min(axis=0)
    margin = 8
    cx = rng.uniform(span[0] / 2 + margin, max(span[0] / 2 + margin, WIDTH - span[0] / 2 - margin))
    cy = rng.uniform(span[1] / 2 + margin, max(span[1] / 2 + margin, HEIGHT - span[1] / 2 - margin))
    return corners + np.array([cx, cy], dtype=np.float32)


def _qr_frame(
    rng: random.Random,
    module_px: float,
    rotation: float = 0.0,
    tilt: float = 0.0,
    dark: int = 0,
    light: int = 255,
) -> tuple[np.ndarray, str]:
    frame, text, _ = _qr_frame_at(rng, module_px, rotation, tilt, dark, light)
    return frame, text


def _qr_frame_at(
    rng: random.Random,
    module_px: float,
    rotation: float = 0.0,
    tilt: float = 0.0,
    dark: int = 0,
    light: int = 255,
) -> tuple[np.ndarray, str, np.ndarray]:
    """A frame with a QR code, its payload and the code's four corners."""
    text = payload(rng)
    source_px = max(1, round(module_px))
    symbol = qr_symbol(text, source_px, dark, light)
    side = symbol.shape[0] * module_px / source_px
    quad = place_quad(rng, side, side, rotation, tilt)
    return paste(background(rng), symbol, quad), text, quad


def _noise(rng: random.Random, image: np.ndarray, sigma: float) -> np.ndarray:
    gen = np.random.default_rng(rng.randrange(2**32))
    return np.clip(image + gen.normal(0, sigma, image.shape), 0, 255).astype(np.uint8)


# --- conditions ------------------------------------------------------------------------


def clean(rng: random.Random) -> tuple[np.ndarray, str | None]:
    return _qr_frame(rng, rng.uniform(4, 6), rotation=rng.uniform(-5, 5))


def small(rng: random.Random) -> tuple[np.ndarray, str | None]:
    frame, text = _qr_frame(rng, rng.uniform(1.4, 2.0), rotation=rng.uniform(-10, 10))
    return cv2.GaussianBlur(frame, (0, 0), 0.6), text


def tilted(rng: random.Random) -> tuple[np.ndarray, str | None]:
    return _qr_frame(
        rng, rng.uniform(3.5, 5), rotation=rng.uniform(15, 75), tilt=rng.uniform(0.15, 0.4)
    )


def blurred(rng: random.Random) -> tuple[np.ndarray, str | None]:
    frame, text = _qr_frame(rng, rng.uniform(4, 5), rotation=rng.uniform(-10, 10))
    if rng.random() < 0.5:
        return cv2.GaussianBlur(frame, (0, 0), rng.uniform(1.5, 2.5)), text
    # Motion blur: the phone moves sideways during the exposure.
    length = rng.randrange(7, 13)
    line = np.zeros((length, length), np.float32)
    line[length // 2, :] = 1.0 / length
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(line, rot, (length, length))
    return cv2.filter2D(frame, -1, kernel / kernel.sum()), text


def low_contrast(rng: random.Random) -> tuple[np.ndarray, str | None]:
    light = rng.randrange(120, 160)
    dark = light - rng.randrange(20, 35)
    frame, text = _qr_frame(
        rng, rng.uniform(4, 5), rotation=rng.uniform(-10, 10), dark=dark, light=light
    )
    return _noise(rng, frame, 2.0), text


def noisy(rng: random.Random) -> tuple[np.ndarray, str | None]:
    frame, text = _qr_frame(rng, rng.uniform(4, 5), rotation=rng.uniform(-10, 10))
    return _noise(rng, frame, rng.uniform(25, 40)), text


def glare(rng: random.Random) -> tuple[np.ndarray, str | None]:
    frame, text, quad = _qr_frame_at(rng, rng.uniform(4, 5.5), rotation=rng.uniform(-10, 10))
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    # The bright spot always sits on the code (inner 80 %), never beside it by luck.
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    cx = rng.uniform(x0 + 0.1 * (x1 - x0), x1 - 0.1 * (x1 - x0))
    cy = rng.uniform(y0 + 0.1 * (y1 - y0), y1 - 0.1 * (y1 - y0))
    radius = rng.uniform(25, 55)
    spot = np.exp(-(((x - cx) ** 2 + (y - cy) ** 2) / (2 * radius**2)))
    strength = rng.uniform(150, 230)
    return np.clip(frame + spot * strength, 0, 255).astype(np.uint8), text


def empty(rng: random.Random) -> tuple[np.ndarray, str | None]:
    return background(rng), None


def label_code128(rng: random.Random) -> tuple[np.ndarray, str | None]:
    """A parcel label held under the camera by a courier."""
    text = f"JD{rng.randrange(10**13):013d}"
    module_px = rng.uniform(1.6, 2.6)
    source_px = max(1, round(module_px))
    symbol = render_code128(text, module_px=source_px, height=60 * source_px)
    scale = module_px / source_px
    quad = place_quad(
        rng, symbol.shape[1] * scale, symbol.shape[0] * scale, rotation_deg=rng.uniform(-20, 20)
    )
    frame = paste(background(rng), symbol, quad)
    return cv2.GaussianBlur(frame, (0, 0), 0.7), text


CONDITIONS: dict[str, Callable[[random.Random], tuple[np.ndarray, str | None]]] = {
    "clean": clean,
    "small": small,
    "tilted": tilted,
    "blurred": blurred,
    "low_contrast": low_contrast,
    "noisy": noisy,
    "glare": glare,
    "code128_label": label_code128,
    "empty": empty,
}


def generate(condition: str, count: int, seed: int = 2026) -> Iterator[Sample]:
    """`count` frames of one condition; the same seed always gives the same frames."""
    make = CONDITIONS[condition]
    rng = random.Random(f"{seed}:{condition}")
    for _ in range(count):
        image, expected = make(rng)
        yield Sample(condition, image, expected)
