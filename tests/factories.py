"""Factories for the organisation and logins (rows are committed: servers and workers in
other processes see them; the per-test truncation cleans up)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import select

from kinerja.domain.org import EmploymentType, PositionKind, UnitKind
from kinerja.extensions import db
from kinerja.models.org import Employee, Position, Rank, Unit
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.services.logins import hash_password

PASSWORD = "rahasia-uji-123"
_serial = itertools.count(1)


def make_nip(sex: int = 1, birth: str = "19850412", start: str = "201003") -> str:
    """A valid NIP with a fresh serial."""
    return f"{birth}{start}{sex}{next(_serial) % 999 + 1:03d}"


def make_unit(
    code: str,
    parent: Unit | None = None,
    kind: UnitKind = UnitKind.DIVISION,
    name: str | None = None,
) -> Unit:
    unit = Unit(code=code, name=name or f"Unit {code}", kind=kind, parent=parent, active=True)
    db.session.add(unit)
    db.session.flush()
    return unit


def make_position(
    code: str,
    unit: Unit,
    supervisor: Position | None = None,
    *,
    kind: PositionKind = PositionKind.EXECUTIVE,
    is_head: bool = False,
    name: str | None = None,
    grade: int = 7,
) -> Position:
    position = Position(
        code=code,
        name=name or f"Jabatan {code}",
        kind=kind,
        unit=unit,
        supervisor=supervisor,
        is_head=is_head,
        grade=grade,
        active=True,
    )
    db.session.add(position)
    db.session.flush()
    return position


def make_employee(
    name: str,
    position: Position | None,
    unit: Unit | None = None,
    *,
    email: str | None = None,
    **values: Any,
) -> Employee:
    rank = db.session.scalar(select(Rank).where(Rank.code == "III/a"))
    employee = Employee(
        nip=values.pop("nip", None) or make_nip(),
        name=name,
        email=email,
        employment_type=EmploymentType.PNS,
        rank=rank,
        unit=unit or position.unit,
        position=position,
        active=True,
        **values,
    )
    db.session.add(employee)
    db.session.flush()
    return employee


def make_user(
    username: str,
    *role_names: str,
    employee: Employee | None = None,
    operator_unit: Unit | None = None,
    password: str = PASSWORD,
    must_change_password: bool = False,
) -> KinerjaUser:
    found = [db.session.scalar(select(Role).where(Role.name == name)) for name in role_names]
    user = KinerjaUser(
        username=username,
        first_name=username.title(),
        last_name="Uji",
        email=f"{username}@uji.example",
        active=True,
        password=hash_password(password),
        roles=[r for r in found if r is not None],
        operator_unit=operator_unit,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    if employee is not None:
        employee.user_id = user.id
    return user


@dataclass
class Org:
    """A small city: Setda, Dinas Kesehatan (two bidang, one seksi) and Dinas Perhubungan."""

    units: SimpleNamespace = field(default_factory=SimpleNamespace)
    positions: SimpleNamespace = field(default_factory=SimpleNamespace)
    employees: SimpleNamespace = field(default_factory=SimpleNamespace)
    users: SimpleNamespace = field(default_factory=SimpleNamespace)


def build_org() -> Org:
    org = Org()
    u, p, e, usr = org.units, org.positions, org.employees, org.users
    u.pemkot = make_unit("PEMKOT", kind=UnitKind.GOVERNMENT, name="Pemerintah Kota Uji")
    u.setda = make_unit("SETDA", u.pemkot, UnitKind.SECRETARIAT, "Sekretariat Daerah")
    u.dinkes = make_unit("DINKES", u.pemkot, UnitKind.OPD, "Dinas Kesehatan")
    u.p2p = make_unit("DINKES.P2P", u.dinkes, name="Bidang P2P")
    u.surv = make_unit("DINKES.P2P.SURV", u.p2p, UnitKind.SECTION, "Seksi Surveilans")
    u.yankes = make_unit("DINKES.YANKES", u.dinkes, name="Bidang Pelayanan Kesehatan")
    u.dishub = make_unit("DISHUB", u.pemkot, UnitKind.OPD, "Dinas Perhubungan")

    p.sekda = make_position(
        "SEKDA", u.setda, kind=PositionKind.JPT, is_head=True, name="Sekretaris Daerah"
    )
    p.kadinkes = make_position(
        "KADINKES",
        u.dinkes,
        p.sekda,
        kind=PositionKind.JPT,
        is_head=True,
        name="Kepala Dinas Kesehatan",
    )
    p.kabid_p2p = make_position(
        "KABID.P2P",
        u.p2p,
        p.kadinkes,
        kind=PositionKind.ADMINISTRATOR,
        is_head=True,
        name="Kepala Bidang P2P",
    )
    p.kasi_surv = make_position(
        "KASI.SURV",
        u.surv,
        p.kabid_p2p,
        kind=PositionKind.SUPERVISOR,
        is_head=True,
        name="Kepala Seksi Surveilans",
    )
    p.epid = make_position(
        "EPID", u.surv, p.kasi_surv, kind=PositionKind.FUNCTIONAL, name="Epidemiolog Ahli Pertama"
    )
    p.kabid_yankes = make_position(
        "KABID.YANKES",
        u.yankes,
        p.kadinkes,
        kind=PositionKind.ADMINISTRATOR,
        is_head=True,
        name="Kepala Bidang Yankes",
    )
    p.perawat = make_position(
        "PERAWAT",
        u.yankes,
        p.kabid_yankes,
        kind=PositionKind.FUNCTIONAL,
        name="Perawat Ahli Pertama",
    )
    p.kadishub = make_position(
        "KADISHUB",
        u.dishub,
        p.sekda,
        kind=PositionKind.JPT,
        is_head=True,
        name="Kepala Dinas Perhubungan",
    )
    p.penguji = make_position("PENGUJI", u.dishub, p.kadishub, name="Penguji Kendaraan")

    e.sekda = make_employee("Sekda Uji", p.sekda)
    e.kadinkes = make_employee("Kadinkes Uji", p.kadinkes)
    e.kabid_p2p = make_employee("Kabid P2P Uji", p.kabid_p2p, email="kabid@uji.example")
    e.kasi_surv = make_employee("Kasi Surveilans Uji", p.kasi_surv)
    e.epid1 = make_employee("Epidemiolog Satu", p.epid, email="epid1@uji.example")
    e.epid2 = make_employee("Epidemiolog Dua", p.epid, email="epid2@uji.example")
    e.kabid_yankes = make_employee("Kabid Yankes Uji", p.kabid_yankes)
    e.perawat = make_employee("Perawat Uji", p.perawat)
    e.kadishub = make_employee("Kadishub Uji", p.kadishub)
    e.penguji = make_employee("Penguji Uji", p.penguji)

    usr.admin = make_user("admin", roles.ADMIN)
    usr.operator = make_user("operator", roles.OPERATOR, operator_unit=u.dinkes)
    usr.supervisor = make_user("supervisor", roles.SUPERVISOR, roles.EMPLOYEE, employee=e.kabid_p2p)
    usr.employee = make_user("employee", roles.EMPLOYEE, employee=e.epid1)
    usr.other = make_user("other", roles.EMPLOYEE, employee=e.penguji)
    usr.integrator = make_user("integrator", roles.INTEGRATOR)
    db.session.commit()
    return org


def login(client: Any, username: str, password: str = PASSWORD) -> None:
    client.get("/logout/")
    response = client.post("/login/", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed"


def api_token(client: Any, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(
        "/api/v1/security/login",
        json={
            "username": username,
            "password": password,
            "provider": "db",
            "refresh": False,
        },
    )
    assert response.status_code == 200, response.get_json()
    return {"Authorization": f"Bearer {response.get_json()['access_token']}"}


@dataclass
class Planning:
    period: Any
    kabid_plan: Any
    kasi_plan: Any
    kasi: Any  # the login of the Kepala Seksi, direct supervisor of the epidemiologists


def approved_plan(
    employee: Employee, period: Any, texts: list[str], parents: list[Any] | None = None
) -> Any:
    """An approved plan, one main objective per text with one quantity indicator each."""
    from kinerja.domain.planning import PlanStatus
    from kinerja.models.base import utcnow
    from kinerja.models.planning import WorkPlanVersion
    from kinerja.services.plans.history import snapshot

    plan = draft_plan(employee, period, texts, parents)
    plan.status = PlanStatus.APPROVED
    plan.versions.append(WorkPlanVersion(version=1, approved_at=utcnow(), snapshot=snapshot(plan)))
    db.session.flush()
    return plan


def draft_plan(
    employee: Employee, period: Any, texts: list[str], parents: list[Any] | None = None
) -> Any:
    """A plan never submitted, one main objective per text with one quantity indicator each."""
    from decimal import Decimal

    from kinerja.domain.planning import Accumulation, Aspect, Direction, PlanStatus
    from kinerja.models.planning import Indicator, Objective, WorkPlan

    plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=PlanStatus.DRAFT,
        version=1,
    )
    for index, text in enumerate(texts):
        objective = Objective(text=text, order=index, parent=parents[index] if parents else None)
        objective.indicators = [
            Indicator(
                text=f"Indikator {text}",
                aspect=Aspect.QUANTITY,
                target=Decimal(12),
                unit="dokumen",
                direction=Direction.MORE_IS_BETTER,
                accumulation=Accumulation.SUM,
            )
        ]
        plan.objectives.append(objective)
    db.session.add(plan)
    db.session.flush()
    return plan


def build_planning(org: Org, year: int = 2026) -> Planning:
    from kinerja.domain.planning import PeriodStatus
    from kinerja.models.planning import Period
    from kinerja.security.policies import SYSTEM
    from kinerja.services.plans.periods import save_period

    period = Period(year=year, cadence="quarterly")
    save_period(period, SYSTEM)
    period.status = PeriodStatus.RUNNING
    kabid = approved_plan(org.employees.kabid_p2p, period, ["Terkendalinya penyakit menular"])
    kasi = approved_plan(
        org.employees.kasi_surv,
        period,
        ["Surveilans tepat waktu", "Pembinaan kader posyandu"],
        parents=[kabid.objectives[0], kabid.objectives[0]],
    )
    kasi_user = make_user(
        "kasi", roles.SUPERVISOR, roles.EMPLOYEE, employee=org.employees.kasi_surv
    )
    db.session.commit()
    return Planning(period=period, kabid_plan=kabid, kasi_plan=kasi, kasi=kasi_user)


@dataclass
class Reporting:
    plan: Any  # the approved plan of Epidemiolog Satu (login "employee"), two indicators
    plan2: Any  # Epidemiolog Dua's approved plan
    q1: Any  # Triwulan I of the planning period
    q2: Any


def build_reporting(org: Org, planning: Planning) -> Reporting:
    """Approved plans for both epidemiologists, cascading from the Kepala Seksi's."""
    parents = planning.kasi_plan.objectives
    plan = approved_plan(
        org.employees.epid1,
        planning.period,
        ["Laporan surveilans mingguan", "Kader terlatih"],
        parents=[parents[0], parents[1]],
    )
    plan2 = approved_plan(
        org.employees.epid2, planning.period, ["Analisis kasus"], parents=[parents[0]]
    )
    db.session.commit()
    subs = planning.period.sub_periods
    return Reporting(plan=plan, plan2=plan2, q1=subs[0], q2=subs[1])


