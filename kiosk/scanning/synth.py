"""Clean renderings of codes as grey numpy images: for the demo, the camera test card on
the technician screen, tests and the decode benchmark.

QR codes come from the `qrcode` package; Code 128 is encoded here (code sets B and C),
independently of every decoder, so a decoder test cannot pass by sharing a bug with the
writer. Other symbologies use zxing-cpp's writer.
"""

from __future__ import annotations

import numpy as np
import qrcode
from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

from kiosk.scanning.model import Symbology

WHITE = 255
BLACK = 0

_EC_LEVELS = {
    "L": ERROR_CORRECT_L,
    "M": ERROR_CORRECT_M,
    "Q": ERROR_CORRECT_Q,
    "H": ERROR_CORRECT_H,
}


def qr_modules(text: str, ec: str = "M") -> np.ndarray:
    """The QR symbol as a bool matrix (True = dark), without quiet zone."""
    qr = qrcode.QRCode(error_correction=_EC_LEVELS[ec], border=0)
    qr.add_data(text.encode("utf-8"))
    qr.make(fit=True)
    return np.array(qr.get_matrix(), dtype=bool)


def render_qr(text: str, module_px: int = 8, quiet: int = 4, ec: str = "M") -> np.ndarray:
    """A grey uint8 image of a QR code: `module_px` pixels per module, `quiet` modules of
    white border (the standard asks for 4)."""
    modules = qr_modules(text, ec)
    img = np.where(modules, BLACK, WHITE).astype(np.uint8)
    img = np.pad(img, quiet, constant_values=WHITE)
    return np.kron(img, np.ones((module_px, module_px), dtype=np.uint8))


# --- Code 128 --------------------------------------------------------------------------

# Bar/space widths of the 107 Code 128 symbols (value 0..105, then STOP), ISO/IEC 15417.
_CODE128_TABLE = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 "
    "221312 231212 112232 122132 122231 113222 123122 123221 223211 221132 "
    "221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 "
    "212123 212321 232121 111323 131123 131321 112313 132113 132311 211313 "
    "231113 231311 112133 112331 132131 113123 113321 133121 313121 211331 "
    "231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 "
    "112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 "
    "111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 "
    "214121 412121 111143 111341 131141 114113 114311 411113 411311 113141 "
    "114131 311141 411131 211412 211214 211232 2331112"
)
_CODE128_WIDTHS = _CODE128_TABLE.split()
_START_B, _START_C, _CODE_B, _CODE_C, _STOP = 104, 105, 100, 99, 106


def code128_values(text: str) -> list[int]:
    """Symbol values (start, data, checksum, stop) for printable ASCII `text`.

    Runs of 4+ digits (or an all-digit text of even length) use code set C, two digits
    per symbol, as label printers do; everything else uses code set B.
    """
    if not text or any(not (32 <= ord(ch) <= 126) for ch in text):
        raise ValueError("Code 128 text must be non-empty printable ASCII")
    values: list[int] = []
    i, n = 0, len(text)
    mode = ""
    while i < n:
        run = 0
        while i + run < n and text[i + run].isdigit():
            run += 1
        use_c = run >= 4 or (run == n and run % 2 == 0)
        if use_c:
            if run % 2:
                # Odd run: one digit in set B first keeps the pairs aligned.
                if mode != "B":
                    values.append(_START_B if not values else _CODE_B)
                    mode = "B"
                values.append(ord(text[i]) - 32)
                i += 1
                run -= 1
            if mode != "C":
                values.append(_START_C if not values else _CODE_C)
                mode = "C"
            for k in range(i, i + run, 2):
                values.append(int(text[k : k + 2]))
            i += run
        else:
            if mode != "B":
                values.append(_START_B if not values else _CODE_B)
                mode = "B"
            values.append(ord(text[i]) - 32)
            i += 1
    checksum = (values[0] + sum(pos * v for pos, v in enumerate(values[1:], start=1))) % 103
    return [*values, checksum, _STOP]


def render_code128(text: str, module_px: int = 3, height: int = 120, quiet: int = 10) -> np.ndarray:
    """A grey uint8 image of a Code 128 barcode, `quiet` modules of white each side."""
    row: list[int] = [WHITE] * quiet
    for value in code128_values(text):
        dark = True
        for width in _CODE128_WIDTHS[value]:
            row.extend([BLACK if dark else WHITE] * int(width))
            dark = not dark
    row.extend([WHITE] * quiet)
    line = np.repeat(np.array(row, dtype=np.uint8), module_px)
    img = np.tile(line, (height, 1))
    return np.pad(img, ((module_px * quiet // 2,) * 2, (0, 0)), constant_values=WHITE)


# --- others, through zxing-cpp's writer ------------------------------------------------

_ZXING_WRITER_NAMES = {
    Symbology.DATA_MATRIX: "DataMatrix",
    Symbology.EAN_13: "EAN13",
    Symbology.EAN_8: "EAN8",
    Symbology.CODE_39: "Code39",
    Symbology.UPC_A: "UPCA",
}


def render(symbology: Symbology, text: str, module_px: int = 3) -> np.ndarray:
    """Any supported symbology as a grey uint8 image with its quiet zone."""
    if symbology is Symbology.QR:
        return render_qr(text, module_px=module_px)
    if symbology is Symbology.CODE_128:
        return render_code128(text, module_px=module_px)
    if symbology not in _ZXING_WRITER_NAMES:
        raise ValueError(f"cannot render {symbology}")
    import zxingcpp

    barcode = zxingcpp.create_barcode(
        text, getattr(zxingcpp.BarcodeFormat, _ZXING_WRITER_NAMES[symbology])
    )
    img = np.array(zxingcpp.write_barcode_to_image(barcode, scale=module_px), dtype=np.uint8)
    pad = 10 * module_px  # zxing's quiet zone is the legal minimum; phones like more
    return np.pad(img, pad, constant_values=WHITE)


def on_canvas(
    symbol: np.ndarray,
    size: tuple[int, int] = (640, 480),
    at: tuple[int, int] | None = None,
    background: int = 200,
) -> np.ndarray:
    """`symbol` pasted on a (width, height) grey canvas, centred unless `at` (x, y) is
    given; clipped if it does not fit."""
    width, height = size
    canvas = np.full((height, width), background, dtype=np.uint8)
    sh, sw = symbol.shape[:2]
    x, y = at if at is not None else ((width - sw) // 2, (height - sh) // 2)
    x0, y0 = max(x, 0), max(y, 0)
    x1, y1 = min(x + sw, width), min(y + sh, height)
    if x1 > x0 and y1 > y0:
        canvas[y0:y1, x0:x1] = symbol[y0 - y : y1 - y, x0 - x : x1 - x]
    return canvas
