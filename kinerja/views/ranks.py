"""The ``rank`` resource: golongan/ruang and PPPK grades, so that an employee's ``rank_id``
can be resolved (TPP depends on it). Reference data: read-only over the API, read by everyone
signed in (:class:`kinerja.security.policies.org.RankPolicy`)."""

from __future__ import annotations

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l

from kinerja.models.org import Rank
from kinerja.security import roles
from kinerja.views.rest import KinerjaModelApi

RANK_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "employment_type": _l("Employment type"),
    "order": _l("Order"),
}


class RankApi(KinerjaModelApi):
    """Ranks (read-only): ``code`` is the golongan/ruang of a civil servant (``III/a``) or
    the grade of a PPPK employee (``IX``); ``order`` sorts them from the lowest."""

    resource_name = "rank"
    datamodel = SQLAInterface(Rank)
    class_permission_name = roles.RANK
    base_permissions = ["can_read"]
    label_columns = RANK_LABELS
    list_columns = ["id", "code", "name", "employment_type", "order", "created_at", "updated_at"]
    show_columns = list_columns
    search_columns = ["code", "name", "employment_type", "updated_at"]
    order_columns = ["id", "code", "order", "updated_at"]
    base_order = ("order", "asc")