def submitted_report(reporting: Reporting, values: tuple[int, ...] = (3, 3)) -> Any:
    """Epidemiolog Satu's Triwulan I report, filled and submitted (12 a year → 3 due)."""
    from kinerja.security.policies import SYSTEM
    from kinerja.services.reports import reports as service

    report = service.start_report(reporting.plan.id, reporting.q1.id, SYSTEM)
    ids = [r.indicator_id for r in report.realizations]
    service.save_report(report, dict(zip(ids, values, strict=True)), SYSTEM)
    service.submit_report(report, SYSTEM)
    return report


@dataclass
class Records:
    """Rows of every planning and reporting resource, inside and outside each login's reach
    (Dinas Perhubungan is outside everybody's but the Admin's and the Integrator's). Plans
    and activities are named by their owner, reports ``<owner>_q<n>``, and the evidence and
    dialogue notes by their report; evaluations and realizations hang off the reports."""

    plans: SimpleNamespace  # kabid_p2p, kasi_surv, epid1, epid2, penguji (approved);
    # kadishub (a draft)
    reports: SimpleNamespace  # epid1_q1 (approved), epid1_q2 (submitted), epid2_q1 (draft),
    # penguji_q1 (submitted), penguji_q2 (draft)
    evidence: SimpleNamespace  # links: epid1_q1, epid2_q1, penguji_q1, penguji_q2
    notes: SimpleNamespace  # epid1_q1, epid2_q1, penguji_q1
    activities: SimpleNamespace  # today's: kabid_p2p, epid1, epid2, perawat, penguji


