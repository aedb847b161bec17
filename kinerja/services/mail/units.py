"""The summary of a ratings run for the Operators and the Admins: employees per predikat
and the units off their expected distribution, each within the reader's reach (an
Operator: the units they manage; an Admin: all the run rated). A handful of queries for
the whole run; one email per reader and run."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select

from kinerja.domain.errors import N_
from kinerja.domain.org import LabeledEnum
from kinerja.domain.ratings import Predikat, RuleMessage
from kinerja.extensions import db
from kinerja.models.mail import EmailKind
from kinerja.models.org import Unit
from kinerja.models.planning import Period
from kinerja.models.ratings import Rating
from kinerja.services.mail import compose
from kinerja.services.mail.audience import UnitTree, admin_ids

SUBJECT = N_("Performance ratings computed for %(period)s")
LISTED_UNITS = 25


@dataclass
class Tally:
    """What one reader learns: employees per predikat, and the units warned of."""

    per_predikat: Counter[str] = field(default_factory=Counter)
    final: int = 0
    total: int = 0
    warned: list[tuple[str, list[RuleMessage]]] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[Predikat, int]]:
        return [(p, self.per_predikat[p.value]) for p in Predikat]

    @property
    def without_predikat(self) -> int:
        return self.total - sum(self.per_predikat.values())


def say(message: RuleMessage) -> str:
    """A rule's message in the language being rendered (enum parameters by their label)."""
    params = {
        key: gettext(value.label) if isinstance(value, LabeledEnum) else value
        for key, value in message.params.items()
    }
    return gettext(message.template, **params) if params else gettext(message.template)


def record_unit_summaries(
    period_id: int,
    reach_unit_id: int | None,
    event: str,
    warnings: Mapping[int, list[RuleMessage]],
) -> list[int]:
    """Record the run's summary for every Admin and every Operator of a unit it rated."""
    tree = UnitTree.load()
    rows = db.session.execute(
        select(Rating.unit_id, Rating.predikat, Rating.final, func.count())
        .where(Rating.period_id == period_id)
        .group_by(Rating.unit_id, Rating.predikat, Rating.final)
    ).all()
    counted = [r for r in rows if reach_unit_id is None or tree.within(r.unit_id, reach_unit_id)]
    names = dict(
        db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(list(warnings))))
        .tuples()
        .all()
    )
    readers: dict[int, set[int] | None] = {user_id: None for user_id in admin_ids()}
    for unit_id, users in tree.operators.items():
        units = {r.unit_id for r in counted if tree.within(r.unit_id, unit_id)}
        for user_id in users:
            if user_id not in readers and units:
                readers[user_id] = units
    recipients = compose.user_recipients(readers)
    period_name = db.session.scalar(select(Period.name).where(Period.id == period_id)) or ""
    drafts = [
        compose.Draft(
            EmailKind.UNIT_SUMMARY,
            recipient,
            event,
            "unit_summary",
            SUBJECT,
            {"period": period_name},
            {
                "period": period_name,
                "tally": _tally(counted, readers[user_id], warnings, names),
                "say": say,
                "listed": LISTED_UNITS,
                "optional": True,
                "url": compose.link("/distributions/list/"),
            },
        )
        for user_id, recipient in recipients.items()
    ]
    return compose.record(drafts)


def _tally(
    rows: Sequence[Any],
    units: set[int] | None,
    warnings: Mapping[int, list[RuleMessage]],
    names: Mapping[int, str],
) -> Tally:
    tally = Tally()
    for unit_id, predikat, final, count in rows:
        if units is not None and unit_id not in units:
            continue
        tally.total += count
        tally.final += count if final else 0
        if predikat is not None:
            tally.per_predikat[Predikat(predikat).value] += count
    by_name: dict[str, list[RuleMessage]] = defaultdict(list)
    seen = {r[0] for r in rows} if units is None else units
    for unit_id, messages in warnings.items():
        if unit_id in seen and messages:
            by_name[names.get(unit_id, str(unit_id))].extend(messages)
    tally.warned = sorted(by_name.items())
    return tally
