"""NIP cases from domain.md: layout, printed form, and every reason to reject."""

from __future__ import annotations

from datetime import date

import pytest

from kinerja.domain.nip import InvalidNip, parse_nip


def test_parse_nip_decodes_the_printed_form_with_spaces() -> None:
    nip = parse_nip("19681115 199202 1 002")
    assert nip.value == "196811151992021002"
    assert nip.birth_date == date(1968, 11, 15)
    assert nip.service_start == date(1992, 2, 1)
    assert nip.sex == "M"
    assert nip.serial == 2
    assert nip.printed == "19681115 199202 1 002"


def test_parse_nip_reads_a_female_employee() -> None:
    assert parse_nip("199001012015032001").sex == "F"


def test_parse_nip_accepts_leap_day_births() -> None:
    assert parse_nip("200002292019011001").birth_date == date(2000, 2, 29)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("19681115199202100", "18 digits"),
        ("1968111519920210021", "18 digits"),
        ("19681115A99202 1 002", "digits only"),
        ("١٩٦٨١١١٥١٩٩٢٠٢١٠٠٢", "digits only"),  # Arabic-Indic digits are not a NIP
        ("196813151992021002", "birth date"),  # month 13
        ("196802301992021002", "birth date"),  # 30 February
        ("198911291992001002", "real month"),  # service month 00
        ("198911291992131002", "real month"),  # service month 13
        ("196811151992023002", "sex digit"),
        ("196811151992020002", "sex digit"),
        ("196811151992021000", "000"),
        ("199001012004061001", "15th birthday"),  # started at 14
    ],
)
def test_parse_nip_rejects(text: str, fragment: str) -> None:
    with pytest.raises(InvalidNip) as caught:
        parse_nip(text)
    assert fragment in str(caught.value)


def test_parse_nip_accepts_service_from_the_month_of_the_15th_birthday() -> None:
    assert parse_nip("199006202005061001").service_start == date(2005, 6, 1)


def test_invalid_nip_message_is_translatable() -> None:
    with pytest.raises(InvalidNip) as caught:
        parse_nip("123")
    assert caught.value.template == "NIP must have 18 digits, not %(count)d."
    assert caught.value.params == {"count": 3}