def build_records(org: Org, planning: Planning, reporting: Reporting) -> Records:
    from kinerja.domain.ratings import Level
    from kinerja.models.planning import BehaviourValue
    from kinerja.models.reports import Activity
    from kinerja.security.policies import SYSTEM, scope_for_user
    from kinerja.services.reports import activities as daily
    from kinerja.services.reports import dialogue, evaluations
    from kinerja.services.reports import reports as service

    staff = org.employees
    penguji_plan = approved_plan(staff.penguji, planning.period, ["Uji berkala kendaraan"])
    kadishub_plan = draft_plan(staff.kadishub, planning.period, ["Angkutan umum tertib"])
    db.session.commit()
    q1, q2 = planning.period.sub_periods[:2]

    def report(plan: Any, sub_period: Any, *, evidence: bool, note: bool, submit: bool) -> Any:
        started = service.start_report(plan.id, sub_period.id, SYSTEM)
        values = {line.indicator_id: 3 for line in started.realizations}
        service.save_report(started, values, SYSTEM)
        if evidence:
            service.add_evidence(started, SYSTEM, url=f"https://bukti.example/{started.id}")
        if note:
            dialogue.add_note(started, "Catatan dialog kinerja", SYSTEM)
        if submit:
            service.submit_report(started, SYSTEM)
        return started

    reports = SimpleNamespace(
        epid1_q1=report(reporting.plan, q1, evidence=True, note=True, submit=True),
        epid1_q2=report(reporting.plan, q2, evidence=False, note=False, submit=True),
        epid2_q1=report(reporting.plan2, q1, evidence=True, note=True, submit=False),
        penguji_q1=report(penguji_plan, q1, evidence=True, note=True, submit=True),
        penguji_q2=report(penguji_plan, q2, evidence=True, note=False, submit=False),
    )
    ratings = evaluations.Ratings(
        results=Level.AS_EXPECTED,
        behaviour=Level.AS_EXPECTED,
        values={
            value.id: Level.AS_EXPECTED for value in db.session.scalars(select(BehaviourValue))
        },
        feedback="Kerja yang baik.",
    )
    evaluations.approve_report(reports.epid1_q1, ratings, scope_for_user(planning.kasi))

    activities = SimpleNamespace()
    for name in ("kabid_p2p", "epid1", "epid2", "perawat", "penguji"):
        activity = Activity(
            employee=getattr(staff, name),
            day=daily.today(),
            description=f"Kegiatan {name}",
            duration_minutes=60,
        )
        daily.save_activity(activity, SYSTEM)
        setattr(activities, name, activity)

    def first(attribute: str, *names: str) -> SimpleNamespace:
        return SimpleNamespace(
            **{name: getattr(getattr(reports, name), attribute)[0] for name in names}
        )

    return Records(
        plans=SimpleNamespace(
            kabid_p2p=planning.kabid_plan,
            kasi_surv=planning.kasi_plan,
            epid1=reporting.plan,
            epid2=reporting.plan2,
            penguji=penguji_plan,
            kadishub=kadishub_plan,
        ),
        reports=reports,
        evidence=first("evidence", "epid1_q1", "epid2_q1", "penguji_q1", "penguji_q2"),
        notes=first("notes", "epid1_q1", "epid2_q1", "penguji_q1"),
        activities=activities,
    )


