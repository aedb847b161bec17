"""Examples of the main resources for the OpenAPI spec, keyed by resource and by the
component they illustrate (``get`` is a row as read, ``post``/``put`` the body FAB's
schema takes, other names a resource's own body or result schema).

They are real-looking rows of the demo city (the NIP is valid), and the contract test
checks each against its schema, so an example cannot drift from the answers.
"""

from __future__ import annotations

from typing import Any

_STAMP = "2026-01-10T01:00:00+00:00"

EXAMPLES: dict[str, dict[str, dict[str, Any]]] = {
    "unit": {
        "get": {
            "id": 5,
            "code": "DINKES",
            "name": "Dinas Kesehatan",
            "kind": "opd",
            "parent_id": 1,
            "active": True,
            "path": "Pemerintah Kota Sibolga / Dinas Kesehatan",
            "created_at": _STAMP,
            "updated_at": _STAMP,
        },
        "post": {"code": "DINKES.P2P", "name": "Bidang P2P", "kind": "bidang", "parent": 5},
    },
    "employee": {
        "get": {
            "id": 41,
            "nip": "196811151992021002",
            "name": "Rahmat Hidayat",
            "email": "rahmat.hidayat@sibolgakota.go.id",
            "phone": "+6281234567890",
            "employment_type": "pns",
            "rank_id": 11,
            "unit_id": 5,
            "position_id": 17,
            "user_id": 23,
            "active": True,
            "created_at": _STAMP,
            "updated_at": _STAMP,
        },
        "post": {
            "nip": "196811151992021002",
            "name": "Rahmat Hidayat",
            "employment_type": "pns",
            "unit": 5,
            "position": 17,
        },
    },
    "work_plan": {
        "get": {
            "id": 12,
            "period_id": 3,
            "employee_id": 41,
            "position_id": 17,
            "unit_id": 5,
            "status": "approved",
            "version": 1,
            "submitted_at": "2026-01-14T02:10:00+00:00",
            "decided_at": "2026-01-15T07:30:00+00:00",
            "return_reason": None,
            "created_at": _STAMP,
            "updated_at": "2026-01-15T07:30:00+00:00",
        },
        "NewPlan": {"period": 3, "employee": 41, "source": "previous"},
        "PlanState": {"id": 12, "status": "draft", "version": 1},
    },
    "report": {
        "get": {
            "id": 88,
            "work_plan_id": 12,
            "sub_period_id": 9,
            "employee_id": 41,
            "unit_id": 5,
            "status": "submitted",
            "plan_version": 1,
            "note": "Capaian triwulan I sesuai rencana.",
            "submitted_at": "2026-04-03T03:00:00+00:00",
            "decided_at": None,
            "return_reason": None,
            "created_at": "2026-04-01T02:00:00+00:00",
            "updated_at": "2026-04-03T03:00:00+00:00",
        },
        "NewReport": {"work_plan": 12, "sub_period": 9},
        "ReportState": {"id": 88, "status": "draft"},
    },
    "evaluation": {
        "get": {
            "id": 30,
            "report_id": 88,
            "employee_id": 41,
            "results": "as_expected",
            "suggested_results": "as_expected",
            "behaviour": "above",
            "suggested_behaviour": "as_expected",
            "predikat": "baik",
            "feedback": "Pertahankan ketepatan waktu laporan.",
            "indicator_levels": [{"indicator_id": 301, "level": "as_expected"}],
            "evaluator_id": 7,
            "decided_at": "2026-04-10T04:00:00+00:00",
            "created_at": "2026-04-09T04:00:00+00:00",
            "updated_at": "2026-04-10T04:00:00+00:00",
        },
    },
}
