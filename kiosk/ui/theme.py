"""Colours, sizes and the style sheet of the kiosk.

Sizes follow the window, not a fixed DPI: the kiosk runs on 7" 800x480 panels as well as
15" 1080p ones. Type and touch targets shrink more slowly than the screen, so a 480-line
panel still gets >= 60 px targets and readable type (ux.md).
"""

from __future__ import annotations

from dataclasses import dataclass

# Colours. Every text/background pair below is checked >= 7:1 in tests/ui/test_theme.py.
INK = "#111111"
PAPER = "#FFFFFF"
PAPER_ALT = "#EEF1F5"
PRIMARY = "#0B3D91"
PRIMARY_PRESSED = "#062457"
SECONDARY_PRESSED = "#C9D8F2"
BORDER = "#111111"
SUCCESS = "#0B5A1E"
ERROR = "#9E0000"
WARNING_BG = "#FFD54F"
MUTED = "#3D3D3D"
HIGHLIGHT = "#0B3D91"

# (foreground, background) pairs used for text; the theme test checks each one.
TEXT_PAIRS: dict[str, tuple[str, str]] = {
    "body": (INK, PAPER),
    "body_alt": (INK, PAPER_ALT),
    "muted": (MUTED, PAPER),
    "disabled_button": (MUTED, PAPER_ALT),
    "primary_button": (PAPER, PRIMARY),
    "primary_button_pressed": (PAPER, PRIMARY_PRESSED),
    "secondary_button": (INK, PAPER),
    "secondary_button_pressed": (INK, SECONDARY_PRESSED),
    "success": (SUCCESS, PAPER),
    "error": (ERROR, PAPER),
    "badge": (INK, WARNING_BG),
    "map_highlight": (PAPER, HIGHLIGHT),
    "map_cell": (INK, PAPER_ALT),
}

