"""A living demo organisation: a city government with agencies, positions and employees.

Deterministic (seeded) and idempotent: running it again adds only what is missing, so the
demo logins and their relations are always there. Rows go in with set-based inserts so
``--employees 100000`` takes minutes, not hours.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import insert, select, update

from kinerja.domain.nip import parse_nip
from kinerja.domain.org import EmploymentType, PositionKind, UnitKind
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.services import commit
from kinerja.services.demo_planning import load_demo_planning
from kinerja.services.logins import hash_password, split_name
from kinerja.services.roles import sync_supervisor_roles

SEED = 20260101
BATCH = 5000

# --- the organisation ---------------------------------------------------------------------


@dataclass
class UnitSpec:
    code: str
    name: str
    kind: UnitKind
    parent: str | None
    head: tuple[str, PositionKind, int] | None  # name, kind, class of the head position
    staff: list[tuple[str, PositionKind, int]] = field(default_factory=list)


P, F = PositionKind.EXECUTIVE, PositionKind.FUNCTIONAL
ADMIN_STAFF = [("Pengadministrasi Perkantoran", P, 5), ("Penata Layanan Operasional", P, 7)]


def _u(
    code: str,
    name: str,
    kind: UnitKind,
    parent: str | None,
    head: tuple[str, PositionKind, int] | None,
    *staff: tuple[str, PositionKind, int],
) -> UnitSpec:
    return UnitSpec(code, name, kind, parent, head, list(staff))


K = UnitKind
JPT, ADM, SPV = PositionKind.JPT, PositionKind.ADMINISTRATOR, PositionKind.SUPERVISOR

CORE_UNITS: list[UnitSpec] = [
    _u("PEMKOT", "Pemerintah Kota Sibolga", K.GOVERNMENT, None, None),
    _u("SETDA", "Sekretariat Daerah", K.SECRETARIAT, "PEMKOT", ("Sekretaris Daerah", JPT, 15)),
    _u(
        "SETDA.PEM",
        "Bagian Pemerintahan",
        K.BUREAU,
        "SETDA",
        ("Kepala Bagian Pemerintahan", ADM, 11),
        ("Analis Kebijakan Ahli Muda", F, 11),
        *ADMIN_STAFF,
    ),
    _u(
        "SETDA.ORG",
        "Bagian Organisasi",
        K.BUREAU,
        "SETDA",
        ("Kepala Bagian Organisasi", ADM, 11),
        ("Analis Kebijakan Ahli Pertama", F, 9),
        *ADMIN_STAFF,
    ),
    _u("DINKES", "Dinas Kesehatan", K.OPD, "PEMKOT", ("Kepala Dinas Kesehatan", JPT, 14)),
    _u(
        "DINKES.SEK",
        "Sekretariat Dinas Kesehatan",
        K.SECRETARIAT,
        "DINKES",
        ("Sekretaris Dinas Kesehatan", ADM, 12),
        ("Perencana Ahli Muda", F, 11),
    ),
    _u(
        "DINKES.SEK.UMPEG",
        "Subbagian Umum dan Kepegawaian",
        K.SUBDIVISION,
        "DINKES.SEK",
        ("Kepala Subbagian Umum dan Kepegawaian", SPV, 9),
        ("Pengelola Kepegawaian", P, 7),
        *ADMIN_STAFF,
    ),
    _u(
        "DINKES.YANKES",
        "Bidang Pelayanan Kesehatan",
        K.DIVISION,
        "DINKES",
        ("Kepala Bidang Pelayanan Kesehatan", ADM, 11),
        ("Administrator Kesehatan Ahli Muda", F, 11),
    ),
    _u(
        "DINKES.YANKES.RUJ",
        "Seksi Pelayanan Kesehatan Rujukan",
        K.SECTION,
        "DINKES.YANKES",
        ("Kepala Seksi Pelayanan Kesehatan Rujukan", SPV, 9),
        ("Perawat Ahli Pertama", F, 8),
        ("Pengelola Layanan Kesehatan", P, 7),
    ),
    _u(
        "DINKES.P2P",
        "Bidang Pencegahan dan Pengendalian Penyakit",
        K.DIVISION,
        "DINKES",
        ("Kepala Bidang Pencegahan dan Pengendalian Penyakit", ADM, 11),
    ),
    _u(
        "DINKES.P2P.SURV",
        "Seksi Surveilans dan Imunisasi",
        K.SECTION,
        "DINKES.P2P",
        ("Kepala Seksi Surveilans dan Imunisasi", SPV, 9),
        ("Epidemiolog Kesehatan Ahli Pertama", F, 8),
        ("Pengelola Data Imunisasi", P, 6),
    ),
    _u(
        "DINKES.PKM.KOTA",
        "UPTD Puskesmas Sibolga Kota",
        K.SERVICE_UNIT,
        "DINKES",
        ("Kepala UPTD Puskesmas Sibolga Kota", SPV, 9),
        ("Dokter Ahli Pertama", F, 9),
        ("Bidan Terampil", F, 6),
        ("Perawat Terampil", F, 6),
    ),
    _u("DISDIK", "Dinas Pendidikan", K.OPD, "PEMKOT", ("Kepala Dinas Pendidikan", JPT, 14)),
    _u(
        "DISDIK.SEK",
        "Sekretariat Dinas Pendidikan",
        K.SECRETARIAT,
        "DISDIK",
        ("Sekretaris Dinas Pendidikan", ADM, 12),
        *ADMIN_STAFF,
    ),
    _u(
        "DISDIK.SD",
        "Bidang Pembinaan Sekolah Dasar",
        K.DIVISION,
        "DISDIK",
        ("Kepala Bidang Pembinaan Sekolah Dasar", ADM, 11),
        ("Pengawas Sekolah Ahli Muda", F, 11),
    ),
    _u(
        "DISDIK.SMP",
        "Bidang Pembinaan Sekolah Menengah Pertama",
        K.DIVISION,
        "DISDIK",
        ("Kepala Bidang Pembinaan SMP", ADM, 11),
        ("Pengawas Sekolah Ahli Madya", F, 12),
    ),
    _u(
        "DISDIK.SDN1",
        "SD Negeri 081231 Sibolga",
        K.SERVICE_UNIT,
        "DISDIK.SD",
        ("Kepala Sekolah SD Negeri 081231", SPV, 9),
        ("Guru Ahli Pertama", F, 8),
        ("Guru Ahli Muda", F, 10),
    ),
    _u("DISHUB", "Dinas Perhubungan", K.OPD, "PEMKOT", ("Kepala Dinas Perhubungan", JPT, 14)),
    _u(
        "DISHUB.LLAJ",
        "Bidang Lalu Lintas dan Angkutan Jalan",
        K.DIVISION,
        "DISHUB",
        ("Kepala Bidang Lalu Lintas dan Angkutan Jalan", ADM, 11),
        ("Penguji Kendaraan Bermotor Terampil", F, 6),
        ("Petugas Pengatur Lalu Lintas", P, 5),
    ),
    _u(
        "DISHUB.LAUT",
        "Bidang Perhubungan Laut",
        K.DIVISION,
        "DISHUB",
        ("Kepala Bidang Perhubungan Laut", ADM, 11),
        ("Pengelola Pelabuhan", P, 6),
    ),
    _u(
        "DISDUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        K.OPD,
        "PEMKOT",
        ("Kepala Dinas Kependudukan dan Pencatatan Sipil", JPT, 14),
    ),
    _u(
        "DISDUKCAPIL.DAFDUK",
        "Bidang Pelayanan Pendaftaran Penduduk",
        K.DIVISION,
        "DISDUKCAPIL",
        ("Kepala Bidang Pelayanan Pendaftaran Penduduk", ADM, 11),
        ("Administrator Database Kependudukan", F, 8),
        ("Operator Layanan Kependudukan", P, 5),
    ),
    _u(
        "DISDUKCAPIL.CAPIL",
        "Bidang Pelayanan Pencatatan Sipil",
        K.DIVISION,
        "DISDUKCAPIL",
        ("Kepala Bidang Pelayanan Pencatatan Sipil", ADM, 11),
        ("Pengelola Pencatatan Sipil", P, 6),
    ),
    _u(
        "BKPSDM",
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        K.OPD,
        "PEMKOT",
        ("Kepala BKPSDM", JPT, 14),
    ),
    _u(
        "BKPSDM.MUTASI",
        "Bidang Mutasi dan Promosi",
        K.DIVISION,
        "BKPSDM",
        ("Kepala Bidang Mutasi dan Promosi", ADM, 11),
        ("Analis SDM Aparatur Ahli Muda", F, 11),
        ("Pengelola Data Kepegawaian", P, 6),
    ),
    _u(
        "BKPSDM.BANGKOM",
        "Bidang Pengembangan Kompetensi",
        K.DIVISION,
        "BKPSDM",
        ("Kepala Bidang Pengembangan Kompetensi", ADM, 11),
        ("Analis SDM Aparatur Ahli Pertama", F, 9),
        ("Assessor SDM Aparatur Ahli Muda", F, 11),
    ),
    _u(
        "BAPPEDA",
        "Badan Perencanaan Pembangunan Daerah",
        K.OPD,
        "PEMKOT",
        ("Kepala Bappeda", JPT, 14),
    ),
    _u(
        "BAPPEDA.PEREKONOMIAN",
        "Bidang Perekonomian dan Sumber Daya Alam",
        K.DIVISION,
        "BAPPEDA",
        ("Kepala Bidang Perekonomian dan SDA", ADM, 11),
        ("Perencana Ahli Pertama", F, 9),
    ),
    _u(
        "KEC.SBGKOTA",
        "Kecamatan Sibolga Kota",
        K.DISTRICT,
        "PEMKOT",
        ("Camat Sibolga Kota", ADM, 12),
        *ADMIN_STAFF,
    ),
    _u(
        "KEC.SBGKOTA.PEM",
        "Seksi Pemerintahan Kecamatan Sibolga Kota",
        K.SECTION,
        "KEC.SBGKOTA",
        ("Kepala Seksi Pemerintahan", SPV, 9),
        ("Pengelola Administrasi Pemerintahan", P, 6),
    ),
    _u(
        "KEC.SBGKOTA.PSRBARU",
        "Kelurahan Pasar Baru",
        K.VILLAGE,
        "KEC.SBGKOTA",
        ("Lurah Pasar Baru", SPV, 9),
        ("Pengadministrasi Kelurahan", P, 5),
    ),
    _u(
        "KEC.SBGKOTA.PANCURAN",
        "Kelurahan Pancuran Gerobak",
        K.VILLAGE,
        "KEC.SBGKOTA",
        None,
        ("Pengadministrasi Kelurahan", P, 5),
    ),  # no head yet: shows on Data quality
]

# Templates of the repeated units that make a large demo (schools, clinics, villages).
GROWTH = [
    (
        "DISDIK.SD",
        "SDN",
        "SD Negeri {n:06d} Sibolga",
        K.SERVICE_UNIT,
        ("Kepala Sekolah", SPV, 9),
        [("Guru Ahli Pertama", F, 8), ("Guru Ahli Muda", F, 10), ("Pengelola Sekolah", P, 5)],
    ),
    (
        "DINKES",
        "PKM",
        "UPTD Puskesmas Pembantu {n:04d}",
        K.SERVICE_UNIT,
        ("Kepala Puskesmas Pembantu", SPV, 9),
        [("Perawat Terampil", F, 6), ("Bidan Terampil", F, 6), ("Pengadministrasi Layanan", P, 5)],
    ),
    (
        "KEC.SBGKOTA",
        "KEL",
        "Kelurahan {n:04d}",
        K.VILLAGE,
        ("Lurah", SPV, 9),
        [("Pengadministrasi Kelurahan", P, 5), ("Pengelola Pelayanan", P, 6)],
    ),
]
EMPLOYEES_PER_GROWN_UNIT = 40
# A head position left vacant on purpose: its staff have nobody to rate them (Data quality).
VACANT_HEADS = {"DINKES.YANKES.RUJ"}

# The people behind the demo logins: unit, position name, and the login's roles.
ATASAN_UNIT, ATASAN_POSITION = "DINKES.P2P.SURV", "Kepala Seksi Surveilans dan Imunisasi"
PEGAWAI_POSITION = "Epidemiolog Kesehatan Ahli Pertama"
OPERATOR_UNIT, OPERATOR_POSITION = "DINKES.SEK.UMPEG", "Pengelola Kepegawaian"

FIRST_NAMES_M = [
    "Ahmad",
    "Budi",
    "Dedi",
    "Eko",
    "Fajar",
    "Hendra",
    "Irfan",
    "Joko",
    "Rizky",
    "Sutrisno",
    "Taufik",
    "Yusuf",
    "Agus",
    "Bambang",
    "Doni",
    "Hasan",
    "Rudi",
    "Maruli",
    "Parlindungan",
    "Togar",
    "Bonar",
    "Darwin",
    "Indra",
    "Wahyu",
]
FIRST_NAMES_F = [
    "Siti",
    "Dewi",
    "Rina",
    "Sri",
    "Nur",
    "Ayu",
    "Fitri",
    "Lestari",
    "Maya",
    "Ratna",
    "Wulan",
    "Yuni",
    "Intan",
    "Rosmawati",
    "Lamria",
    "Sondang",
    "Tiur",
    "Desi",
    "Mega",
    "Novita",
    "Puspita",
    "Rahmawati",
    "Sari",
    "Indah",
]
LAST_NAMES = [
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Hutagalung",
    "Simatupang",
    "Pasaribu",
    "Tanjung",
    "Hasibuan",
    "Pane",
    "Sihombing",
    "Panggabean",
    "Situmorang",
    "Rangkuti",
    "Saragih",
    "Daulay",
    "Batubara",
    "Pohan",
    "Santoso",
    "Wijaya",
    "Hidayat",
    "Kurniawan",
    "Pratama",
    "Rahman",
    "Syahputra",
    "Marpaung",
    "Hutabarat",
    "Gultom",
]
FRONT_TITLES = {"Dokter Ahli Pertama": "dr."}
BACK_TITLES = [
    "S.E.",
    "S.Kom.",
    "S.H.",
    "S.Sos.",
    "S.Pd.",
    "S.KM.",
    "A.Md.",
    "M.Si.",
    "M.M.",
    "S.T.",
    "S.Kep., Ns.",
    "M.Kes.",
    "S.IP.",
    "M.Pd.",
    "",
]


@dataclass
class DemoReport:
    units: int
    positions: int
    employees: int
    logins: list[tuple[str, str, str]]


def load_demo(employees: int = 300) -> DemoReport:
    """Load the demo organisation and logins; add only what is missing."""
    rng = random.Random(SEED)  # noqa: S311 - demo names, not secrets
    specs = list(CORE_UNITS) + list(_grown_units(employees))
    unit_ids = _ensure_units(specs)
    position_ids = _ensure_positions(specs, unit_ids)
    _ensure_employees(specs, unit_ids, position_ids, employees, rng)
    logins = _ensure_logins(unit_ids, position_ids)
    load_demo_planning(
        pegawai_id=_holder(position_ids[_code_by_name(ATASAN_UNIT, PEGAWAI_POSITION)]).id,
        atasan_id=_holder(position_ids[_position_code(ATASAN_UNIT, 0)]).id,
    )
    sync_supervisor_roles()
    commit()
    count = db.session.query
    return DemoReport(
        units=count(Unit).count(),
        positions=count(Position).count(),
        employees=count(Employee).count(),
        logins=logins,
    )


def _grown_units(employees: int) -> Iterator[UnitSpec]:
    extra = max(0, employees - 300) // EMPLOYEES_PER_GROWN_UNIT
    for n in range(extra):
        parent, prefix, name, kind, head, staff = GROWTH[n % len(GROWTH)]
        number = n // len(GROWTH) + 1
        yield UnitSpec(
            f"{parent}.{prefix}{number:05d}",
            name.format(n=number),
            kind,
            parent,
            (f"{head[0]} {name.format(n=number)}", head[1], head[2]),
            list(staff),
        )


def _position_code(unit_code: str, index: int) -> str:
    return f"{unit_code}-{index:02d}"


def _ensure_units(specs: list[UnitSpec]) -> dict[str, int]:
    ids = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
    now = utcnow()
    pending = [s for s in specs if s.code not in ids]
    while pending:  # parents first, level by level
        ready = [s for s in pending if s.parent is None or s.parent in ids]
        if not ready:
            raise RuntimeError("demo units reference unknown parents")
        rows = [
            {
                "code": s.code,
                "name": s.name,
                "kind": s.kind,
                "active": True,
                "parent_id": ids.get(s.parent) if s.parent else None,
                "created_at": now,
                "updated_at": now,
            }
            for s in ready
        ]
        for chunk in _chunks(rows):
            db.session.execute(insert(Unit), chunk)
        ids = dict(db.session.execute(select(Unit.code, Unit.id)).tuples().all())
        pending = [s for s in pending if s.code not in ids]
    return ids


def _position_specs(spec: UnitSpec) -> list[tuple[str, str, PositionKind, int, bool]]:
    """(code, name, kind, class, is_head) of a unit's positions; the head is number 00."""
    out = []
    if spec.head:
        out.append((_position_code(spec.code, 0), spec.head[0], spec.head[1], spec.head[2], True))
    for index, (name, kind, grade) in enumerate(spec.staff, start=1):
        out.append((_position_code(spec.code, index), name, kind, grade, False))
    return out


