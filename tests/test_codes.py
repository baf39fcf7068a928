import hashlib

import pytest

from contract.codes import (
    KdfParams,
    MalformedCode,
    hash_code,
    normalize_code,
    parse_scan,
    qr_payload,
    verify_secret,
)

pytestmark = pytest.mark.unit

FAST = KdfParams(n=1024, r=8, p=1, dklen=32)
SALT = "00112233445566778899aabbccddeeff"


def test_hash_matches_the_api_definition():
    expected = hashlib.scrypt(
        b"12345678", salt=bytes.fromhex(SALT), n=1024, r=8, p=1, dklen=32
    ).hex()
    assert hash_code("1234 5678", SALT, FAST) == expected


def test_typed_spaces_and_dashes_are_ignored():
    assert normalize_code(" 1234-5678 ") == "12345678"


@pytest.mark.parametrize("raw", ["", "   ", "1234567", "123456789", "abcdefgh", "１２３４５６７８"])
def test_malformed_codes_are_refused_with_a_reason(raw):
    with pytest.raises(MalformedCode) as err:
        normalize_code(raw)
    assert str(err.value)


def test_qr_payload_round_trip_names_the_locker():
    scanned = parse_scan(qr_payload("LCK-001", "87654321"))
    assert scanned.locker_id == "LCK-001"
    assert scanned.code == "87654321"
    assert "87654321" not in repr(scanned)


def test_bare_code_is_accepted_from_a_scan():
    assert parse_scan("87654321").locker_id is None


@pytest.mark.parametrize("text", ["XP1::12345678", "XP1:a:b:c", "XP1:bad id:12345678", "XP1:L1:12"])
def test_bad_qr_payloads_are_refused(text):
    with pytest.raises(MalformedCode):
        parse_scan(text)


def test_verify_secret_is_exact():
    h = hash_code("11112222", SALT, FAST)
    assert verify_secret("11112222", h, SALT, FAST)
    assert not verify_secret("11112223", h, SALT, FAST)


def test_unsupported_kdf_is_rejected():
    with pytest.raises(ValueError):
        KdfParams(name="md5")


def test_pin_record_verifies_only_the_right_pin():
    from contract.codes import make_pin_record, verify_pin_record

    record = make_pin_record("482913", FAST)
    assert record.startswith("scrypt$1024$8$1$")
    assert "482913" not in record
    assert verify_pin_record("482913", record)
    assert not verify_pin_record("482914", record)
    assert not verify_pin_record("482913", "scrypt$broken")
    with pytest.raises(MalformedCode):
        make_pin_record("12", FAST)