# Latin and Cyrillic from DejaVu Sans; Chinese glyphs fall through to Noto Sans CJK SC
# (simplified forms). One list for every language, so switching language never has to
# re-apply the style sheet (re-polishing every widget costs ~90 ms).
FONT_FAMILIES: tuple[str, ...] = ("DejaVu Sans", "Noto Sans CJK SC", "Noto Sans")


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #RRGGBB colour."""
    text = colour.lstrip("#")
    r, g, b = (int(text[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio, 1.0 .. 21.0."""
    a, b = relative_luminance(foreground), relative_luminance(background)
    hi, lo = max(a, b), min(a, b)
    return (hi + 0.05) / (lo + 0.05)


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one window size."""

    width: int
    height: int
    scale: float  # 1.0 at a 1080-pixel short side
    text_scale: float = 1.0  # the large-text toggle grows type only, not the layout

    @classmethod
    def for_size(cls, width: int, height: int, large_text: bool = False) -> Metrics:
        short = max(1, min(width, height))
        # Half proportional, half fixed: 0.72 at 480 lines, 0.87 at 800, 1.0 at 1080.
        scale = 0.5 + 0.5 * min(short, 1440) / 1080
        # A 480-line panel has little height to spare: larger text grows less there.
        boost = (1.15 if short >= 700 else 1.08) if large_text else 1.0
        return cls(width=width, height=height, scale=scale, text_scale=boost)

    @property
    def portrait(self) -> bool:
        return self.height > self.width

    def px(self, at_1080: float) -> int:
        return max(1, round(at_1080 * self.scale))

    def text_px(self, at_1080: float) -> int:
        return max(1, round(at_1080 * self.scale * self.text_scale))

    @property
    def body(self) -> int:
        return self.text_px(26)

    @property
    def small(self) -> int:
        return self.text_px(21)

    @property
    def heading(self) -> int:
        return self.text_px(44)

    @property
    def huge(self) -> int:
        """The door label on the door-open screen."""
        return self.px(150)

    @property
    def target(self) -> int:
        """Minimum height of a touch target: 60 px at 480 lines, ~90 px at 1080."""
        return max(60, self.px(92))

    @property
    def key(self) -> int:
        """Keypad keys are bigger than ordinary targets."""
        return max(64, self.px(104))

    @property
    def gap(self) -> int:
        """Space between separate touch targets (about 8 mm on a 15" 1080p panel)."""
        return max(20, self.px(44))

    @property
    def key_gap(self) -> int:
        return max(8, self.px(16))

    @property
    def margin(self) -> int:
        return max(12, self.px(40))

    @property
    def radius(self) -> int:
        return self.px(14)


def style_sheet(m: Metrics) -> str:
    """The application style sheet for window metrics `m`."""
    family = ", ".join(f'"{f}"' for f in FONT_FAMILIES)
    border = max(2, m.px(3))
    return f"""
QWidget {{
    font-family: {family};
    font-size: {m.body}px;
    color: {INK};
}}
MainWindow, QStackedWidget, Screen {{ background: {PAPER}; }}
QLabel {{ background: transparent; }}
QLabel[role="title"] {{ font-size: {m.heading}px; font-weight: bold; }}
QLabel[role="body"] {{ font-size: {m.body}px; }}
QLabel[role="small"] {{ font-size: {m.small}px; color: {MUTED}; }}
QLabel[role="door"] {{ font-size: {m.huge}px; font-weight: bold; }}
QLabel[role="code"] {{
    font-family: "DejaVu Sans Mono", {family};
    font-size: {m.px(64)}px; font-weight: bold;
    background: {PAPER_ALT}; border: {border}px solid {BORDER};
    border-radius: {m.radius}px; padding: {m.px(8)}px {m.px(16)}px;
}}
QLabel[tone="success"] {{ color: {SUCCESS}; }}
QLabel[tone="error"] {{ color: {ERROR}; }}
TouchButton {{
    background: {PAPER}; border: {border}px solid {BORDER}; border-radius: {m.radius}px;
}}
TouchButton:pressed {{ background: {SECONDARY_PRESSED}; border-width: {border * 2}px; }}
TouchButton QLabel {{ font-size: {m.body}px; font-weight: bold; color: {INK}; }}
TouchButton[variant="primary"] {{ background: {PRIMARY}; border-color: {PRIMARY}; }}
TouchButton[variant="primary"]:pressed {{
    background: {PRIMARY_PRESSED}; border-color: {INK};
}}
TouchButton[variant="primary"] QLabel {{ color: {PAPER}; }}
TouchButton:focus {{ border: {border * 2}px solid {INK}; }}
TouchButton:disabled {{ background: {PAPER_ALT}; border-color: {MUTED}; border-style: dashed; }}
TouchButton QLabel:disabled {{ color: {MUTED}; }}
TouchButton[variant="key"] {{ background: {PAPER_ALT}; }}
TouchButton[variant="key"]:pressed {{ background: {SECONDARY_PRESSED}; }}
TouchButton[variant="key"] QLabel {{ font-size: {m.px(52)}px; }}
TouchButton[variant="quiet"] {{ border-width: {max(1, border // 2)}px; }}
TouchButton[variant="quiet"] QLabel {{ font-size: {m.small}px; font-weight: normal; }}
TouchButton[current="true"] {{ background: {PRIMARY}; border-color: {PRIMARY}; }}
TouchButton[current="true"] QLabel {{ color: {PAPER}; }}
TouchButton[current="true"]:pressed {{
    background: {PRIMARY_PRESSED}; border-color: {INK}; border-width: {border * 2}px;
}}
OfflineBadge {{
    background: {WARNING_BG}; border: {max(1, border // 2)}px solid {INK};
    border-radius: {m.radius}px;
}}
OfflineBadge QLabel {{ font-size: {m.small}px; color: {INK}; }}
QTableWidget {{
    font-size: {m.small}px; background: {PAPER}; color: {INK};
    gridline-color: {MUTED}; border: {max(1, border // 2)}px solid {INK};
}}
QHeaderView::section {{
    background: {PAPER_ALT}; color: {INK}; font-weight: bold; font-size: {m.small}px;
    padding: {m.px(6)}px; border: 1px solid {MUTED};
}}
Countdown {{
    background: {PAPER_ALT}; border: {border}px solid {INK}; border-radius: {m.radius}px;
}}
Countdown QLabel {{ font-size: {m.body}px; }}
"""