def _ensure_positions(specs: list[UnitSpec], unit_ids: dict[str, int]) -> dict[str, int]:
    existing = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
    now = utcnow()
    rows = [
        {
            "code": code,
            "name": name,
            "kind": kind,
            "grade": grade,
            "is_head": head,
            "active": True,
            "unit_id": unit_ids[spec.code],
            "created_at": now,
            "updated_at": now,
        }
        for spec in specs
        for code, name, kind, grade, head in _position_specs(spec)
        if code not in existing
    ]
    for chunk in _chunks(rows):
        db.session.execute(insert(Position), chunk)
    ids = dict(db.session.execute(select(Position.code, Position.id)).tuples().all())
    new_codes = {row["code"] for row in rows}
    updates = []
    for spec in specs:
        boss = _boss_of(spec, specs)
        for code, _name, _kind, _grade, head in _position_specs(spec):
            if code not in new_codes:
                continue
            supervisor = boss if head else (_head_code(spec) or boss)
            if supervisor and supervisor in ids:
                updates.append({"id": ids[code], "supervisor_id": ids[supervisor]})
    for chunk in _chunks(updates):
        db.session.execute(update(Position), chunk)
    return ids


_SPEC_INDEX: dict[int, dict[str, UnitSpec]] = {}


def _boss_of(spec: UnitSpec, specs: list[UnitSpec]) -> str | None:
    """The head position above a unit: its parent's head, or further up; OPD heads report to
    the Sekretaris Daerah."""
    by_code = _SPEC_INDEX.setdefault(id(specs), {s.code: s for s in specs})
    parent = by_code.get(spec.parent) if spec.parent else None
    while parent is not None:
        if parent.code == "PEMKOT":
            return _head_code(by_code["SETDA"]) if spec.code != "SETDA" else None
        if parent.head:
            return _head_code(parent)
        parent = by_code.get(parent.parent) if parent.parent else None
    return None


