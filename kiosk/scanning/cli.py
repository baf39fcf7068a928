"""`expresspoint scan ...`: camera and scanner checks for a technician at the kiosk.

    expresspoint scan decoders                     which decoders work on this box
    expresspoint scan test --source 0 --seconds 20 live decode with stats every second
    expresspoint scan test --scanner serial:/dev/ttyACM0 --until-scan
    expresspoint scan card "XP1:L1:12345678" -o card.png   print a QR test card

Also runnable without the rest of the kiosk as `python -m kiosk.scanning ...`.
"""

from __future__ import annotations

import argparse
import logging
import queue
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.scanning.errors import ScanningError
from kiosk.scanning.model import DECODER_NAMES, KIOSK_SYMBOLOGIES, ScanResult, Symbology

if TYPE_CHECKING:
    from kiosk.scanning.pipeline import ScanPipeline

# OpenCV, numpy and the decoders load in the commands that use them: every
# `expresspoint` start, the sync worker's too, builds this parser.

log = logging.getLogger(__name__)


def masked(text: str) -> str:
    """Enough of a code to recognise a test card, never a whole pickup code."""
    return text if len(text) <= 4 else f"{text[:4]}{'*' * min(len(text) - 4, 12)}"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("scan", help="camera and barcode scanner checks")
    sub = parser.add_subparsers(dest="scan_command", metavar="SCAN_COMMAND", required=True)

    decoders = sub.add_parser("decoders", help="list decoders and whether they work here")
    decoders.set_defaults(func=cmd_decoders)

    test = sub.add_parser("test", help="decode live from a camera/file and/or a scanner")
    test.add_argument("--source", help="camera index, /dev/videoN, or an image/video file")
    test.add_argument("--scanner", help='"serial:<port or URL>" or "hid:/dev/input/..."')
    test.add_argument("--decoder", default="auto", choices=DECODER_NAMES)
    test.add_argument(
        "--symbologies",
        default="all",
        help=f"comma list of {', '.join(s.value for s in sorted(KIOSK_SYMBOLOGIES))} or all",
    )
    test.add_argument("--seconds", type=float, default=15.0, help="how long to run")
    test.add_argument("--until-scan", action="store_true", help="stop at the first code")
    test.add_argument("--show-text", action="store_true", help="print codes unmasked")
    test.set_defaults(func=cmd_test)

    card = sub.add_parser("card", help="write a 640x480 QR test card image")
    card.add_argument("text")
    card.add_argument("-o", "--output", type=Path, required=True)
    card.add_argument("--module-px", type=int, default=6)
    card.set_defaults(func=cmd_card)


def cmd_decoders(args: argparse.Namespace) -> int:
    from kiosk.scanning.decoders import available_decoders, make_decoder

    report = available_decoders()
    for name, status in report.items():
        print(f"{name:14} {status}")
    print(f"auto           -> {make_decoder('auto').name}")
    return 0 if any(v == "ok" for v in report.values()) else 1


def _symbologies(spec: str) -> frozenset[Symbology]:
    if spec == "all":
        return KIOSK_SYMBOLOGIES
    try:
        return frozenset(Symbology(s.strip()) for s in spec.split(","))
    except ValueError as exc:
        raise SystemExit(f"--symbologies: {exc}") from exc


def cmd_test(args: argparse.Namespace) -> int:
    if not args.source and not args.scanner:
        print("give --source (camera or file) and/or --scanner", file=sys.stderr)
        return 2
    from kiosk.scanning.decoders import make_decoder
    from kiosk.scanning.factory import frame_source_from_spec, scanner_from_spec
    from kiosk.scanning.pipeline import ScanPipeline

    results: queue.Queue[ScanResult] = queue.Queue()
    pipeline = scanner = None
    try:
        if args.source:
            decoder = make_decoder(args.decoder, _symbologies(args.symbologies))
            pipeline = ScanPipeline(frame_source_from_spec(args.source), results.put, decoder)
            pipeline.start()
        if args.scanner:
            scanner = scanner_from_spec(args.scanner, results.put)
            scanner.start()
    except ScanningError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    seen = 0
    deadline = time.monotonic() + args.seconds
    next_report = time.monotonic() + 1.0
    try:
        while time.monotonic() < deadline:
            try:
                result = results.get(timeout=0.1)
            except queue.Empty:
                pass
            else:
                seen += 1
                text = result.text if args.show_text else masked(result.text)
                print(
                    f"SCAN {result.symbology:10} {text!r} from {result.source}"
                    f" ({len(result.text)} chars, decode {result.decode_ms:.1f} ms)"
                )
                if args.until_scan:
                    break
            if time.monotonic() >= next_report:
                next_report += 1.0
                _report(pipeline, scanner)
    except KeyboardInterrupt:
        pass
    finally:
        if pipeline is not None:
            pipeline.stop()
        if scanner is not None:
            scanner.stop()
    print(f"{seen} code(s) read")
    return 0 if seen or not args.until_scan else 1


def _report(pipeline: ScanPipeline | None, scanner: Any) -> None:
    if pipeline is not None:
        s = pipeline.stats()
        print(
            f"camera {s.source_state.status} {s.source_state.detail} | {s.decoder}: "
            f"{s.decode_fps:4.1f} frames/s, {s.mean_decode_ms:5.1f} ms mean, "
            f"{s.max_decode_ms:5.1f} ms max, {s.frames_with_symbol}/{s.frames_decoded} "
            f"frames with a code, {s.decode_errors} errors {s.last_error}"
        )
    if scanner is not None:
        print(f"scanner {scanner.state.status} {scanner.state.detail}")


def cmd_card(args: argparse.Namespace) -> int:
    # Imported here: qrcode (and Pillow behind it) and OpenCV are for this command only.
    import cv2

    from kiosk.scanning.synth import on_canvas, render_qr

    image = on_canvas(render_qr(args.text, module_px=args.module_px), background=255)
    if not cv2.imwrite(str(args.output), image):
        print(f"error: cannot write {args.output} (use .png or .jpg)", file=sys.stderr)
        return 2
    print(f"wrote {args.output}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.scanning")
    subparsers = parser.add_subparsers(dest="command", required=True)
    register(subparsers)
    args = parser.parse_args(["scan", *(argv if argv is not None else sys.argv[1:])])
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return int(args.func(args))
