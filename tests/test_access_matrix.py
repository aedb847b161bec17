"""Every role on every resource and verb, in the screens and the API alike.

The same rows must be visible in the list, the CSV export and the API; a row outside the
person's scope answers 404 (never 403), so ids cannot be probed; writes need the manage scope.

The API half covers every registered ``ModelRestApi``, found in ``appbuilder.baseviews``: a
new resource fails :func:`test_every_rest_resource_has_its_expectations` until its rows are
written into the tables below.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import prison
import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_appbuilder import ModelRestApi
from sqlalchemy import select

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.mail import OutgoingEmail
from kinerja.models.org import Rank
from kinerja.models.webhooks import DeliveryStatus, WebhookDelivery, WebhookSubscription
from kinerja.security.policies import SYSTEM
from kinerja.services.webhooks.subscriptions import save_subscription
from tests.development_factories import build_development
from tests.factories import (
    Org,
    Planning,
    Reporting,
    api_token,
    build_ratings,
    build_records,
    build_unit_ratings,
    login,
    make_nip,
)
from tests.mail.factories import build_emails
from tests.survey_factories import computed_results
from tests.survey_form_factories import build_surveys

RESOURCES = {
    # screens: (screen route, api name, attribute of Org, key column in CSV/API)
    "unit": ("/units", "unit", "units", "code"),
    "position": ("/positions", "position", "positions", "code"),
    "employee": ("/employees", "employee", "employees", "nip"),
}

ROLES = ["admin", "integrator", "operator", "supervisor", "employee"]
API_ROLES = [*ROLES, "anonymous"]
SEES_ALL = {"admin", "integrator"}

# Rows are named (see the fixture rows): org rows by their Org attribute, plans, objectives,
# indicators and activities by their owner, reports "<owner>_q<n>", and realizations,
# evidence, evaluations and dialogue notes by their report.
DINKES_UNITS = {"dinkes", "p2p", "surv", "yankes"}
DINKES_POSITIONS = {"kadinkes", "kabid_p2p", "kasi_surv", "epid", "kabid_yankes", "perawat"}
DINKES_PEOPLE = {"kadinkes", "kabid_p2p", "kasi_surv", "epid1", "epid2", "kabid_yankes", "perawat"}
DINKES_PLANS = {"kabid_p2p", "kasi_surv", "epid1", "epid2"}  # plans (and their rows) by owner
ALL = None  # every row

# What each scoped role reads (the Admin and the Integrator read every row).
VISIBLE: dict[str, dict[str, set[str] | None]] = {
    # Operator of Dinas Kesehatan (no employee record): the Dinkes subtree.
    "operator": {
        "unit": DINKES_UNITS,
        "position": DINKES_POSITIONS,
        "employee": DINKES_PEOPLE,
        "period": ALL,
        "sub_period": ALL,
        "work_plan": DINKES_PLANS,
        "objective": DINKES_PLANS,
        "indicator": DINKES_PLANS,
        "activity": {"kabid_p2p", "epid1", "epid2", "perawat"},
        "report": {"epid1_q1", "epid1_q2", "epid2_q1"},
        "realization": {"epid1_q1", "epid1_q2", "epid2_q1"},
        "evidence": {"epid1_q1", "epid2_q1"},
        "evaluation": {"epid1_q1", "epid1_q2"},
        "dialogue_note": {"epid1_q1", "epid2_q1"},
        "rating": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "distribution_check": {"p2p", "surv", "yankes"},
        "rating_run": {"operator_run"},  # the runs they asked for
        "unit_rating": {"surv", "p2p"},  # unit predikat of the Dinkes units
        "survey_result": {"surv", "yankes"},  # of the Dinkes units' services
        "service": {"yankes", "surv"},
        "survey": {"yankes", "surv"},
        "survey_response": {"yankes", "surv"},  # the public's answers in their units
        # to the logins of the Dinkes people (and the feedback an approval there recorded)
        "outgoing_email": {"kabid_p2p", "epid1", "approved"},
        "rank": ALL,
        "webhook": set(),  # webhooks are the Admin's alone
        "webhook_delivery": set(),
        "competency": ALL,
        "training": ALL,
        "position_competency": {"epid", "perawat", "kabid_p2p"},
        "assessment": {"epid1", "epid2", "kabid_p2p", "perawat"},
        "training_record": {"epid1", "kabid_p2p", "perawat"},
        "recommendation": {"epid1", "epid2", "kabid_p2p", "perawat"},
        "reward_candidate": {"epid1", "kabid_p2p", "perawat", "kabid_p2p_2026"},
    },
    # Kepala Bidang P2P (Supervisor + Employee): themself and everyone below them.
    "supervisor": {
        "unit": {"p2p", "surv"},
        "position": {"kabid_p2p", "kasi_surv", "epid"},
        "employee": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "period": ALL,
        "sub_period": ALL,
        "work_plan": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "objective": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "indicator": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "activity": {"kabid_p2p", "epid1", "epid2"},
        "report": {"epid1_q1", "epid1_q2", "epid2_q1"},
        "realization": {"epid1_q1", "epid1_q2", "epid2_q1"},
        "evidence": {"epid1_q1", "epid2_q1"},
        "evaluation": {"epid1_q1", "epid1_q2"},
        "dialogue_note": {"epid1_q1", "epid2_q1"},
        "rating": {"kabid_p2p", "kasi_surv", "epid1", "epid2"},
        "distribution_check": {"surv"},  # the units of the people below them
        "rating_run": set(),
        "unit_rating": {"surv"},  # the units of the people they supervise
        "survey_result": {"surv"},  # of the units they read
        "service": {"surv"},  # services of the units they read
        "survey": {"surv"},
        "survey_response": set(),  # responses are the Operator's, the Admin's, the Integrator's
        "outgoing_email": set(),  # email is the Admin's and the Operators' to follow
        "rank": ALL,  # reference data (golongan)
        "webhook": set(),
        "webhook_delivery": set(),
        "competency": ALL,
        "training": ALL,
        "position_competency": {"epid", "kabid_p2p"},  # the positions they read
        "assessment": {"epid1", "epid2", "kabid_p2p"},
        "training_record": {"epid1", "kabid_p2p"},
        "recommendation": {"epid1", "epid2", "kabid_p2p"},
        "reward_candidate": {"epid1", "kabid_p2p", "kabid_p2p_2026"},
    },
    # Epidemiolog Satu (Employee): their own records, their unit and its positions.
    "employee": {
        "unit": {"surv"},
        "position": {"kasi_surv", "epid"},
        "employee": {"epid1"},
        "period": ALL,
        "sub_period": ALL,
        "work_plan": {"epid1"},
        "objective": {"epid1"},
        "indicator": {"epid1"},
        "activity": {"epid1"},
        "report": {"epid1_q1", "epid1_q2"},
        "realization": {"epid1_q1", "epid1_q2"},
        "evidence": {"epid1_q1"},
        "evaluation": {"epid1_q1"},  # not epid1_q2's: its evaluation is not decided yet
        "dialogue_note": {"epid1_q1"},
        "rating": {"epid1"},
        "distribution_check": set(),  # no unit's distribution is theirs to follow
        "rating_run": set(),
        "unit_rating": set(),  # an employee supervising nobody follows no unit's predikat
        "survey_result": {"surv"},  # of their own unit's services
        "service": {"surv"},  # the services of their own unit
        "survey": {"surv"},
        "survey_response": set(),
        "outgoing_email": set(),
        "rank": ALL,
        "webhook": set(),
        "webhook_delivery": set(),
        "competency": ALL,
        "training": ALL,
        "position_competency": {"epid"},  # the positions of their unit
        "assessment": {"epid1"},
        "training_record": {"epid1"},
        "recommendation": {"epid1"},
        "reward_candidate": {"epid1"},
    },
}
# Where a role that reads everything reads less: job runs are the Admin's and their
# requester's, so the Integrator reads no run of the ratings job it did not ask for.
NARROWER: dict[tuple[str, str], set[str]] = {
    ("integrator", "rating_run"): set(),
    ("integrator", "outgoing_email"): set(),  # emails are personal
    ("integrator", "webhook"): set(),  # a subscription's URL and events are the Admin's
    ("integrator", "webhook_delivery"): set(),
}
# A row outside everybody's reach but the Admin's and the Integrator's, one that could be
# changed if it were within reach (drafts, today's activity); None: every row is readable.
OUTSIDE: dict[str, str | None] = {
    "unit": "dishub",
    "position": "penguji",
    "employee": "penguji",
    "period": None,
    "sub_period": None,
    "work_plan": "kadishub",
    "objective": "kadishub",
    "indicator": "kadishub",
    "activity": "penguji",
    "report": "penguji_q2",
    "realization": "penguji_q2",
    "evidence": "penguji_q2",
    "evaluation": "penguji_q1",
    "dialogue_note": "penguji_q1",
    "rating": "penguji",
    "distribution_check": "dishub",
    "rating_run": "admin_run",
    "unit_rating": "dishub",
    "survey_result": "dishub",
    "service": "dishub",
    "survey": "dishub",
    "survey_response": "dishub",
    "outgoing_email": "penguji",
    "rank": None,
    "webhook": "tpp",
    "webhook_delivery": "tpp",
    "competency": None,
    "training": None,
    "position_competency": "penguji",
    "assessment": "penguji",
    "training_record": "penguji",
    "recommendation": "penguji",
    "reward_candidate": "penguji",
}
# A row each role may change (None: none), for the screens and the API of the organisation.
MANAGEABLE = {
    "admin": {"unit": "yankes", "position": "perawat", "employee": "perawat"},
    "operator": {"unit": "yankes", "position": "perawat", "employee": "perawat"},
}

# Writes over REST: the verbs each resource offers and the roles holding the right to use
# them (the Supervisor holds the Employee's rights too). Everybody else answers 403, an
# anonymous caller 401; a verb the resource does not offer at all answers 405 to anybody.
WRITERS = {"admin", "operator", "supervisor", "employee"}
WRITES: dict[str, tuple[set[str], set[str]]] = {
    "unit": ({"post", "put", "delete"}, {"admin", "operator"}),
    "position": ({"post", "put", "delete"}, {"admin", "operator"}),
    "employee": ({"post", "put", "delete"}, {"admin", "operator"}),
    "period": ({"post", "put", "delete"}, {"admin"}),
    "sub_period": ({"put"}, {"admin"}),
    "work_plan": ({"post", "delete"}, WRITERS),  # content through objective and indicator
    "objective": ({"post", "put", "delete"}, WRITERS),
    "indicator": ({"post", "put", "delete"}, WRITERS),
    "activity": ({"post", "put", "delete"}, {"admin", "supervisor", "employee"}),
    "report": ({"post", "put", "delete"}, WRITERS),
    "realization": ({"put"}, WRITERS),
    "evidence": ({"post", "delete"}, WRITERS),
    "evaluation": (set(), set()),  # decided through report/<id>/approve
    "dialogue_note": ({"post"}, WRITERS),
    "rating": (set(), set()),  # computed by the ratings job
    "distribution_check": (set(), set()),
    "rating_run": (set(), set()),
    # set by the supervisor of the unit's head (the Kepala Bidang P2P: Seksi Surveilans)
    "unit_rating": ({"post", "put"}, {"admin", "supervisor"}),
    "survey_result": (set(), set()),  # computed by the survey index job
    "service": ({"post", "put", "delete"}, {"admin", "operator"}),
    "survey": ({"post", "put", "delete"}, {"admin", "operator"}),
    "survey_response": (set(), set()),  # the public's answers are kept as given
    "outgoing_email": (set(), set()),  # recorded by the jobs; sent again in the screen
    "rank": (set(), set()),  # reference data, kept by `kinerja init`
    "webhook": ({"post", "put", "delete"}, {"admin"}),
    "webhook_delivery": (set(), set()),  # recorded with the events; replayed by the Admin
    "competency": ({"post", "put", "delete"}, {"admin"}),  # reference data
    "training": ({"post", "put", "delete"}, {"admin"}),
    "position_competency": ({"post", "put", "delete"}, {"admin", "operator"}),
    "assessment": ({"post", "put", "delete"}, {"admin", "operator"}),
    "training_record": ({"post", "put", "delete"}, {"admin", "operator"}),
    "recommendation": (set(), set()),  # computed by the recommendation job
    "reward_candidate": (set(), set()),
}
# Rows a writer may read but not change: changing them answers 404 like OUTSIDE's.
READ_ONLY_FOR = {
    "operator": {"unit": "dinkes"},  # their own top unit belongs to BKPSDM
    "supervisor": {
        "work_plan": "epid2",
        "objective": "epid2",
        "indicator": "epid2",
        "activity": "epid1",
        "report": "epid2_q1",
        "realization": "epid2_q1",
        "evidence": "epid2_q1",
    },
}


def _yesterday() -> str:
    return (date.today() - timedelta(days=1)).isoformat()


# A body that would create a row if the row it names were within reach.
POST_OUTSIDE: dict[str, Any] = {
    "unit": lambda r: {
        "code": "DISHUB.BARU",
        "name": "Bidang Baru",
        "kind": "bidang",
        "parent": r.one("unit", "dishub"),
    },
    "position": lambda r: {
        "code": "DISHUB.BARU",
        "name": "Jabatan Baru",
        "kind": "pelaksana",
        "unit": r.one("unit", "dishub"),
        "supervisor": r.one("position", "kadishub"),
        "grade": 7,
    },
    "employee": lambda r: {
        "nip": make_nip(),
        "name": "Pegawai Baru",
        "employment_type": "pns",
        "unit": r.one("unit", "dishub"),
        "position": r.one("position", "penguji"),
    },
    "period": lambda r: {"year": 2030},
    "sub_period": lambda r: {"name": "Triwulan V"},
    "work_plan": lambda r: {
        "period": r.one("period", "2026"),
        "employee": r.one("employee", "sekda"),
    },
    "objective": lambda r: {
        "work_plan": r.one("work_plan", "kadishub"),
        "kind": "main",
        "text": "Sasaran Baru",
    },
    "indicator": lambda r: {
        "objective": r.one("objective", "kadishub"),
        "text": "Indikator Baru",
        "aspect": "quantity",
        "target": 5,
        "unit": "dokumen",
        "accumulation": "sum",
    },
    "activity": lambda r: {
        "day": _yesterday(),
        "description": "Kegiatan baru",
        "duration_minutes": 30,
        "indicator": r.one("indicator", "penguji"),
    },
    "report": lambda r: {
        "work_plan": r.one("work_plan", "penguji"),
        "sub_period": r.one("sub_period", "q3"),
    },
    "realization": lambda r: {"report": r.one("report", "penguji_q2"), "value": 1},
    "evidence": lambda r: {
        "report": r.one("report", "penguji_q2"),
        "url": "https://bukti.example/x",
    },
    "evaluation": lambda r: {"report": r.one("report", "penguji_q2"), "feedback": "Baik"},
    "dialogue_note": lambda r: {"report": r.one("report", "penguji_q1"), "text": "Catatan baru"},
    "rating": lambda r: {"work_plan": r.one("work_plan", "penguji"), "predikat": "sangat_baik"},
    "distribution_check": lambda r: {
        "unit": r.one("unit", "dishub"),
        "period": r.one("period", "2026"),
    },
    "rating_run": lambda r: {"name": "compute_period_ratings", "args": [1]},
    "unit_rating": lambda r: {
        "unit": r.one("unit", "dishub"),
        "period": r.one("period", "2026"),
        "predikat": "baik",
    },
    "survey_result": lambda r: {"responses": 1, "required": 1, "ikm": 100},
    "service": lambda r: {
        "unit": r.one("unit", "dishub"),
        "name": "Layanan Baru",
        "yearly_population": 50,
    },
    "survey": lambda r: {
        "service": r.one("service", "dishub"),
        "period": r.one("period", "2026"),
        "opens_on": "2026-11-01",
        "closes_on": "2026-11-30",
    },
    "survey_response": lambda r: {"survey": r.one("survey", "dishub"), "a1": 4},
    "outgoing_email": lambda r: {"address": "x@uji.example", "subject": "X", "text_body": "X"},
    "rank": lambda r: {"code": "X/x", "name": "X", "employment_type": "pns"},
    "webhook": lambda r: {"url": "https://tpp.example/baru", "events": ["employee.changed"]},
    "webhook_delivery": lambda r: {"event_type": "employee.changed"},
    "competency": lambda r: {"code": "T.BARU", "category": "technical", "name": "Baru"},
    "training": lambda r: {"title": "Pelatihan Baru", "mode": "classical", "jp": 8},
    "position_competency": lambda r: {
        "position": r.one("position", "penguji"),
        "competency": r.one("competency", "m05"),
        "required_level": 3,
    },
    "assessment": lambda r: {
        "employee": r.one("employee", "penguji"),
        "competency": r.one("competency", "m05"),
        "level": 3,
        "assessed_on": _yesterday(),
        "source": "supervisor",
    },
    "training_record": lambda r: {
        "employee": r.one("employee", "penguji"),
        "title": "Pelatihan Baru",
        "mode": "classical",
        "jp": 8,
        "completed_on": _yesterday(),
    },
    "recommendation": lambda r: {
        "employee": r.one("employee", "penguji"),
        "training": r.one("training", "kerja_sama"),
        "year": 2026,
        "rank": 9,
    },
    "reward_candidate": lambda r: {"employee": r.one("employee", "penguji"), "year": 2026},
}
# A change that would be saved if the row were within reach.
PUT_BODY: dict[str, dict[str, Any]] = {
    "unit": {"name": "Nama Baru"},
    "position": {"name": "Nama Baru"},
    "employee": {"name": "Nama Baru"},
    "period": {"name": "Periode Baru"},
    "sub_period": {"name": "Triwulan Baru"},
    "work_plan": {"return_reason": "Diubah"},
    "objective": {"text": "Teks Baru"},
    "indicator": {"text": "Teks Baru"},
    "activity": {"description": "Diubah"},
    "report": {"note": "Catatan baru"},
    "realization": {"value": 7},
    "evidence": {"description": "Diubah"},
    "evaluation": {"feedback": "Diubah"},
    "dialogue_note": {"text": "Diubah"},
    "rating": {"predikat": "sangat_baik", "final": True},
    "distribution_check": {"warnings": []},
    "rating_run": {"status": "queued"},
    "unit_rating": {"predikat": "kurang"},
    "survey_result": {"ikm": 100, "grade": "A"},
    "service": {"name": "Nama Baru"},
    "survey": {"closes_on": "2026-12-31"},
    "survey_response": {"comment": "Diubah"},
    "outgoing_email": {"status": "pending"},
    "rank": {"name": "Diubah"},
    "webhook": {"description": "Diubah"},
    "webhook_delivery": {"status": "pending"},
    "competency": {"name": "Nama Baru"},
    "training": {"title": "Judul Baru"},
    "position_competency": {"required_level": 2},
    "assessment": {"level": 1},
    "training_record": {"jp": 3},
    "recommendation": {"rank": 9},
    "reward_candidate": {"predikat": "baik"},
}

# Related-field choices that ``_info`` offers, by the rule of each field: (related
# resource, rows offered to each role). The same rule serves the add and the edit form.
NOTHING: set[str] = set()


def offered(
    *,
    admin: set[str] | None = ALL,
    integrator: set[str] | None = NOTHING,
    operator: set[str] | None = NOTHING,
    supervisor: set[str] | None = NOTHING,
    employee: set[str] | None = NOTHING,
) -> dict[str, set[str] | None]:
    """By default the rule of a manage scope: everything for the Admin, nothing for others."""
    return {
        "admin": admin,
        "integrator": integrator,
        "operator": operator,
        "supervisor": supervisor,
        "employee": employee,
    }


CHOICES: dict[tuple[str, str], tuple[str, dict[str, set[str] | None]]] = {
    ("unit", "parent"): ("unit", offered(operator=DINKES_UNITS)),
    ("position", "unit"): ("unit", offered(operator=DINKES_UNITS)),
    # the head of an OPD reports to the Sekda, outside the Operator's units
    ("position", "supervisor"): ("position", offered(operator={"sekda", *DINKES_POSITIONS})),
    ("employee", "unit"): ("unit", offered(operator=DINKES_UNITS)),
    ("employee", "position"): ("position", offered(operator=DINKES_POSITIONS)),
    ("work_plan", "period"): ("period", dict.fromkeys(ROLES, ALL)),  # open periods: all here
    ("work_plan", "employee"): (
        "employee",
        offered(operator=DINKES_PEOPLE, supervisor={"kabid_p2p"}, employee={"epid1"}),
    ),
    ("objective", "work_plan"): (
        "work_plan",
        offered(operator=DINKES_PLANS, supervisor={"kabid_p2p"}, employee={"epid1"}),
    ),
    # the objectives of the supervisors of those whose plans one writes, to cascade from
    # (the Kepala Bidang's supervisor, the Kepala Dinas, has no plan)
    ("objective", "parent"): (
        "objective",
        offered(operator={"kabid_p2p", "kasi_surv"}, employee={"kasi_surv"}),
    ),
    ("indicator", "objective"): (
        "objective",
        offered(operator=DINKES_PLANS, supervisor={"kabid_p2p"}, employee={"epid1"}),
    ),
    # the indicators of one's own plans in open periods
    ("activity", "indicator"): (
        "indicator",
        offered(admin=NOTHING, supervisor={"kabid_p2p"}, employee={"epid1"}),
    ),
    ("report", "work_plan"): (
        "work_plan",
        offered(operator=DINKES_PLANS, supervisor={"kabid_p2p"}, employee={"epid1"}),
    ),
    # reports one writes (the Kepala Bidang has none of their own)
    ("evidence", "report"): (
        "report",
        offered(operator={"epid1_q1", "epid1_q2", "epid2_q1"}, employee={"epid1_q1", "epid1_q2"}),
    ),
    # read scopes
    ("evidence", "indicator"): (
        "indicator",
        offered(
            integrator=ALL,
            operator=DINKES_PLANS,
            supervisor=DINKES_PLANS,
            employee={"epid1"},
        ),
    ),
    ("dialogue_note", "report"): (
        "report",
        offered(
            integrator=ALL,
            operator={"epid1_q1", "epid1_q2", "epid2_q1"},
            supervisor={"epid1_q1", "epid1_q2", "epid2_q1"},
            employee={"epid1_q1", "epid1_q2"},
        ),
    ),
    # units whose head one supervises (the Admin: all)
    ("unit_rating", "unit"): ("unit", offered(supervisor={"surv"})),
    ("unit_rating", "period"): ("period", dict.fromkeys(ROLES, ALL)),
    ("service", "unit"): ("unit", offered(operator=DINKES_UNITS)),
    ("service", "positions"): ("position", offered(operator=DINKES_POSITIONS)),
    ("survey", "service"): ("service", offered(operator={"yankes", "surv"})),
    ("survey", "period"): ("period", dict.fromkeys(ROLES, ALL)),
    ("position_competency", "position"): ("position", offered(operator=DINKES_POSITIONS)),
    ("assessment", "employee"): ("employee", offered(operator=DINKES_PEOPLE)),
    ("training_record", "employee"): ("employee", offered(operator=DINKES_PEOPLE)),
}
# Reference rows every signed-in person may read: offered whole, by design.
REFERENCE_CHOICES = {
    ("employee", "rank"),
    ("report", "sub_period"),
    ("sub_period", "period"),
    ("position_competency", "competency"),
    ("assessment", "competency"),
    ("training_record", "training"),
}
# Forms of verbs a resource does not offer: ``_info`` describes no field of them at all (it
# once listed every related row of every default column there, to anybody).
NOT_OFFERED = {
    ("work_plan", "edit"),
    ("realization", "add"),
    ("evidence", "edit"),
    ("evaluation", "add"),
    ("evaluation", "edit"),
    ("dialogue_note", "edit"),
    ("sub_period", "add"),
    ("survey_response", "add"),
    ("survey_response", "edit"),
    *(
        (resource, form)
        for resource in (
            "rating",
            "distribution_check",
            "rating_run",
            "survey_result",
            "outgoing_email",
            "rank",
            "webhook_delivery",
            "recommendation",
            "reward_candidate",
        )
        for form in ("add", "edit")
    ),
}


# --- rows and helpers -------------------------------------------------------------------------


@dataclass
class Rows:
    """Ids of the named rows of every resource."""

    ids: dict[str, dict[str, set[int]]]

    def of(self, resource: str, names: set[str] | None) -> set[int]:
        named = self.ids[resource]
        chosen = named.values() if names is None else [named[name] for name in names]
        return set().union(*chosen)

    def one(self, resource: str, name: str) -> int:
        return min(self.ids[resource][name])

    def names(self, resource: str, ids: set[int]) -> set[str]:
        return {name for name, own in self.ids[resource].items() if own & ids} | {
            f"#{i}" for i in ids - self.of(resource, None)
        }


def build_webhook() -> tuple[WebhookSubscription, WebhookDelivery]:
    """A subscription (made after the records: their events went to nobody) and a delivery."""
    hook = WebhookSubscription(url="https://tpp.example/hook", events=["plan.approved"])
    save_subscription(hook, SYSTEM)
    delivered = WebhookDelivery(
        subscription_id=hook.id,
        event_id="00000000-0000-4000-8000-000000000001",
        event_type="plan.approved",
        occurred_at=utcnow(),
        data={"work_plan": 1},
        status=DeliveryStatus.DELIVERED,
    )
    db.session.add(delivered)
    db.session.commit()
    return hook, delivered


def _recorded_by_approvals(made: object) -> set[int]:
    """The feedback emails that the records' approved evaluations recorded themselves."""
    ids = {row.id for row in vars(made).values()}
    found = set(db.session.scalars(select(OutgoingEmail.id).where(OutgoingEmail.id.not_in(ids))))
    assert found, "an approved evaluation records its feedback email"
    return found


