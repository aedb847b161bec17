"""Reading the demo's data files under ``data/``: tables are CSV, nested data TOML.

Files are read through ``importlib.resources`` relative to this package, so they are found
however the app is started. A file that does not hold what the demo needs (an unknown enum
value, a missing key, a wrong type) fails at once and names the file.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from typing import Any

DATA = resources.files("kinerja.demo") / "data"


class DataFileError(ValueError):
    """A demo data file that does not hold what the demo needs."""


@contextmanager
def reading(name: str) -> Iterator[None]:
    """Report a slip in a data file with the file's name, whatever the loader tripped on."""
    try:
        yield
    except (KeyError, TypeError, ValueError) as exc:
        raise DataFileError(f"{name}: {exc!r}") from exc


def read_csv(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((DATA / name).read_text(encoding="utf-8"))))


def read_toml(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def as_decimal(value: object) -> Decimal:
    """TOML numbers as exact decimals (through their text, never through float arithmetic)."""
    if not isinstance(value, int | float | str) or isinstance(value, bool):
        raise TypeError(f"not a number: {value!r}")
    return Decimal(str(value))


def as_strings(value: object) -> tuple[str, ...]:
    """A TOML list of strings; a lone string would otherwise pass as a list of letters."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TypeError(f"not a list of strings: {value!r}")
    return tuple(value)


def as_optional_string(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError(f"not a string: {value!r}")
    return value
