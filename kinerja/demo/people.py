"""The demo's employees: every head position filled, the rest spread over the staff positions.

Seeded, so a given count always yields the same people with the same valid NIPs; a run adds
only the employees beyond those already there.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy import insert, select

from kinerja.demo.org import PositionSlot, chunks, position_slots
from kinerja.demo.org_data import Names, Ranks, UnitSpec, names, ranks
from kinerja.domain.nip import parse_nip
from kinerja.domain.org import EmploymentType, PositionKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Rank

SEED = 20260101
EMAIL_DOMAIN = "sibolgakota.go.id"
# One staff member in this many has no position, so Data quality has something to show.
WITHOUT_POSITION_EVERY, WITHOUT_POSITION_AT = 97, 50


def ensure_employees(
    specs: list[UnitSpec], unit_ids: dict[str, int], position_ids: dict[str, int], total: int
) -> None:
    """Fill every head position, then spread the rest over the staff positions, until there
    are ``total`` employees; NIPs stay unique (a clash takes the next serial)."""
    rng = random.Random(SEED)  # noqa: S311 - demo names, not secrets
    nips = set(db.session.scalars(select(Employee.nip)))
    existing = len(nips)
    if existing >= total:
        return
    rank_ids = dict(db.session.execute(select(Rank.code, Rank.id)).tuples().all())
    heads: list[tuple[str, PositionSlot]] = []
    staff: list[tuple[str, PositionSlot]] = []
    for spec in specs:
        for slot in position_slots(spec):
            if slot.is_head and spec.head_vacant:
                continue
            (heads if slot.is_head else staff).append((spec.code, slot))
    slots = heads + [staff[i % len(staff)] for i in range(max(0, total - len(heads)))]
    now = utcnow()
    rows = []
    for index, (unit_code, slot) in enumerate(slots[:total]):
        person = _person(rng, index, slot, names(), ranks())
        if index < existing:
            continue  # an earlier run (or an import) made as many already
        while person["nip"] in nips:  # the same birth date, start and serial: next serial
            nip = str(person["nip"])
            person["nip"] = f"{nip[:15]}{int(nip[15:]) % 999 + 1:03d}"
        rank_id = rank_ids.get(str(person.pop("rank_code")))
        without_position = (
            index >= len(heads) and index % WITHOUT_POSITION_EVERY == WITHOUT_POSITION_AT
        )
        rows.append(
            {
                **person,
                "rank_id": rank_id,
                "unit_id": unit_ids[unit_code],
                "position_id": None if without_position else position_ids[slot.code],
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        )
        nips.add(str(person["nip"]))
    for chunk in chunks(rows):
        db.session.execute(insert(Employee), chunk)


def _person(
    rng: random.Random, index: int, slot: PositionSlot, names: Names, ranks: Ranks
) -> dict[str, Any]:
    """One person; drawn even for the employees a run skips, so the sequence never shifts."""
    female = rng.random() < 0.5
    first = rng.choice(names.first_female if female else names.first_male)
    name = f"{first} {rng.choice(names.last)}"
    front = names.front_titles.get(slot.name)
    back = (
        rng.choice(names.back_titles)
        if slot.kind != PositionKind.EXECUTIVE or rng.random() < 0.4
        else ""
    )
    full_name = " ".join(part for part in (front, name) if part) + (f", {back}" if back else "")
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
    start_year = min(birth.year + rng.randint(21, 30), 2025)
    pppk = slot.kind == PositionKind.FUNCTIONAL and rng.random() < 0.15
    nip = (
        f"{birth:%Y%m%d}{start_year:04d}{rng.randint(1, 12):02d}{2 if female else 1}"
        f"{index % 999 + 1:03d}"
    )
    parse_nip(nip)  # the demo must only ever hold valid NIPs
    return {
        "nip": nip,
        "name": full_name,
        "email": f"{first.lower()}.{nip[-6:]}@{EMAIL_DOMAIN}",
        "phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
        "employment_type": EmploymentType.PPPK if pppk else EmploymentType.PNS,
        "rank_code": ranks.code_for(slot.grade, pppk),
    }
