"""What can be imported and the columns of each kind: the templates people fill in, the
headers (Indonesian, English aliases accepted) and what each column means."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from kinerja.domain.competency import AssessmentSource
from kinerja.domain.errors import N_
from kinerja.domain.org import EmploymentType, PositionKind, UnitKind


class ImportKind(StrEnum):
    UNITS = "units"
    POSITIONS = "positions"
    EMPLOYEES = "employees"
    ASSESSMENTS = "assessments"


ORGANISATION_KINDS = (ImportKind.UNITS, ImportKind.POSITIONS, ImportKind.EMPLOYEES)


class ImportMode(StrEnum):
    CHECK = "check"  # report only
    ALL_OR_NOTHING = "all"  # import when every row is valid
    VALID_ROWS = "valid"  # import the valid rows, skip the others


@dataclass(frozen=True)
class Column:
    name: str  # the header in our templates (Indonesian)
    description: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str = ""
    text: bool = False  # formatted as text in XLSX templates (codes, NIP, phone)


ACTIVE = Column("aktif", N_("ya/tidak; empty means ya."), False, ("active",), "ya")
UNIT_CODE = Column(
    "kode_unit",
    N_("Code of the unit (already in the system)."),
    True,
    ("unit_code", "unit"),
    "DINKES.P2P",
    text=True,
)

COLUMNS: dict[ImportKind, list[Column]] = {
    ImportKind.UNITS: [
        Column("kode", N_("Unique unit code."), True, ("code",), "DINKES.P2P", text=True),
        Column(
            "nama", N_("Unit name."), True, ("name",), "Bidang Pencegahan dan Pengendalian Penyakit"
        ),
        Column("jenis", N_("Kind: %(choices)s."), True, ("kind",), "bidang"),
        Column(
            "kode_induk",
            N_(
                "Code of the parent unit (in the system or earlier in the file); empty for the top."
            ),
            False,
            ("parent_code", "parent"),
            "DINKES",
            text=True,
        ),
        ACTIVE,
    ],
    ImportKind.POSITIONS: [
        Column("kode", N_("Unique position code."), True, ("code",), "DINKES.P2P-00", text=True),
        Column(
            "nama",
            N_("Position name."),
            True,
            ("name",),
            "Kepala Bidang Pencegahan dan Pengendalian Penyakit",
        ),
        Column("jenis", N_("Kind: %(choices)s."), True, ("kind",), "administrator"),
        UNIT_CODE,
        Column(
            "kode_atasan",
            N_("Code of the supervising position (in the system or in the file)."),
            False,
            ("supervisor_code", "supervisor"),
            "DINKES-00",
            text=True,
        ),
        Column("kelas", N_("Position class 1–17."), False, ("grade", "kelas_jabatan"), "11"),
        Column(
            "kepala_unit",
            N_("ya if the position heads its unit."),
            False,
            ("is_head", "head"),
            "ya",
        ),
        ACTIVE,
    ],
    ImportKind.EMPLOYEES: [
        Column(
            "nip",
            N_("18-digit NIP; format the column as text in spreadsheets."),
            True,
            ("NIP",),
            "198504122010031001",
            text=True,
        ),
        Column("nama", N_("Full name with titles."), True, ("name",), "dr. Siti Rahmawati, M.Kes."),
        UNIT_CODE,
        Column(
            "kode_jabatan",
            N_("Code of the position, which must belong to that unit."),
            False,
            ("position_code", "position"),
            "DINKES.P2P-00",
            text=True,
        ),
        Column(
            "jenis_pegawai", N_("pns or pppk; empty means pns."), False, ("employment_type",), "pns"
        ),
        Column(
            "golongan",
            N_("Rank code, e.g. III/a (PNS) or IX (PPPK)."),
            False,
            ("rank", "pangkat"),
            "III/d",
        ),
        Column("email", N_("Email address."), False, ("surel",), "siti@contoh.go.id"),
        Column("telepon", N_("Phone number."), False, ("phone", "hp"), "081234567890", text=True),
        ACTIVE,
    ],
}
COLUMNS[ImportKind.ASSESSMENTS] = [
    COLUMNS[ImportKind.EMPLOYEES][0],
    Column(
        "kode_kompetensi",
        N_("Code of the competency in the dictionary."),
        True,
        ("competency_code", "competency"),
        "M.01",
        text=True,
    ),
    Column("level", N_("Assessed level, 1 to 5."), True, ("tingkat",), "3"),
    Column(
        "tanggal_penilaian",
        N_("Date of the assessment (YYYY-MM-DD or DD/MM/YYYY), not in the future."),
        True,
        ("assessed_on", "tanggal"),
        "2026-03-15",
    ),
    Column("sumber", N_("Source: %(choices)s."), True, ("source",), "assessment_centre"),
]
ENUM_OF: dict[tuple[ImportKind, str], type[Enum]] = {
    (ImportKind.UNITS, "jenis"): UnitKind,
    (ImportKind.POSITIONS, "jenis"): PositionKind,
    (ImportKind.EMPLOYEES, "jenis_pegawai"): EmploymentType,
    (ImportKind.ASSESSMENTS, "sumber"): AssessmentSource,
}
BOOLEAN_COLUMNS = {"aktif", "kepala_unit"}
TRUE_WORDS = {"ya", "y", "yes", "true", "1", "aktif", "benar"}
FALSE_WORDS = {"tidak", "t", "no", "n", "false", "0", "nonaktif", "salah"}


def template_rows(kind: ImportKind) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """Header, one example row, and the notes (column, description) of a template."""
    columns = COLUMNS[kind]
    header = [c.name for c in columns]
    example = [c.example for c in columns]
    return header, [example], [[c.name, c.description] for c in columns]


def text_columns(kind: ImportKind) -> list[str]:
    """Columns an XLSX template formats as text, so that a spreadsheet keeps an 18-digit NIP
    or a code with leading zeros as typed instead of turning it into a number."""
    return [c.name for c in COLUMNS[kind] if c.text]


def choices_for(kind: ImportKind, column: str) -> str:
    enum_class = ENUM_OF.get((kind, column))
    return ", ".join(str(m.value) for m in enum_class) if enum_class else ""