def _head_code(spec: UnitSpec) -> str | None:
    return _position_code(spec.code, 0) if spec.head else None


def _ensure_employees(
    specs: list[UnitSpec],
    unit_ids: dict[str, int],
    position_ids: dict[str, int],
    total: int,
    rng: random.Random,
) -> None:
    """Fill every head position, then spread the rest over the staff positions, until there
    are ``total`` employees; NIPs stay unique (a clash takes the next serial)."""
    nips = set(db.session.scalars(select(Employee.nip)))
    existing = len(nips)
    if existing >= total:
        return
    ranks = dict(db.session.execute(select(Rank.code, Rank.id)).tuples().all())
    heads: list[tuple[str, str, str, PositionKind, int]] = []
    staff: list[tuple[str, str, str, PositionKind, int]] = []
    for spec in specs:
        for code, name, kind, grade, head in _position_specs(spec):
            if head and spec.code in VACANT_HEADS:
                continue
            (heads if head else staff).append((spec.code, code, name, kind, grade))
    slots = heads + [staff[i % len(staff)] for i in range(max(0, total - len(heads)))]
    now = utcnow()
    rows = []
    for index, (unit_code, code, position_name, kind, grade) in enumerate(slots[:total]):
        person = _person(rng, index, position_name, kind, grade)
        if index < existing:
            continue  # an earlier run (or an import) made as many already
        while person["nip"] in nips:  # the same birth date, start and serial: next serial
            nip = str(person["nip"])
            person["nip"] = f"{nip[:15]}{int(nip[15:]) % 999 + 1:03d}"
        rank_id = ranks.get(str(person.pop("rank_code")))
        # A few staff without a position, so Data quality has something to show.
        without_position = index >= len(heads) and index % 97 == 50
        rows.append(
            {
                **person,
                "rank_id": rank_id,
                "unit_id": unit_ids[unit_code],
                "position_id": None if without_position else position_ids[code],
                "active": True,
                "created_at": now,
                "updated_at": now,
            }
        )
        nips.add(str(person["nip"]))
    for chunk in _chunks(rows):
        db.session.execute(insert(Employee), chunk)


