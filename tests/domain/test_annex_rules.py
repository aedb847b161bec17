"""The lampiran's items and the documents' file names (pure rules)."""

from __future__ import annotations

from kinerja.domain.annex import MAX_ITEMS, annex_items, read_annex, read_annex_part
from kinerja.domain.documents import document_name


def test_typed_numbering_and_bullets_are_dropped_and_blank_lines_ignored() -> None:
    typed = " 1. Laptop\n\n2)  Akses   internet\n- Ruang rapat\n• Kendaraan\n(3) Data\nb. ATK\n"
    assert annex_items(typed) == [
        "Laptop",
        "Akses internet",
        "Ruang rapat",
        "Kendaraan",
        "Data",
        "ATK",
    ]
    assert annex_items("2026 target tercapai") == ["2026 target tercapai"]  # not a number mark


def test_a_part_is_refused_for_too_many_items_a_long_item_or_control_characters() -> None:
    assert read_annex_part("\n".join(["x"] * MAX_ITEMS)).problem is None
    assert read_annex_part("\n".join(["x"] * (MAX_ITEMS + 1))).problem is not None
    long_item = read_annex_part("ok\n" + "y" * 501).problem
    assert long_item is not None and long_item.params == {"number": 2, "max": 500}
    assert read_annex_part("a\x00b").problem is not None
    assert read_annex_part(5).problem is not None
    assert read_annex_part("  \n ").text is None


def test_only_the_parts_given_are_read() -> None:
    assert set(read_annex({"consequences": "x", "other": "y"})) == {"consequences"}


def test_document_names_carry_owner_and_period_as_safe_names() -> None:
    assert document_name("SKP", "198001012005011001", 2026) == "SKP_198001012005011001_2026.pdf"
    assert (
        document_name("Evaluasi", "198001012005011001", 2026, "Triwulan I")
        == "Evaluasi_198001012005011001_2026_Triwulan-I.pdf"
    )
    assert document_name("SKP", "DINKES.P2P", 2026, extension="zip") == "SKP_DINKES-P2P_2026.zip"
    assert document_name("Rekap", "../..", 2026) == "Rekap_x_2026.pdf"
