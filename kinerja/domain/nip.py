"""The 18-digit NIP (Nomor Induk Pegawai): validation and decoding.

Layout ``yyyymmdd yyyymm g nnn``: birth date, start of service (TMT CPNS), sex (1 male,
2 female) and a serial. The printed form with spaces is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kinerja.domain.errors import N_, DomainError

__all__ = ["InvalidNip", "Nip", "normalize_nip", "parse_nip"]

MIN_SERVICE_AGE = 15
_SEPARATORS = re.compile(r"[\s.\-]+")


class InvalidNip(DomainError):
    """A NIP that cannot be right; the message says why, for the person typing it."""


@dataclass(frozen=True, slots=True)
class Nip:
    value: str
    birth_date: date
    service_start: date
    sex: str
    serial: int

    def __str__(self) -> str:
        return self.value

    @property
    def printed(self) -> str:
        """The form printed on decrees: ``19681115 199202 1 002``."""
        v = self.value
        return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"


def normalize_nip(text: str) -> str:
    """Strip the spaces, dots and dashes people type between the NIP's groups."""
    return _SEPARATORS.sub("", text or "")


def parse_nip(text: str) -> Nip:
    """Validate and decode a NIP; raise :class:`InvalidNip` with a human message."""
    value = normalize_nip(text)
    if not value:
        raise InvalidNip(N_("NIP is empty."))
    if not value.isascii() or not value.isdigit():
        raise InvalidNip(N_("NIP may contain digits only."))
    if len(value) != 18:
        raise InvalidNip(N_("NIP must have 18 digits, not %(count)d."), count=len(value))
    try:
        birth = date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise InvalidNip(N_("The birth date in the NIP (digits 1–8) is not a real date.")) from None
    year, month = int(value[8:12]), int(value[12:14])
    if not 1 <= month <= 12 or year < 1:
        raise InvalidNip(N_("The service start in the NIP (digits 9–14) is not a real month."))
    service_start = date(year, month, 1)
    sex_digit = value[14]
    if sex_digit not in "12":
        raise InvalidNip(N_("The sex digit of the NIP (digit 15) must be 1 or 2."))
    serial = int(value[15:18])
    if serial == 0:
        raise InvalidNip(N_("The serial number of the NIP (digits 16–18) cannot be 000."))
    if service_start < _add_years(birth, MIN_SERVICE_AGE).replace(day=1):
        raise InvalidNip(N_("The service start in the NIP is before the 15th birthday."))
    return Nip(
        value=value,
        birth_date=birth,
        service_start=service_start,
        sex="M" if sex_digit == "1" else "F",
        serial=serial,
    )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
