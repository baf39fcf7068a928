"""Bank configuration is validated when built, with messages that name the key."""

from __future__ import annotations

import pytest

from locker_driver import BankConfig, ConfigError, LockAddress, Polarity, Timeouts

pytestmark = pytest.mark.unit


def make(**kwargs: object) -> BankConfig:
    base: dict[str, object] = {
        "port_url": "/dev/ttyUSB0",
        "protocol": "cu16",
        "compartments": {"A01": LockAddress(0, 1)},
    }
    base.update(kwargs)
    return BankConfig(**base)  # type: ignore[arg-type]


def test_defaults_follow_the_protocol() -> None:
    assert make().effective_baudrate == 19200
    assert make(protocol="8a", compartments={"A01": LockAddress(1, 1)}).effective_baudrate == 9600
    assert make(baudrate=115200).effective_baudrate == 115200
    assert make(polarity="closed_when_clear").polarity is Polarity.CLOSED_WHEN_CLEAR


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"protocol": "cu12"}, "cu16, 8a, cu48"),
        ({"port_url": ""}, "port_url"),
        ({"compartments": {}}, "compartments is empty"),
        ({"compartments": {"A01": LockAddress(10, 1)}}, "board 10 is outside cu16 addresses 0-9"),
        ({"compartments": {"A01": LockAddress(0, 17)}}, "lock 17 is outside 1-16"),
        (
            {"compartments": {"A01": LockAddress(0, 1), "A02": LockAddress(0, 1)}},
            "A01 and A02 are both wired to board 0 lock 1",
        ),
        ({"polarity": "inverted"}, "polarity 'inverted'"),
        ({"baudrate": 0}, "baudrate"),
        ({"protocol": "8a"}, "board 0 is outside 8a addresses 1-31"),
        ({"poll_mode": "sometimes"}, "poll_mode 'sometimes'"),
        (
            {"protocol": "8a", "compartments": {"A": LockAddress(1, 1)}, "poll_mode": "broadcast"},
            "8a boards have no bus-wide query",
        ),
    ],
)
def test_bad_values_are_named(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        make(**kwargs)


def test_bad_timeouts() -> None:
    with pytest.raises(ConfigError, match="timeouts.reply_s"):
        Timeouts(reply_s=0)
    with pytest.raises(ConfigError, match="timeouts.quiet_gap_s"):
        Timeouts(quiet_gap_s=-1)


def test_a_bank_behind_an_ethernet_bridge() -> None:
    config = make(
        port_url="socket://10.0.0.5:4001",
        protocol="cu48",
        compartments={"A01": LockAddress(0, 1), "A02": LockAddress(1, 48)},
        timeouts=Timeouts(reply_s=0.8),
    )
    assert config.compartments["A02"] == LockAddress(1, 48)
    assert config.timeouts.reply_s == 0.8
    assert config.boards == [0, 1]
    with pytest.raises(TypeError):
        config.compartments["A03"] = LockAddress(0, 2)  # type: ignore[index]


def test_the_gap_between_transactions_is_the_familys_in_character_times() -> None:
    # 10 bits per character at the family's baud rate, unless set in seconds.
    assert make().inter_transaction_s == pytest.approx(3.5 * 10 / 19200)
    eight_a = make(protocol="8a", compartments={"A01": LockAddress(1, 1)})
    assert eight_a.inter_transaction_s == pytest.approx(4.8 * 10 / 9600)  # ~5 ms
    assert make(baudrate=115200).inter_transaction_s == pytest.approx(3.5 * 10 / 115200)
    assert make(timeouts=Timeouts(inter_transaction_s=0.02)).inter_transaction_s == 0.02
    assert make().effective_timeouts.inter_transaction_s == make().inter_transaction_s


def test_the_poll_mode_follows_the_family_unless_set() -> None:
    assert make().effective_poll_mode == "broadcast"
    assert make(poll_mode="per_board").effective_poll_mode == "per_board"
    eight_a = make(protocol="8a", compartments={"A01": LockAddress(1, 1)})
    assert eight_a.effective_poll_mode == "per_board"
