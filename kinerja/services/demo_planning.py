"""The demo's performance planning: the current period and plans in every state.

Dinas Kesehatan's chain — Sekda → Kepala Dinas → Kabid P2P → Kasi Surveilans (``atasan``) →
epidemiologists (``pegawai`` among them) — cascades objective by objective; ``atasan`` has
plans waiting in the queue, one returned and drafts. Idempotent: existing plans stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from kinerja.domain.planning import (
    Accumulation,
    Aspect,
    Cadence,
    ObjectiveKind,
    PeriodStatus,
    PlanStatus,
    default_direction,
    sub_periods,
)
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.org import Employee, Position, Unit
from kinerja.models.planning import (
    BehaviourExpectation,
    BehaviourValue,
    Indicator,
    Objective,
    Period,
    PlanTemplate,
    SubPeriod,
    TemplateIndicator,
    TemplateObjective,
    WorkPlan,
    WorkPlanEvent,
    WorkPlanVersion,
)
from kinerja.services.planning import snapshot

Q, QL, T = Aspect.QUANTITY, Aspect.QUALITY, Aspect.TIME


@dataclass(frozen=True)
class Goal:
    text: str
    indicators: tuple[tuple[str, Aspect, str, str, Accumulation], ...]
    kind: ObjectiveKind = ObjectiveKind.MAIN
    parent: int | None = None  # index of the supervisor's objective it cascades from


SUM, LAST, AVG = Accumulation.SUM, Accumulation.LAST, Accumulation.AVERAGE

SEKDA = [
    Goal(
        "Meningkatnya kualitas pelayanan publik Pemerintah Kota Sibolga",
        (("Indeks Kepuasan Masyarakat seluruh unit layanan", QL, "85", "indeks", LAST),),
    ),
    Goal(
        "Meningkatnya akuntabilitas kinerja perangkat daerah",
        (("Nilai SAKIP Pemerintah Kota Sibolga", QL, "70", "nilai", LAST),),
    ),
]
OPD_HEAD = [
    Goal(
        "Terwujudnya kinerja {unit} yang akuntabel dan berorientasi pelayanan",
        (
            ("Nilai evaluasi SAKIP {unit}", QL, "70", "nilai", LAST),
            ("Indeks Kepuasan Masyarakat layanan {unit}", QL, "82", "indeks", LAST),
        ),
        parent=1,
    ),
]
KADINKES = [
    Goal(
        "Meningkatnya derajat kesehatan masyarakat Kota Sibolga",
        (
            ("Persentase cakupan imunisasi dasar lengkap", QL, "95", "%", LAST),
            ("Persentase puskesmas terakreditasi paripurna", QL, "60", "%", LAST),
        ),
        parent=0,
    ),
]
KABID_P2P = [
    Goal(
        "Terkendalinya penyakit menular di Kota Sibolga",
        (
            (
                "Persentase kasus penyakit menular yang ditangani sesuai standar",
                QL,
                "100",
                "%",
                LAST,
            ),
            ("Waktu respons penyelidikan kejadian luar biasa", T, "24", "jam", AVG),
        ),
        parent=0,
    ),
]
KASI_SURV = [
    Goal(
        "Terlaksananya surveilans penyakit dan imunisasi yang tepat waktu",
        (
            ("Laporan surveilans mingguan yang tersampaikan", Q, "52", "laporan", SUM),
            ("Cakupan imunisasi dasar lengkap wilayah kota", QL, "95", "%", LAST),
        ),
        parent=0,
    ),
    Goal(
        "Terselenggaranya pembinaan kader posyandu",
        (("Kegiatan pembinaan kader", Q, "12", "kegiatan", SUM),),
        kind=ObjectiveKind.ADDITIONAL,
    ),
]
STAFF_SURV = [
    Goal(
        "Tersusunnya analisis data surveilans mingguan",
        (
            ("Dokumen analisis surveilans mingguan", Q, "52", "dokumen", SUM),
            ("Waktu penyampaian analisis setelah data masuk", T, "2", "hari", AVG),
        ),
        parent=0,
    ),
    Goal(
        "Tervalidasinya data imunisasi puskesmas",
        (
            ("Laporan validasi data imunisasi", Q, "12", "laporan", SUM),
            ("Kelengkapan data imunisasi tervalidasi", QL, "98", "%", LAST),
        ),
        parent=0,
    ),
    Goal(
        "Terdukungnya pembinaan kader posyandu",
        (("Materi penyuluhan yang disusun", Q, "4", "materi", SUM),),
        kind=ObjectiveKind.ADDITIONAL,
        parent=1,
    ),
]
# The states of the seksi's staff plans, in order of their names (pegawai's is approved).
STAFF_STATES = [
    PlanStatus.APPROVED,
    PlanStatus.SUBMITTED,
    PlanStatus.RETURNED,
    PlanStatus.SUBMITTED,
    PlanStatus.DRAFT,
    PlanStatus.APPROVED,
]
EXPECTATIONS = {
    "service": "Menyampaikan hasil analisis yang mudah dipahami puskesmas",
    "accountable": "Data yang dilaporkan dapat ditelusuri sumbernya",
    "collaborative": "Aktif berkoordinasi dengan pengelola data di puskesmas",
}


def load_demo_planning(pegawai_id: int, atasan_id: int) -> int:
    """Open the current year's period (running) and give the chain its plans."""
    year = date.today().year
    period = _period(year)
    plans = {
        p.employee_id: p
        for p in db.session.scalars(select(WorkPlan).where(WorkPlan.period_id == period.id))
    }
    holder = _holders()
    sekda = holder("SETDA-00")
    kadinkes = holder("DINKES-00")
    kabid = holder("DINKES.P2P-00")
    atasan = db.session.get(Employee, atasan_id)
    if atasan is None:
        raise LookupError("the demo supervisor is missing")
    top = _ensure(plans, period, sekda, SEKDA, None, PlanStatus.APPROVED)
    for head in _opd_heads():
        if head.id != kadinkes.id:
            _ensure(plans, period, head, OPD_HEAD, top, PlanStatus.APPROVED)
    dinkes = _ensure(plans, period, kadinkes, KADINKES, top, PlanStatus.APPROVED)
    p2p = _ensure(plans, period, kabid, KABID_P2P, dinkes, PlanStatus.APPROVED)
    seksi = _ensure(plans, period, atasan, KASI_SURV, p2p, PlanStatus.APPROVED)
    staff = db.session.scalars(
        select(Employee)
        .join(Position, Position.id == Employee.position_id)
        .where(Position.supervisor_id == atasan.position_id, Employee.active.is_(True))
        .order_by(Employee.name)
    ).all()
    others = [e for e in staff if e.id != pegawai_id]
    mine = _ensure(
        plans, period, db.session.get(Employee, pegawai_id), STAFF_SURV, seksi, PlanStatus.APPROVED
    )
    if mine is not None and not mine.expectations:
        values = {v.code: v.id for v in db.session.scalars(select(BehaviourValue))}
        mine.expectations = [
            BehaviourExpectation(value_id=values[code], text=text)
            for code, text in EXPECTATIONS.items()
            if code in values
        ]
    for employee, status in zip(others, STAFF_STATES, strict=False):
        _ensure(plans, period, employee, STAFF_SURV, seksi, status)
    _template(atasan)
    db.session.flush()
    from kinerja.services.demo_reporting import load_demo_reporting

    approved_staff = [pegawai_id] + [
        e.id
        for e, status in zip(others, STAFF_STATES, strict=False)
        if status == PlanStatus.APPROVED
    ]
    load_demo_reporting(period.id, approved_staff, atasan.id)
    return len(plans)


