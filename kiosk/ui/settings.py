"""What the UI needs from the kiosk configuration, as one plain value."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    code: str  # Qt locale name: "en", "ru", "zh_CN"
    native_name: str  # shown on the button, in the language itself


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English"),
    Language("ru", "Русский"),
    Language("zh_CN", "中文"),
)


@dataclass(frozen=True)
class UiSettings:
    """Support contact, languages and timings of the kiosk screens.

    The integrator builds this from the kiosk TOML; the defaults suit the demo.
    """

    support_phone: str = "+1 555 0100"
    support_site: str = "expresspoint.example/help"
    locker_name: str = "ExpressPoint"
    languages: tuple[str, ...] = ("en", "ru", "zh_CN")
    default_language: str = "en"
    # Seconds of inactivity before a screen goes back to the attract screen.
    screen_timeout_s: float = 60.0
    # Shorter timeout for screens that only report something (errors, thanks).
    message_timeout_s: float = 30.0
    # The countdown becomes visible in the last seconds before the timeout.
    countdown_s: int = 10
    # A "working" screen appears only when an answer takes longer than this.
    working_delay_ms: int = 300
    # Camera preview refresh period on the scan screen.
    preview_interval_ms: int = 100
    # The side of the screen the camera is mounted on, for the "scan here" arrow.
    camera_side: str = "top"  # top | left | right | bottom
    fullscreen: bool = True
    # Confirmation and error tones (played by aplay when installed).
    sounds: bool = True
    hide_cursor: bool = True
    # Presses in the top-left corner within the gesture window that open diagnostics.
    technician_taps: int = 5
    technician_tap_window_s: float = 3.0
    # Technician ids offered on the diagnostics login (ids need not be digits).
    technician_ids: tuple[str, ...] = ()
    # Where "export logs" writes (a USB stick mount point).
    export_dir: str = "/media/usb"
    extra: dict[str, str] = field(default_factory=dict)

    def language_list(self) -> tuple[Language, ...]:
        wanted = set(self.languages)
        return tuple(lang for lang in LANGUAGES if lang.code in wanted)
