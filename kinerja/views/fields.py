"""Form fields and the data interface shared by the screens."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from flask_appbuilder.fieldwidgets import Select2Widget
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.validators import Unique
from flask_babel import lazy_gettext
from sqlalchemy.orm import Session
from sqlalchemy.orm.interfaces import LoaderOption
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import Choice, SelectChoice
from wtforms.validators import DataRequired, InputRequired


class TranslatedEnumField(SelectField):
    """A select of enum members labelled in the current language (FAB shows raw values)."""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        enum_class: type[Enum],
        allow_blank: bool = False,
        **kwargs: Any,
    ) -> None:
        self.enum_class = enum_class
        choices = [
            SelectChoice(m.value, lazy_gettext(getattr(m, "label", m.value))) for m in enum_class
        ]
        if allow_blank:
            choices.insert(0, SelectChoice("", lazy_gettext("(none)")))
        kwargs.setdefault("widget", Select2Widget())
        super().__init__(label, validators, choices=choices, coerce=self._coerce, **kwargs)

    def _coerce(self, value: Any) -> Any:
        if value in (None, "", "None"):
            return None
        return value if isinstance(value, self.enum_class) else self.enum_class(value)

    def iter_choices(self) -> Iterable[Any]:
        current = self.data.value if isinstance(self.data, Enum) else self.data
        for choice in self.choices:
            yield Choice(choice.value, choice.label, choice.value == current, {})

    def pre_validate(self, form: Any) -> None:
        if self.data is None:
            return
        if self.data not in list(self.enum_class):
            raise ValueError(self.gettext("Not a valid choice."))


def drop_unique_validators(form: Any) -> None:
    """Uniqueness is checked by the use case (on the normalised value, with a message naming
    it); FAB's own check on the raw input would answer first and less helpfully."""
    for name in dir(form):
        unbound: Any = getattr(form, name, None)
        validators = getattr(unbound, "kwargs", {}).get("validators") if unbound else None
        if validators:
            unbound.kwargs["validators"] = [v for v in validators if not isinstance(v, Unique)]


def allow_unchecked_boxes(form: Any) -> None:
    """An unchecked box is a "no", not a missing answer: FAB makes the checkbox of a
    non-null boolean column required, which would refuse every box left unchecked."""
    for name in dir(form):
        unbound: Any = getattr(form, name, None)
        if getattr(unbound, "field_class", None) is not BooleanField:
            continue
        validators = unbound.kwargs.get("validators") or []
        unbound.kwargs["validators"] = [
            v for v in validators if not isinstance(v, DataRequired | InputRequired)
        ]


class EagerInterface(SQLAInterface):
    """SQLAInterface whose list queries load the given relationships in bulk, so a list page
    costs a fixed number of queries, not one per row."""

    def __init__(
        self, obj: type, session: Session | None = None, eager: Sequence[LoaderOption] = ()
    ) -> None:
        super().__init__(obj, session)
        self.eager = tuple(eager)

    def apply_all(self, query: Any, *args: Any, **kwargs: Any) -> Any:
        return super().apply_all(query, *args, **kwargs).options(*self.eager)