def _period(year: int) -> Period:
    period = db.session.scalar(select(Period).where(Period.year == year))
    if period is None:
        period = Period(
            year=year,
            name=f"Periode Kinerja {year}",
            cadence=Cadence.QUARTERLY,
            status=PeriodStatus.RUNNING,
            starts_on=date(year, 1, 1),
            ends_on=date(year, 12, 31),
            planning_deadline=date(year, 1, 31),
        )
        period.sub_periods = [
            SubPeriod(
                number=d.number,
                name=d.name,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
                report_deadline=d.report_deadline,
                evaluation_deadline=d.evaluation_deadline,
            )
            for d in sub_periods(year, Cadence.QUARTERLY)
        ]
        db.session.add(period)
        db.session.flush()
    return period


def _holders():  # noqa: ANN202 - a small closure over one query
    rows = db.session.execute(
        select(Position.code, Employee)
        .join(Employee, Employee.position_id == Position.id)
        .order_by(Employee.id)
    ).all()
    first: dict[str, Employee] = {}
    for code, employee in rows:
        first.setdefault(code, employee)
    return lambda code: first[code]


def _opd_heads() -> list[Employee]:
    return list(
        db.session.scalars(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .join(Unit, Unit.id == Position.unit_id)
            .where(Position.is_head.is_(True), Unit.kind == "opd")
            .order_by(Unit.code)
        )
    )


