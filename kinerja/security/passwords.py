"""What a password must be: long enough, not a common one, not the username.

OWASP ASVS 4.0 (2.1.1, 2.1.2, 2.1.7, 2.1.9) and NIST SP 800-63B: at least 12 characters,
at most 128, any Unicode characters and spaces, checked against a list of common passwords,
and no composition rules (no "a digit, a capital and a symbol"): a few unrelated words make a
password that is easy to remember and hard to guess.

The list of common passwords is the one zxcvbn ships (the 30,000 most frequent passwords of
Xato's corpus of 10 million leaked passwords), pinned with the package in requirements.txt.
It is compared case-insensitively, so ``QWERTY123456`` counts as ``qwerty123456``.

That corpus is mostly English. Indonesian users' favourites (``bismillah123``,
``indonesia2026!``, ``sayangku12345``) and the words of this workplace (``bkpsdm``,
``pegawai``, ``kinerja``) are caught by their stem: with the digits and symbols at both
ends taken away, a password whose rest is one of the words in
``kinerja/data/common_passwords_id.txt`` is refused, whatever number is appended.
"""

from __future__ import annotations

import re
from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

from kinerja.domain.errors import N_, DomainError

MIN_LENGTH = 12
MAX_LENGTH = 128

COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])
COMMON_STEMS = frozenset(
    line.strip()
    for line in (Path(__file__).parents[1] / "data" / "common_passwords_id.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
)
_ENDS = re.compile(r"^[\W\d_]+|[\W\d_]+$")


def _stem(password: str) -> str:
    """The password in lower case without the digits, symbols and spaces at its ends."""
    return _ENDS.sub("", password.lower())


def password_problem(password: str, *, username: str = "") -> DomainError | None:
    """Why ``password`` may not be used (for the login ``username``), or None if it may."""
    if len(password) < MIN_LENGTH:
        return DomainError(N_("Use at least %(min)d characters."), min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return DomainError(N_("Use at most %(max)d characters."), max=MAX_LENGTH)
    if password.lower() in COMMON_PASSWORDS or _stem(password) in COMMON_STEMS:
        return DomainError(N_("This password is too common: choose one that is harder to guess."))
    if username and password.strip().lower() == username.strip().lower():
        return DomainError(N_("The password must not be the username."))
    return None