@pytest.fixture
def rows(org: Org, planning: Planning, reporting: Reporting) -> Rows:
    records = build_records(org, planning, reporting)
    rated = build_ratings(org, planning, records)
    unit_ratings = build_unit_ratings(org, planning)
    surveyed = build_surveys(org, planning.period)
    survey_results = computed_results({n: s.id for n, s in vars(surveyed.surveys).items()})
    emails = build_emails(org)
    hook, delivered = build_webhook()
    development = build_development(org)
    reports = vars(records.reports)
    return Rows(
        {
            "unit": {name: {row.id} for name, row in vars(org.units).items()},
            "position": {name: {row.id} for name, row in vars(org.positions).items()},
            "employee": {name: {row.id} for name, row in vars(org.employees).items()},
            "period": {str(planning.period.year): {planning.period.id}},
            "sub_period": {f"q{s.number}": {s.id} for s in planning.period.sub_periods},
            "work_plan": {name: {plan.id} for name, plan in vars(records.plans).items()},
            "objective": {
                name: {o.id for o in plan.objectives} for name, plan in vars(records.plans).items()
            },
            "indicator": {
                name: {i.id for o in plan.objectives for i in o.indicators}
                for name, plan in vars(records.plans).items()
            },
            "activity": {name: {row.id} for name, row in vars(records.activities).items()},
            "report": {name: {report.id} for name, report in reports.items()},
            "realization": {
                name: {line.id for line in report.realizations} for name, report in reports.items()
            },
            "evidence": {name: {row.id} for name, row in vars(records.evidence).items()},
            "evaluation": {
                name: {report.evaluation.id}
                for name, report in reports.items()
                if report.evaluation is not None
            },
            "dialogue_note": {name: {row.id} for name, row in vars(records.notes).items()},
            "rating": {name: {row.id} for name, row in vars(rated.ratings).items()},
            "distribution_check": {name: {row.id} for name, row in vars(rated.checks).items()},
            "rating_run": {name: {row.id} for name, row in vars(rated.runs).items()},
            "unit_rating": {name: {row.id} for name, row in vars(unit_ratings).items()},
            "survey_result": {name: {row.id} for name, row in survey_results.items()},
            "service": {name: {row.id} for name, row in vars(surveyed.services).items()},
            "survey": {name: {row.id} for name, row in vars(surveyed.surveys).items()},
            "survey_response": {name: {row.id} for name, row in vars(surveyed.responses).items()},
            "outgoing_email": {
                **{name: {row.id} for name, row in vars(emails).items()},
                "approved": _recorded_by_approvals(emails),
            },
            "rank": {code: {id_} for code, id_ in db.session.execute(select(Rank.code, Rank.id))},
            "webhook": {"tpp": {hook.id}},
            "webhook_delivery": {"tpp": {delivered.id}},
            "competency": {name: {pk} for name, pk in development.competencies.items()},
            "training": {name: {pk} for name, pk in development.trainings.items()},
            "position_competency": {
                name: set(lines) for name, lines in development.standards.items()
            },
            "assessment": {name: {pk} for name, pk in development.assessments.items()},
            "training_record": {name: {pk} for name, pk in development.records.items()},
            "recommendation": development.recommendations,
            "reward_candidate": {
                name: {pk}
                for name, pk in {
                    **development.candidates,
                    **development.computed_candidates,
                }.items()
            },
        }
    )