# --- ratings (written by the ratings job; inserted directly here) -----------------------------


def make_rating(
    plan: Any,
    predikat: str | None = "baik",
    *,
    final: bool = False,
    results: str | None = "as_expected",
    behaviour: str | None = "as_expected",
    suggested_results: str | None = "as_expected",
    suggested_behaviour: str | None = "as_expected",
    explanation: dict[str, Any] | None = None,
    run: Any = None,
) -> Any:
    """An employee's rating of the plan's period, as the ratings job would store it."""
    from kinerja.models.base import utcnow
    from kinerja.models.ratings import Rating

    rating = Rating(
        employee_id=plan.employee_id,
        period_id=plan.period_id,
        work_plan_id=plan.id,
        unit_id=plan.unit_id,
        final=final,
        predikat=predikat,
        results=results,
        behaviour=behaviour,
        suggested_results=suggested_results,
        suggested_behaviour=suggested_behaviour,
        explanation=explanation or {},
        computed_at=utcnow(),
        run_id=run.id if run is not None else None,
    )
    db.session.add(rating)
    db.session.flush()
    return rating


def make_check(
    unit: Unit,
    period: Any,
    counts: dict[str, int],
    unit_predikat: str | None = None,
) -> Any:
    """A unit's distribution check with the warnings of the rules (Baik assumed when no unit
    predikat is given), stored as the job stores them: templates and parameters."""
    from kinerja.domain.ratings import UnitPredikat, check_distribution
    from kinerja.models.base import utcnow
    from kinerja.models.ratings import DistributionCheck

    warnings = check_distribution(unit_predikat, counts)
    check = DistributionCheck(
        unit_id=unit.id,
        period_id=period.id,
        unit_predikat=unit_predikat or UnitPredikat.BAIK,
        assumed=unit_predikat is None,
        employees=sum(counts.values()),
        counts=counts,
        warnings=[{"template": w.template, "params": dict(w.params)} for w in warnings],
        computed_at=utcnow(),
    )
    db.session.add(check)
    db.session.flush()
    return check


