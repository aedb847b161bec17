"""The lampiran of a plan (dukungan sumber daya, skema pertanggungjawaban, konsekuensi):
written like the plan's content, by whoever may write the plan, while it is editable."""

from __future__ import annotations

from collections.abc import Mapping

from kinerja.domain.annex import ANNEX_FIELDS, annex_items, read_annex
from kinerja.domain.errors import N_
from kinerja.models.planning import WorkPlan
from kinerja.security.policies import plans
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.plans.content import ensure_editable
from kinerja.services.plans.history import record_on_behalf
from kinerja.services.validation import Errors


@use_case
def save_annex(plan: WorkPlan, values: Mapping[str, object], scope: Scope) -> WorkPlan:
    """Keep the parts of the lampiran given in ``values`` (each a list, one item a line;
    empty clears it). Refused: another's plan (403), a locked plan or closed period (409),
    a part too long or with too many items (422, naming the part)."""
    plans.check_read(scope, plan)
    plans.check_manage(scope, plan)
    ensure_editable(plan)
    parts = read_annex(values)
    errors = Errors()
    for name, part in parts.items():
        if part.problem is not None:
            errors[name].append(part.problem)
    errors.raise_if_any()
    for name, part in parts.items():
        setattr(plan, name, part.text)
    record_on_behalf(plan, scope, N_("annex saved"))
    return plan


def annex_of(plan: WorkPlan) -> dict[str, list[str]]:
    """The lampiran's items by part, for the plan page and the printed SKP."""
    return {name: annex_items(getattr(plan, name)) for name in ANNEX_FIELDS}