def rest_resources(app: Flask) -> list[str]:
    """Every registered ModelRestApi: a new one is covered (or fails) without a new test."""
    return sorted(
        view.resource_name
        for view in app.appbuilder.baseviews  # type: ignore[attr-defined]
        if isinstance(view, ModelRestApi)
    )


def visible(role: str, resource: str) -> set[str] | None:
    if (role, resource) in NARROWER:
        return NARROWER[role, resource]
    return ALL if role in SEES_ALL else VISIBLE[role][resource]


def _headers(client: FlaskClient, role: str) -> dict[str, str]:
    return {} if role == "anonymous" else api_token(client, role)


def _rows(org: Org, resource: str) -> dict[str, Any]:
    return vars(getattr(org, RESOURCES[resource][2]))


def _keys(org: Org, resource: str, names: set[str] | None) -> set[str]:
    rows = _rows(org, resource)
    column = RESOURCES[resource][3]
    chosen = rows.values() if names is None else [rows[n] for n in names]
    return {getattr(row, column) for row in chosen}


# --- screens of the organisation --------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_screens_show_exactly_the_rows_in_scope(
    client: FlaskClient, org: Org, role: str, resource: str
) -> None:
    route, _api, _attr, key = RESOURCES[resource]
    expected = _keys(org, resource, visible(role, resource))
    login(client, role)

    listing = client.get(f"{route}/list/?psize_{resource.title()}View=100")
    assert listing.status_code == 200
    shown_ids = {
        int(i) for i in re.findall(rf'href="{route}/show/(\d+)"', listing.get_data(as_text=True))
    }
    by_id = {row.id: getattr(row, key) for row in _rows(org, resource).values()}
    assert {by_id[i] for i in shown_ids} == expected

    export = client.get(f"{route}/export/")
    assert export.status_code == 200
    table = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    exported = {line[0] for line in table[1:]}
    assert exported == expected

    inside = sorted(visible(role, resource) or _rows(org, resource))[0]
    assert client.get(f"{route}/show/{_rows(org, resource)[inside].id}").status_code == 200
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    expected_outside = 200 if visible(role, resource) is None else 404
    assert client.get(f"{route}/show/{outside_id}").status_code == expected_outside


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_screens_allow_changes_only_within_the_manage_scope(
    client: FlaskClient, org: Org, role: str, resource: str
) -> None:
    route = RESOURCES[resource][0]
    login(client, role)
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    if role not in MANAGEABLE:
        assert client.get(f"{route}/add").status_code == 403
        assert client.get(f"{route}/edit/{outside_id}").status_code == 403
        assert client.post(f"{route}/delete/{outside_id}").status_code == 403
        return
    mine = _rows(org, resource)[MANAGEABLE[role][resource]].id
    assert client.get(f"{route}/add").status_code == 200
    assert client.get(f"{route}/edit/{mine}").status_code == 200
    expected = 200 if role == "admin" else 404
    assert client.get(f"{route}/edit/{outside_id}").status_code == expected
    if role == "operator":
        assert client.post(f"{route}/delete/{outside_id}").status_code == 404