def _person(
    rng: random.Random, index: int, position_name: str, kind: PositionKind, grade: int
) -> dict[str, object]:
    female = rng.random() < 0.5
    first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
    name = f"{first} {rng.choice(LAST_NAMES)}"
    front = FRONT_TITLES.get(position_name)
    back = rng.choice(BACK_TITLES) if kind != PositionKind.EXECUTIVE or rng.random() < 0.4 else ""
    full_name = " ".join(part for part in (front, name) if part) + (f", {back}" if back else "")
    birth = date(1965, 1, 1) + timedelta(days=rng.randrange(0, 35 * 365))
    start_year = min(birth.year + rng.randint(21, 30), 2025)
    pppk = kind == PositionKind.FUNCTIONAL and rng.random() < 0.15
    nip = (
        f"{birth:%Y%m%d}{start_year:04d}{rng.randint(1, 12):02d}{2 if female else 1}"
        f"{index % 999 + 1:03d}"
    )
    parse_nip(nip)  # the demo must only ever hold valid NIPs
    return {
        "nip": nip,
        "name": full_name,
        "email": f"{first.lower()}.{nip[-6:]}@sibolgakota.go.id",
        "phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
        "employment_type": EmploymentType.PPPK if pppk else EmploymentType.PNS,
        "rank_code": _rank_for(grade, pppk),
    }


