"""Reference data shipped with the product: golongan/ruang (PNS), PPPK grades, BerAKHLAK."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kinerja.domain.org import EmploymentType
from kinerja.extensions import db
from kinerja.models.org import Rank
from kinerja.models.planning import BehaviourValue

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
ROMAN = [
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
]


def rank_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    with (DATA_DIR / "pangkat.csv").open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            rows.append(
                {
                    "code": row["code"],
                    "name": row["pangkat"],
                    "employment_type": EmploymentType.PNS,
                    "order": order,
                }
            )
    for order, numeral in enumerate(ROMAN, start=100):
        rows.append(
            {
                "code": numeral,
                "name": f"Golongan {numeral}",
                "employment_type": EmploymentType.PPPK,
                "order": order,
            }
        )
    return rows


def seed_ranks() -> int:
    """Insert missing ranks and correct changed names; returns how many were added."""
    existing = {rank.code: rank for rank in db.session.scalars(select(Rank))}
    added = 0
    for row in rank_rows():
        rank = existing.get(str(row["code"]))
        if rank is None:
            db.session.add(Rank(**row))
            added += 1
        else:
            rank.name = str(row["name"])
            rank.order = int(row["order"])
    return added


def seed_behaviour_values() -> int:
    """The seven BerAKHLAK values and their guideline indicators; returns how many were added."""
    existing = {value.code: value for value in db.session.scalars(select(BehaviourValue))}
    added = 0
    with (DATA_DIR / "berakhlak.csv").open(encoding="utf-8") as handle:
        for order, row in enumerate(csv.DictReader(handle), start=1):
            values = {
                "name": row["name_id"],
                "name_en": row["name_en"],
                "order": order,
                "indicator_1": row["indicator_1"],
                "indicator_2": row["indicator_2"],
                "indicator_3": row["indicator_3"],
            }
            value = existing.get(row["code"])
            if value is None:
                db.session.add(BehaviourValue(code=row["code"], **values))
                added += 1
            else:
                for key, item in values.items():
                    setattr(value, key, item)
    return added
