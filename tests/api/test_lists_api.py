"""The lists of the REST resources: filters on columns and on ``updated_at``, ordering with
ties broken by id, the page cap, keyset paging, ``expand`` within the caller's reach, the
``rank`` resource, and evaluations and ratings by period and sub-period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import prison
from sqlalchemy import select, update

from kinerja.extensions import db
from kinerja.models.org import Employee, Rank
from kinerja.models.reports import Evaluation
from tests.factories import Org, Planning, Reporting, api_token, build_ratings, build_records


def _list(client: Any, resource: str, headers: dict[str, str], **query: Any) -> Any:
    return client.get(
        f"/api/v1/{resource}/", query_string={"q": prison.dumps(query)}, headers=headers
    )


def _ids(client: Any, resource: str, headers: dict[str, str], **query: Any) -> list[int]:
    response = _list(client, resource, headers, **query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["ids"]


def _stamp_all(moment: datetime) -> None:
    db.session.execute(update(Employee).values(updated_at=moment))
    db.session.commit()


def test_employees_filter_on_their_columns(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    nip = org.employees.perawat.nip
    assert _ids(
        client, "employee", headers, filters=[{"col": "nip", "opr": "eq", "value": nip}]
    ) == [org.employees.perawat.id]
    by_name = _ids(
        client, "employee", headers, filters=[{"col": "name", "opr": "ct", "value": "Epidemiolog"}]
    )
    assert sorted(by_name) == sorted([org.employees.epid1.id, org.employees.epid2.id])


def test_updated_at_filters_find_what_changed_after_a_moment(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    before = datetime(2026, 1, 1, tzinfo=UTC)
    _stamp_all(before)
    db.session.execute(
        update(Employee)
        .where(Employee.id == org.employees.penguji.id)
        .values(updated_at=before + timedelta(hours=1))
    )
    db.session.commit()
    moment = (before + timedelta(minutes=30)).isoformat()
    newer = _ids(
        client, "employee", headers, filters=[{"col": "updated_at", "opr": "gt", "value": moment}]
    )
    older = _ids(
        client, "employee", headers, filters=[{"col": "updated_at", "opr": "lt", "value": moment}]
    )
    assert newer == [org.employees.penguji.id]
    assert org.employees.penguji.id not in older and len(older) == 9


def test_order_by_updated_at_breaks_ties_by_id(client, org: Org) -> None:
    headers = api_token(client, "admin")
    _stamp_all(datetime(2026, 1, 1, tzinfo=UTC))
    everyone = sorted(db.session.scalars(select(Employee.id)))
    ascending = _ids(client, "employee", headers, order_column="updated_at", order_direction="asc")
    descending = _ids(
        client, "employee", headers, order_column="updated_at", order_direction="desc"
    )
    assert ascending == everyone
    assert descending == everyone[::-1]


def test_a_page_larger_than_the_cap_is_a_400_naming_page_size(client, org: Org) -> None:
    headers = api_token(client, "admin")
    refused = _list(client, "employee", headers, page_size=501)
    assert refused.status_code == 400
    assert "page_size" in refused.get_json()["fields"]
    assert _list(client, "employee", headers, page_size=500).status_code == 200


def test_keyset_paging_skips_and_repeats_nothing_when_rows_share_updated_at(
    client, org: Org
) -> None:
    headers = api_token(client, "admin")
    _stamp_all(datetime(2026, 1, 1, tzinfo=UTC))  # one statement: one updated_at for all
    seen: list[int] = []
    query: dict[str, Any] = {"order_column": "updated_at", "order_direction": "asc", "page_size": 3}
    for _ in range(10):
        body = _list(client, "employee", headers, **query).get_json()
        seen += body["ids"]
        if "next_after" not in body:
            break
        query["after"] = body["next_after"]
    assert seen == sorted(db.session.scalars(select(Employee.id)))


def test_a_cursor_that_is_not_one_is_a_400_naming_after(client, org: Org) -> None:
    headers = api_token(client, "admin")
    for query in (
        {"order_column": "updated_at", "after": "rubbish"},
        {"order_column": "name", "after": "WzEsMV0"},
    ):
        refused = _list(client, "employee", headers, **query)
        assert refused.status_code == 400, query
        assert "after" in refused.get_json()["fields"]


def test_count_is_left_out_when_not_wanted(client, org: Org) -> None:
    headers = api_token(client, "admin")
    assert _list(client, "employee", headers).get_json()["count"] == 10
    assert "count" not in _list(client, "employee", headers, count=False).get_json()


def test_expand_names_the_unit_and_the_golongan_of_employees(client, org: Org) -> None:
    headers = api_token(client, "integrator")
    body = _list(
        client,
        "employee",
        headers,
        expand=["unit", "rank"],
        filters=[{"col": "nip", "opr": "eq", "value": org.employees.epid1.nip}],
    ).get_json()
    (row,) = body["result"]
    assert row["unit"]["code"] == "DINKES.P2P.SURV" and row["unit"]["id"] == row["unit_id"]
    assert row["rank"]["golongan"] == "III/a" and row["rank"]["id"] == row["rank_id"]


def test_an_operator_never_sees_another_units_row_through_expand(client, org: Org) -> None:
    headers = api_token(client, "operator")  # Operator of Dinas Kesehatan
    body = _list(client, "position", headers, expand=["supervisor", "unit"]).get_json()
    rows = {row["id"]: row for row in body["result"]}
    kadinkes, kabid = rows[org.positions.kadinkes.id], rows[org.positions.kabid_p2p.id]
    assert kadinkes["supervisor_id"] == org.positions.sekda.id  # the Sekda, in the Setda
    assert kadinkes["supervisor"] is None
    assert kabid["supervisor"]["code"] == "KADINKES"
    assert {row["unit"]["code"][:6] for row in body["result"]} == {"DINKES"}


def test_expanding_what_a_resource_does_not_offer_is_a_400_naming_expand(client, org: Org) -> None:
    headers = api_token(client, "admin")
    refused = _list(client, "employee", headers, expand=["user"])
    assert refused.status_code == 400
    assert "expand" in refused.get_json()["fields"]


def test_an_employees_rank_id_resolves_through_the_rank_resource(client, org: Org) -> None:
    headers = api_token(client, "employee")
    own = client.get(f"/api/v1/employee/{org.employees.epid1.id}", headers=headers).get_json()
    rank = client.get(f"/api/v1/rank/{own['result']['rank_id']}", headers=headers)
    assert rank.status_code == 200
    assert rank.get_json()["result"]["code"] == "III/a"
    listed = _list(
        client, "rank", headers, filters=[{"col": "employment_type", "opr": "eq", "value": "pppk"}]
    )
    codes = [row["code"] for row in listed.get_json()["result"]]
    assert listed.get_json()["count"] == db.session.scalar(
        select(db.func.count(Rank.id)).where(Rank.employment_type == "pppk")
    )
    assert "III/a" not in codes and codes


def test_ranks_cannot_be_changed_over_the_api(client, org: Org) -> None:
    headers = api_token(client, "admin")
    rank_id = db.session.scalar(select(Rank.id).where(Rank.code == "III/a"))
    changed = client.put(f"/api/v1/rank/{rank_id}", json={"name": "X"}, headers=headers)
    assert changed.status_code in (403, 405)
    assert db.session.scalar(select(Rank.name).where(Rank.id == rank_id)) != "X"


def test_evaluations_filter_by_period_and_sub_period(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    headers = api_token(client, "admin")
    period, q1, q2 = planning.period.id, reporting.q1.id, reporting.q2.id
    of_q1 = [records.reports.epid1_q1.id, records.reports.penguji_q1.id]
    everyone = set(db.session.scalars(select(Evaluation.id)))

    def reports_of(col: str, opr: str, value: int) -> list[int]:
        ids = _ids(
            client, "evaluation", headers, filters=[{"col": col, "opr": opr, "value": value}]
        )
        return sorted(
            db.session.scalars(select(Evaluation.report_id).where(Evaluation.id.in_(ids)))
        )

    assert reports_of("sub_period", "eq", q1) == sorted(of_q1)
    assert reports_of("sub_period", "rel_o_m", q2) == [records.reports.epid1_q2.id]
    assert (
        set(
            _ids(
                client,
                "evaluation",
                headers,
                filters=[{"col": "period", "opr": "eq", "value": period}],
            )
        )
        == everyone
    )
    assert reports_of("period", "eq", period + 1000) == []


def test_ratings_filter_by_period_and_sub_period(
    client, org: Org, planning: Planning, reporting: Reporting
) -> None:
    records = build_records(org, planning, reporting)
    rated = build_ratings(org, planning, records)
    headers = api_token(client, "admin")
    every = sorted(rating.id for rating in vars(rated.ratings).values())
    q1 = reporting.q1.id
    by_sub_period = _ids(
        client, "rating", headers, filters=[{"col": "sub_period", "opr": "eq", "value": q1}]
    )
    by_period = _ids(
        client,
        "rating",
        headers,
        filters=[{"col": "period", "opr": "rel_o_m", "value": planning.period.id}],
    )
    assert sorted(by_sub_period) == sorted(by_period) == every
    none = [{"col": "sub_period", "opr": "eq", "value": 99999}]
    assert _ids(client, "rating", headers, filters=none) == []


def test_rows_are_dumped_as_marshmallow_would(
    app, org: Org, planning: Planning, reporting: Reporting
) -> None:
    from kinerja.views.list_args import dump_rows
    from kinerja.views.rest import KinerjaModelApi

    build_ratings(org, planning, build_records(org, planning, reporting))
    compared = 0
    for api in app.appbuilder.baseviews:
        if not isinstance(api, KinerjaModelApi):
            continue
        rows = db.session.scalars(select(api.datamodel.obj).limit(20)).all()
        schema = api.list_model_schema
        assert dump_rows(schema, list(rows)) == schema.dump(rows, many=True), api.resource_name
        compared += bool(rows)
    assert compared >= 15
