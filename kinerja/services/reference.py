"""Reference data shipped with the product: golongan/ruang (PNS), PPPK grades, BerAKHLAK,
the managerial and socio-cultural competencies (PermenPANRB 38/2017)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kinerja.domain.competency import CompetencyGroup
from kinerja.domain.org import EmploymentType
from kinerja.extensions import db
from kinerja.models.competency import Competency, CompetencyLevel
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


# What each level of a seeded competency means until the instance words its own (the
# regulation's descriptions differ per competency; the Admin edits them per competency).
LEVEL_DESCRIPTIONS = {
    1: "Memahami konsep dan menerapkannya pada tugas sendiri dengan arahan.",
    2: "Menerapkan secara mandiri pada tugas sendiri dan membantu rekan kerja.",
    3: "Menerapkan di tingkat unit kerja dan membimbing orang lain.",
    4: "Mengembangkan penerapannya di tingkat instansi.",
    5: "Menjadi rujukan dan menetapkan arah penerapannya lintas instansi.",
}


def seed_competencies() -> int:
    """The eight managerial competencies and the socio-cultural one, each with levels 1–5;
    names corrected, levels worded by the instance kept. Returns how many were added."""
    existing = {row.code: row for row in db.session.scalars(select(Competency))}
    added = 0
    with (DATA_DIR / "competencies.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            competency = existing.get(row["code"])
            if competency is None:
                competency = Competency(code=row["code"], active=True)
                competency.levels = [
                    CompetencyLevel(level=level, description=text)
                    for level, text in LEVEL_DESCRIPTIONS.items()
                ]
                db.session.add(competency)
                added += 1
            competency.category = CompetencyGroup(row["group"])
            competency.name = row["name_id"]
            competency.name_en = row["name_en"]
    return added