def test_operator_cannot_edit_or_delete_their_own_top_unit(client, org: Org) -> None:
    login(client, "operator")
    assert client.get(f"/units/show/{org.units.dinkes.id}").status_code == 200
    assert client.get(f"/units/edit/{org.units.dinkes.id}").status_code == 404
    assert client.post(f"/units/delete/{org.units.dinkes.id}").status_code == 404


@pytest.mark.parametrize("resource", list(RESOURCES))
def test_anonymous_reaches_no_screen(client: FlaskClient, org: Org, resource: str) -> None:
    route = RESOURCES[resource][0]
    assert client.get(f"{route}/list/").status_code == 302  # to the login page
    assert client.get(f"{route}/export/").status_code == 302


def test_related_choices_offer_only_the_operators_units(client, org: Org) -> None:
    login(client, "operator")
    for route in ("/employees/choices/unit/", "/positions/choices/unit/", "/units/choices/parent/"):
        offered = {row["text"] for row in client.get(route).get_json()["results"]}
        assert offered, route
        assert all("DINKES" in text for text in offered), (route, offered)


# --- every REST resource ----------------------------------------------------------------------


def test_every_rest_resource_has_its_expectations(app: Flask, rows: Rows) -> None:
    """A new resource must name its rows and say who reads which, who writes and how."""
    registered = set(rest_resources(app))
    tables = {
        "rows (fixture)": rows.ids,
        "VISIBLE[operator]": VISIBLE["operator"],
        "VISIBLE[supervisor]": VISIBLE["supervisor"],
        "VISIBLE[employee]": VISIBLE["employee"],
        "OUTSIDE": OUTSIDE,
        "WRITES": WRITES,
        "POST_OUTSIDE": POST_OUTSIDE,
        "PUT_BODY": PUT_BODY,
    }
    problems = [
        f"{name}: missing {sorted(registered - set(table))}, "
        f"unknown {sorted(set(table) - registered)}"
        for name, table in tables.items()
        if set(table) != registered
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", API_ROLES)
def test_api_lists_exactly_the_rows_within_reach(
    client: FlaskClient, app: Flask, rows: Rows, role: str
) -> None:
    """Every resource's list holds the role's rows, no more, no fewer; anonymous gets 401."""
    headers = _headers(client, role)
    failures = []
    for resource in rest_resources(app):
        listing = client.get(f"/api/v1/{resource}/?q=(page_size:100)", headers=headers)
        if role == "anonymous":
            if listing.status_code != 401:
                failures.append(f"{resource}: {listing.status_code}, not 401")
            continue
        if listing.status_code != 200:
            failures.append(f"{resource}: {listing.status_code}")
            continue
        body = listing.get_json()
        got = {row["id"] for row in body["result"]}
        expected = rows.of(resource, visible(role, resource))
        if got != expected or body["count"] != len(expected):
            failures.append(
                f"{resource}: extra {sorted(rows.names(resource, got - expected))}, "
                f"missing {sorted(rows.names(resource, expected - got))}, count {body['count']}"
            )
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", API_ROLES)
def test_api_answers_404_for_a_row_outside_reach(
    client: FlaskClient, app: Flask, rows: Rows, role: str
) -> None:
    """Each named row answers 200 within reach and 404 outside it (not 403: ids cannot be
    probed); anonymous gets 401."""
    headers = _headers(client, role)
    failures = []
    for resource in rest_resources(app):
        reach = rows.of(resource, visible(role, resource) if role != "anonymous" else set())
        for name in sorted(rows.ids[resource]):
            pk = rows.one(resource, name)
            expected = 401 if role == "anonymous" else 200 if pk in reach else 404
            status = client.get(f"/api/v1/{resource}/{pk}", headers=headers).status_code
            if status != expected:
                failures.append(f"GET {resource} {name} ({pk}): {status}, not {expected}")
            if role == "anonymous":
                break
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _info(client: FlaskClient, resource: str, headers: dict[str, str]) -> Any:
    """``_info`` with every related field's choices on one page."""
    keys = prison.dumps({"keys": ["add_columns", "edit_columns"]})
    response = client.get(f"/api/v1/{resource}/_info?q={keys}", headers=headers)
    if response.status_code != 200:
        return response
    fields = {
        field["name"]
        for form in ("add_columns", "edit_columns")
        for field in response.get_json()[form]
        if "values" in field
    }
    paged = {name: {"page": 0, "page_size": 100} for name in fields}
    query = prison.dumps(
        {"keys": ["add_columns", "edit_columns"], "add_columns": paged, "edit_columns": paged}
    )
    return client.get(f"/api/v1/{resource}/_info?q={query}", headers=headers)


@pytest.mark.parametrize("role", API_ROLES)
def test_api_info_offers_related_rows_only_within_reach(
    client: FlaskClient, app: Flask, rows: Rows, role: str
) -> None:
    """`_info` offers exactly the related rows each field's rule allows the role, and
    describes no form of a verb the resource does not offer."""
    headers = _headers(client, role)
    failures = []
    for resource in rest_resources(app):
        response = _info(client, resource, headers)
        if role == "anonymous":
            if response.status_code != 401:
                failures.append(f"{resource}/_info: {response.status_code}, not 401")
            continue
        if response.status_code != 200:
            failures.append(f"{resource}/_info: {response.status_code}")
            continue
        for form in ("add", "edit"):
            described = response.get_json()[f"{form}_columns"]
            if (resource, form) in NOT_OFFERED:
                if described:
                    failures.append(f"{resource} ({form}): describes a verb it does not offer")
                continue
            for field in described:
                if "values" not in field:
                    continue
                name = field["name"]
                if (resource, name) in REFERENCE_CHOICES:
                    continue
                if (resource, name) not in CHOICES:
                    failures.append(f"{resource}.{name} ({form}): no expectation for its choices")
                    continue
                related, by_role = CHOICES[resource, name]
                expected = rows.of(related, by_role[role])
                offered = {value["id"] for value in field["values"]}
                if offered != expected or field["count"] != len(expected):
                    failures.append(
                        f"{resource}.{name} ({form}): extra "
                        f"{sorted(rows.names(related, offered - expected))}, missing "
                        f"{sorted(rows.names(related, expected - offered))}"
                    )
    assert not failures, f"{role}:\n" + "\n".join(failures)


def _every_row(client: FlaskClient, admin: dict[str, str], resource: str) -> Any:
    """All rows of a resource as the Admin reads them: any write would show here."""
    return client.get(f"/api/v1/{resource}/?q=(page_size:100)", headers=admin).get_json()


def _write(client: FlaskClient, verb: str, resource: str, pk: int, body: Any, headers: Any) -> Any:
    if verb == "post":
        return client.post(f"/api/v1/{resource}/", json=body, headers=headers)
    if verb == "put":
        return client.put(f"/api/v1/{resource}/{pk}", json=body, headers=headers)
    return client.delete(f"/api/v1/{resource}/{pk}", headers=headers)


def _targets(rows: Rows, role: str, resource: str, may_write: bool) -> list[str]:
    """Rows to change: the one outside reach, and one the role reads but may not change."""
    targets = {OUTSIDE[resource]} - {None}
    if may_write and resource in READ_ONLY_FOR.get(role, {}):
        targets.add(READ_ONLY_FOR[role][resource])
    if not may_write and role != "anonymous":
        targets.add(sorted(visible(role, resource) or rows.ids[resource])[0])
    return sorted(targets) or sorted(rows.ids[resource])[:1]  # every row is readable


@pytest.mark.parametrize("role", [r for r in API_ROLES if r != "admin"])
def test_api_refuses_writes_without_the_right_or_outside_reach(
    client: FlaskClient, app: Flask, rows: Rows, role: str
) -> None:
    """Without the right, every write answers 403 (401 anonymous) even on a readable row;
    with it, a row outside the manage scope answers 404 and a new row pointing outside
    422; a verb not offered answers 405; nothing changes either way."""
    admin = api_token(client, "admin")
    headers = _headers(client, role)
    failures = []
    for resource in rest_resources(app):
        offered, writers = WRITES[resource]
        may_write = role in writers
        before = _every_row(client, admin, resource)
        for verb in ("post", "put", "delete"):
            if verb not in offered:
                expected = 405  # not routed at all, whoever asks
            elif may_write:
                expected = 422 if verb == "post" else 404
            elif role == "anonymous":
                expected = 401
            else:
                expected = 403
            targets = _targets(rows, role, resource, may_write) if verb != "post" else [""]
            for target in targets:
                pk = rows.one(resource, target) if target else 0
                body = POST_OUTSIDE[resource](rows) if verb == "post" else PUT_BODY[resource]
                response = _write(client, verb, resource, pk, body, headers)
                if response.status_code != expected:
                    failures.append(
                        f"{verb.upper()} {resource} {target}: {response.status_code}, not "
                        f"{expected} {response.get_json(silent=True)}"
                    )
        if _every_row(client, admin, resource) != before:
            failures.append(f"{resource}: a write went through")
    assert not failures, f"{role}:\n" + "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("resource", list(RESOURCES))
def test_api_allows_changes_only_within_the_manage_scope(
    client: FlaskClient, org: Org, role: str, resource: str
) -> None:
    api = RESOURCES[resource][1]
    headers = api_token(client, role)
    outside_id = _rows(org, resource)[OUTSIDE[resource]].id
    if role not in MANAGEABLE:
        assert client.post(f"/api/v1/{api}/", json={}, headers=headers).status_code == 403
        assert (
            client.put(f"/api/v1/{api}/{outside_id}", json={}, headers=headers).status_code == 403
        )
        assert client.delete(f"/api/v1/{api}/{outside_id}", headers=headers).status_code == 403
        return
    mine = _rows(org, resource)[MANAGEABLE[role][resource]]
    changed = client.put(f"/api/v1/{api}/{mine.id}", json={"name": "Nama Baru"}, headers=headers)
    assert changed.status_code == 200, changed.get_json()
    expected = 200 if role == "admin" else 404
    response = client.put(f"/api/v1/{api}/{outside_id}", json={"name": "X"}, headers=headers)
    assert response.status_code == expected
    if role == "operator":
        assert client.delete(f"/api/v1/{api}/{outside_id}", headers=headers).status_code == 404