def _ensure(
    plans: dict[int, WorkPlan],
    period: Period,
    employee: Employee | None,
    goals: list[Goal],
    boss: WorkPlan | None,
    status: PlanStatus,
) -> WorkPlan | None:
    if employee is None:
        return None
    if employee.id in plans:
        return plans[employee.id]
    plan = WorkPlan(
        period=period,
        employee=employee,
        position_id=employee.position_id,
        unit_id=employee.unit_id,
        status=status,
        version=1,
    )
    unit_name = employee.unit.name
    parents = list(boss.objectives) if boss is not None else []
    for order, goal in enumerate(goals):
        objective = Objective(
            kind=goal.kind,
            text=goal.text.format(unit=unit_name),
            order=order,
            parent=parents[goal.parent] if goal.parent is not None and parents else None,
            strategic_goal="Misi RPJMD Kota Sibolga 2021–2026" if boss is None else None,
        )
        objective.indicators = [
            Indicator(
                text=text.format(unit=unit_name),
                aspect=aspect,
                target=Decimal(target),
                unit=measure,
                direction=default_direction(aspect),
                accumulation=mode,
                order=index,
            )
            for index, (text, aspect, target, measure, mode) in enumerate(goal.indicators)
        ]
        plan.objectives.append(objective)
    db.session.add(plan)
    db.session.flush()
    now = utcnow()
    plan.events.append(WorkPlanEvent(action="created", version=1, on_behalf=False))
    if status != PlanStatus.DRAFT:
        plan.submitted_at = now - timedelta(days=len(plans) % 9 + 1)
        plan.events.append(WorkPlanEvent(action="submitted", version=1, on_behalf=False))
    if status == PlanStatus.RETURNED:
        plan.return_reason = (
            "Target dokumen analisis belum sesuai jumlah minggu pelaporan; mohon disesuaikan."
        )
        plan.decided_at = now
        plan.events.append(WorkPlanEvent(action="returned", version=1, note=plan.return_reason))
    if status == PlanStatus.APPROVED:
        plan.decided_at = now
        plan.versions.append(WorkPlanVersion(version=1, approved_at=now, snapshot=snapshot(plan)))
        plan.events.append(WorkPlanEvent(action="approved", version=1))
    plans[employee.id] = plan
    return plan


def _template(atasan: Employee) -> None:
    """A template for the epidemiologists of the seksi, ready to be given to new holders."""
    position = db.session.scalar(
        select(Position).where(
            Position.supervisor_id == atasan.position_id, Position.name.like("Epidemiolog%")
        )
    )
    if position is None or db.session.scalar(
        select(PlanTemplate.id).where(PlanTemplate.position_id == position.id)
    ):
        return
    template = PlanTemplate(position=position, name=f"SKP {position.name}")
    for order, goal in enumerate(STAFF_SURV):
        objective = TemplateObjective(kind=goal.kind, text=goal.text, order=order)
        objective.indicators = [
            TemplateIndicator(
                text=text,
                aspect=aspect,
                target=Decimal(target),
                unit=measure,
                direction=default_direction(aspect),
                accumulation=mode,
                order=index,
            )
            for index, (text, aspect, target, measure, mode) in enumerate(goal.indicators)
        ]
        template.objectives.append(objective)
    db.session.add(template)
