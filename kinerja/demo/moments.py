"""Moments of the demo's past: a working hour of a given day (08:00–16:59 WIB, in UTC), or
some days after another moment, never later than now."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from kinerja.models.base import utcnow

WIB = timedelta(hours=7)


class Moments:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.now = utcnow()

    def on(self, day: date) -> datetime:
        """A working hour of ``day`` (Jakarta time), as a UTC moment."""
        local = datetime.combine(day, time(8)) + timedelta(minutes=self.rng.randint(0, 539))
        return min((local - WIB).replace(tzinfo=UTC), self.now)

    def after(self, moment: datetime, least: int, most: int) -> datetime:
        """A working hour ``least`` to ``most`` days after ``moment``."""
        day = (moment + WIB).date() + timedelta(days=self.rng.randint(least, most))
        return max(self.on(day), moment)