def make_job_run(name: str, requested_by: Any, *args: Any) -> Any:
    from kinerja.models.jobs import JobRun, JobStatus

    run = JobRun(
        name=name,
        args=list(args),
        status=JobStatus.SUCCEEDED,
        attempts=1,
        total=1,
        done=1,
        requested_by_id=requested_by.id if requested_by is not None else None,
    )
    db.session.add(run)
    db.session.flush()
    return run


@dataclass
class RatingRecords:
    """Ratings named by their employee (kabid_p2p, kasi_surv, epid1, epid2, penguji),
    distribution checks by their unit (p2p, surv, yankes, dishub) and runs of the ratings
    job by who asked for them (admin_run, operator_run; an import run beside them)."""

    ratings: SimpleNamespace
    checks: SimpleNamespace
    runs: SimpleNamespace


def build_ratings(org: Org, planning: Planning, records: Records) -> RatingRecords:
    period = planning.period
    runs = SimpleNamespace(
        admin_run=make_job_run("compute_period_ratings", org.users.admin, period.id),
        operator_run=make_job_run("compute_period_ratings", org.users.operator, period.id),
    )
    make_job_run("import_organisation_file", org.users.operator, 1)
    plans = records.plans
    ratings = SimpleNamespace(
        kabid_p2p=make_rating(plans.kabid_p2p, "sangat_baik", results="above", behaviour="above"),
        kasi_surv=make_rating(plans.kasi_surv, "baik", run=runs.admin_run),
        epid1=make_rating(plans.epid1, "baik", final=True),
        epid2=make_rating(plans.epid2, "butuh_perbaikan", results="below"),
        penguji=make_rating(plans.penguji, "kurang", behaviour="below"),
    )
    units = org.units
    checks = SimpleNamespace(
        p2p=make_check(units.p2p, period, {"sangat_baik": 1}),
        surv=make_check(units.surv, period, {"baik": 2, "butuh_perbaikan": 1}, "baik"),
        yankes=make_check(units.yankes, period, {}),
        dishub=make_check(units.dishub, period, {"kurang": 1}, "istimewa"),
    )
    db.session.commit()
    return RatingRecords(ratings=ratings, checks=checks, runs=runs)


def build_unit_ratings(org: Org, planning: Planning) -> SimpleNamespace:
    """Unit predikat of the planning period, named by unit: Seksi Surveilans (its head is
    supervised by the Kepala Bidang P2P), Bidang P2P and Dinas Perhubungan (the Admin's)."""
    from kinerja.security.policies import SYSTEM
    from kinerja.services.ratings.units import set_unit_rating

    rated = {"surv": "baik", "p2p": "istimewa", "dishub": "butuh_perbaikan"}
    return SimpleNamespace(
        **{
            name: set_unit_rating(
                getattr(org.units, name).id, planning.period.id, predikat, None, SYSTEM
            )[0]
            for name, predikat in rated.items()
        }
    )
