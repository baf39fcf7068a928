"""The kiosk config is validated at the edge: every mistake names the file and key."""

from pathlib import Path

import pytest

from kiosk.config import load_config
from sync.settings import ConfigError

pytestmark = pytest.mark.unit

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "example.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def example_with(tmp_path: Path, old: str, new: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path, text.replace(old, new, 1))


def test_shipped_example_is_valid_and_expands_the_layout():
    config = load_config(EXAMPLE)
    specs = config.compartments()
    assert [s.id for s in specs[:3]] == ["A01", "A02", "A03"]
    assert len(specs) == 12
    b01 = next(s for s in specs if s.id == "B01")
    assert (b01.board, b01.lock, b01.size, b01.column, b01.row) == (0, 7, "S", 1, 1)
    assert next(s for s in specs if s.id == "A06").accessible
    assert config.board.protocol == "cu16"


def test_typo_in_a_key_suggests_the_right_one(tmp_path):
    path = example_with(tmp_path, 'protocol = "cu16"', 'protocl = "cu16"')
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert str(err.value).startswith(f"{path}: board.protocl: unknown key")
    assert "did you mean 'protocol'" in str(err.value)


def test_wrong_type_names_the_key_and_the_expected_type(tmp_path):
    path = example_with(tmp_path, "reply_s = 1.5", 'reply_s = "fast"')
    with pytest.raises(
        ConfigError, match=r"board\.timeouts\.reply_s: expected a number, got 'fast'"
    ):
        load_config(path)


def test_unknown_protocol_lists_the_choices(tmp_path):
    path = example_with(tmp_path, 'protocol = "cu16"', 'protocol = "cu17"')
    with pytest.raises(ConfigError, match=r"board\.protocol: expected one of 'cu16', '8a', 'cu48'"):
        load_config(path)


def test_two_compartments_on_one_lock_are_refused(tmp_path):
    path = example_with(tmp_path, "first_lock = 7", "first_lock = 3")
    with pytest.raises(ConfigError, match="both use board 0 lock 3"):
        load_config(path)


def test_missing_required_section(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    start = text.index("[board]")
    end = text.index("# Columns")
    path = write(tmp_path, text[:start] + text[end:])
    with pytest.raises(ConfigError, match="board: required key is missing"):
        load_config(path)


def test_broken_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(write(tmp_path, "[locker\nid = 1"))
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "nope.toml")


def test_token_file_errors_never_show_the_token(tmp_path):
    token = tmp_path / "token"
    path = example_with(
        tmp_path, 'token_file = "/etc/expresspoint/device-token"', f'token_file = "{token}"'
    )
    config = load_config(path)
    with pytest.raises(ConfigError, match="does not exist"):
        config.central.read_token(path)
    token.write_text("s3cr3t-token\n")
    assert config.central.read_token(path) == "s3cr3t-token"


def test_relative_paths_are_relative_to_the_config_file(tmp_path):
    path = example_with(
        tmp_path, 'path = "/var/lib/expresspoint/cache.db"', 'path = "var/cache.db"'
    )
    assert load_config(path).database.path == tmp_path / "var" / "cache.db"


def test_board_addresses_are_checked_against_the_protocol(tmp_path):
    path = example_with(tmp_path, "board = 0", "board = 12")
    with pytest.raises(ConfigError, match=r"board: .*board 12 is outside cu16 addresses"):
        load_config(path)


def test_bank_config_carries_the_wiring_of_every_door():
    bank = load_config(EXAMPLE).bank_config()
    assert bank.protocol == "cu16"
    assert bank.compartments["B02"].board == 0
    assert bank.compartments["B02"].lock == 8
    assert bank.effective_baudrate == 19200


def test_flow_settings_are_keys_of_their_own_sections(tmp_path):
    config = load_config(EXAMPLE)
    assert config.pickup.free_attempts == 5
    assert config.courier.size_order == ("S", "M", "L", "XL")
    assert config.remote.max_opens_per_hour == 6
    path = example_with(tmp_path, "lockout_base_s = 30", "lockout_bse_s = 30")
    with pytest.raises(ConfigError, match=r"pickup\.lockout_bse_s: unknown key; did you mean"):
        load_config(path)
