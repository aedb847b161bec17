"""Every column of every screen and resource of ours has a label in the reader's language:
none falls back to FAB's English prettified name (``Resource Support``, ``Period Id``)."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from kinerja.views.labels import CommonLabels, common_label

# the same word in both languages
SAME_IN_INDONESIAN = {"Status", "Target", "Email", "Data", "Poster", "Id", "Total"}


def _prettified(column: str) -> str:
    return column.replace("_", " ").replace(".", " ").title()


def test_no_column_keeps_the_english_prettified_name(app: Flask) -> None:
    untranslated = []
    views = [view for view in app.appbuilder.baseviews if isinstance(view, CommonLabels)]
    assert len(views) > 40
    with app.test_request_context(), force_locale("id"):
        for view in views:
            columns = {
                column
                for kind in ("list", "show", "add", "edit", "search")
                for column in getattr(view, f"{kind}_columns", None) or []
            }
            for column in sorted(columns):
                label = str(view.label_columns.get(column))
                if label == _prettified(column) and label not in SAME_IN_INDONESIAN:
                    untranslated.append(f"{type(view).__name__}.{column}: {label}")
    assert untranslated == []


def test_a_dotted_column_is_named_by_its_parts_and_a_key_by_its_relation(app: Flask) -> None:
    with app.test_request_context(), force_locale("id"):
        assert str(common_label("position.code")) == "Jabatan: Kode"
        assert str(common_label("period_id")) == "Periode"
        assert common_label("no_such_column") is None
    with app.test_request_context(), force_locale("en"):
        assert str(common_label("position.code")) == "Position: Code"