def _rank_for(grade: int, pppk: bool) -> str:
    if pppk:
        return ["V", "VII", "IX", "X", "XI"][min(max(grade - 5, 0), 4)]
    table = {
        5: "II/a",
        6: "II/c",
        7: "II/d",
        8: "III/a",
        9: "III/b",
        10: "III/c",
        11: "III/d",
        12: "IV/a",
        13: "IV/b",
        14: "IV/c",
        15: "IV/d",
    }
    return table.get(grade, "III/a")


def _ensure_logins(
    unit_ids: dict[str, int], position_ids: dict[str, int]
) -> list[tuple[str, str, str]]:
    password = current_app.config["KINERJA_DEMO_PASSWORD"]
    role = {
        name: db.session.scalar(select(Role).where(Role.name == name)) for name in roles.ALL_ROLES
    }
    atasan = _holder(position_ids[_position_code(ATASAN_UNIT, 0)])
    pegawai = _holder(position_ids[_code_by_name(ATASAN_UNIT, PEGAWAI_POSITION)])
    operator = _holder(position_ids[_code_by_name(OPERATOR_UNIT, OPERATOR_POSITION)])
    wanted = [
        ("admin", "Admin", "BKPSDM", [roles.ADMIN], None, None),
        (
            "operator",
            "Operator",
            "Dinas Kesehatan",
            [roles.OPERATOR, roles.EMPLOYEE],
            operator,
            unit_ids["DINKES"],
        ),
        ("atasan", "Atasan", "Langsung", [roles.SUPERVISOR, roles.EMPLOYEE], atasan, None),
        ("pegawai", "Pegawai", "Pelaksana", [roles.EMPLOYEE], pegawai, None),
        ("integrator", "Integrator", "Sistem", [roles.INTEGRATOR], None, None),
    ]
    out = []
    for username, first, last, role_names, employee, operator_unit in wanted:
        user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
        if employee is not None:  # the login shows the person's own name
            first, last = split_name(employee.name)
        if user is None:
            user = KinerjaUser(
                username=username,
                first_name=first,
                last_name=last,
                email=f"{username}@kinerja.example",
                active=True,
                password=hash_password(password),
                roles=[role[r] for r in role_names if role[r]],
                operator_unit_id=operator_unit,
            )
            db.session.add(user)
            db.session.flush()
        if employee is not None and employee.user_id is None:
            employee.user_id = user.id
        description = ", ".join(role_names)
        if employee is not None:
            description += f" — {employee.name}"
        out.append((username, password, description))
    return out


def _code_by_name(unit_code: str, position_name: str) -> str:
    spec = next(s for s in CORE_UNITS if s.code == unit_code)
    for code, name, *_ in _position_specs(spec):
        if name == position_name:
            return code
    raise LookupError(position_name)


def _holder(position_id: int) -> Employee:
    employee = db.session.scalar(
        select(Employee).where(Employee.position_id == position_id).order_by(Employee.id).limit(1)
    )
    if employee is None:
        raise LookupError(f"no holder for position {position_id}")
    return employee


def _chunks(rows: list[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
