"""Kinds and codes of the organisation: unit kinds, position kinds, employment types."""

from __future__ import annotations

from enum import StrEnum

from kinerja.domain.errors import N_

__all__ = ["EmploymentType", "LabeledEnum", "PositionKind", "UnitKind"]


class LabeledEnum(StrEnum):
    """A string enum whose members carry an English label, translated where shown."""

    label: str

    def __new__(cls, value: str, label: str = "") -> LabeledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class UnitKind(LabeledEnum):
    OPD = "opd", N_("Agency (Dinas/Badan/OPD)")
    SECRETARIAT = "sekretariat", N_("Secretariat")
    BUREAU = "bagian", N_("Bureau (Bagian)")
    DIVISION = "bidang", N_("Division (Bidang)")
    SECTION = "seksi", N_("Section (Seksi)")
    SUBDIVISION = "subbagian", N_("Sub-bureau (Subbagian)")
    DISTRICT = "kecamatan", N_("District (Kecamatan)")
    VILLAGE = "kelurahan", N_("Urban village (Kelurahan)")
    SERVICE_UNIT = "uptd", N_("Technical unit (UPTD)")
    GOVERNMENT = "pemda", N_("Regional government")


class PositionKind(LabeledEnum):
    """Kinds of jabatan; the first three are structural (they usually head a unit)."""

    JPT = "jpt", N_("Senior executive (JPT)")
    ADMINISTRATOR = "administrator", N_("Administrator")
    SUPERVISOR = "pengawas", N_("Supervisory (Pengawas)")
    EXECUTIVE = "pelaksana", N_("Executive (Pelaksana)")
    FUNCTIONAL = "fungsional", N_("Functional (Fungsional)")


class EmploymentType(LabeledEnum):
    PNS = "pns", N_("Civil servant (PNS)")
    PPPK = "pppk", N_("Contract civil servant (PPPK)")
