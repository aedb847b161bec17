"""``flask kinerja …`` commands: install, demo data, jobs and the worker."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from kinerja.bench import bench_import, bench_org
from kinerja.bench.api import bench_api
from kinerja.bench.dashboards import bench_dashboards
from kinerja.bench.email import bench_email
from kinerja.bench.ratings import bench_ratings
from kinerja.bench.ratings.workers import bench_ratings_workers
from kinerja.bench.recommendations import bench_recommendations
from kinerja.bench.survey import bench_survey
from kinerja.demo import load_demo, load_organisation
from kinerja.domain.errors import DomainError
from kinerja.jobs.worker import run_worker
from kinerja.security.policies import SYSTEM
from kinerja.services.outbox import dispatch_pending
from kinerja.services.partitions import partition_realizations
from kinerja.services.ratings.requests import request_ratings
from kinerja.services.service_accounts import issue_key_for_username
from kinerja.services.setup import initialise

kinerja_cli = AppGroup("kinerja", help="Kinerja administration.")
ratings_cli = AppGroup("ratings", help="Period ratings.")
kinerja_cli.add_command(ratings_cli)
apikey_cli = AppGroup("apikey", help="API keys of service accounts.")
kinerja_cli.add_command(apikey_cli)


def register_cli(app: Flask) -> None:
    app.cli.add_command(kinerja_cli)


@kinerja_cli.command("init")
def init_command() -> None:
    """Upgrade the schema, create roles, permissions and reference data (idempotent)."""
    report = initialise()
    click.echo(
        f"Schema up to date; roles: {', '.join(report.roles)}; "
        f"{report.permissions} permissions; {report.ranks_added} ranks added."
    )


@kinerja_cli.command("demo")
@click.option(
    "--employees",
    default=300,
    show_default=True,
    type=click.IntRange(50, 1_000_000),
    help="How many employees the demo organisation has.",
)
def demo_command(employees: int) -> None:
    """Load the demo organisation and logins (idempotent: adds only what is missing).
    Never in production: its logins share one published password."""
    if os.environ.get("KINERJA_ENV") == "production":
        raise click.ClickException(
            "kinerja demo refuses to run with KINERJA_ENV=production: its logins share a "
            "published password."
        )
    started = time.perf_counter()
    report = load_demo(employees=employees)
    elapsed = time.perf_counter() - started
    click.echo(
        f"Demo organisation: {report.units} units, {report.positions} positions, "
        f"{report.employees} employees ({elapsed:.1f} s)."
    )
    click.echo("Demo logins (username / password — roles):")
    for username, password, description in report.logins:
        click.echo(f"  {username:<11} / {password} — {description}")


@kinerja_cli.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty (no periodic jobs).")
@click.option(
    "--cron/--no-cron",
    default=True,
    show_default=True,
    help="Run the periodic jobs of kinerja/jobs/schedule.py beside this worker.",
)
@click.argument("queues", nargs=-1)
def worker_command(burst: bool, cron: bool, queues: tuple[str, ...]) -> None:
    """Run the background job worker and its schedulers (needs REDIS_URL)."""
    redis_url = current_app.config.get("REDIS_URL")
    if not redis_url:
        raise click.UsageError("REDIS_URL is not set: without Redis, jobs run inline.")
    run_worker(
        list(queues or current_app.config["RQ_QUEUES"]), redis_url, burst=burst, with_cron=cron
    )


@kinerja_cli.command("sweep-jobs")
def sweep_jobs_command() -> None:
    """Hand over jobs that stayed pending because Redis was unreachable (the worker's
    schedule does this every minute)."""
    click.echo(f"{dispatch_pending()} pending job runs dispatched.")


@kinerja_cli.command("partitions")
def partitions_command() -> None:
    """Give each period without one its own partition of realizations (PostgreSQL; the
    worker's schedule does this every night)."""
    done = partition_realizations(SYSTEM)
    if not done.periods:
        click.echo("Every period has its partition of realizations.")
        return
    periods = ", ".join(str(period) for period in done.periods)
    click.echo(f"Partitioned periods {periods}: {done.moved:,} realizations moved.")


@ratings_cli.command("compute")
@click.option("--period", "period_id", required=True, type=int, help="The period's id.")
@click.option("--unit", "unit_id", type=int, help="Only this unit and the units below it.")
def compute_ratings_command(period_id: int, unit_id: int | None) -> None:
    """Compute the ratings of a period: queued for the worker with REDIS_URL, at once
    without it."""
    try:
        run = request_ratings(period_id, unit_id, SYSTEM)
    except DomainError as refusal:
        raise click.ClickException(str(refusal)) from refusal
    outcome = run.outcome
    said = f": {outcome.template % outcome.params}" if outcome else ""
    click.echo(f"Job run {run.id} ({run.name}): {run.status}{said}")
    if run.error:
        raise click.ClickException(run.error)


@kinerja_cli.command("bench")
@click.argument(
    "name",
    type=click.Choice(
        [
            "org",
            "import",
            "ratings",
            "ratings-workers",
            "survey",
            "email",
            "api",
            "recommendations",
            "dashboards",
        ]
    ),
    default="org",
)
@click.option("--repeat", default=20, show_default=True, type=click.IntRange(1, 1000))
@click.option(
    "--rows",
    default=200_000,
    show_default=True,
    type=click.IntRange(10, 2_000_000),
    help="import: rows of the synthetic file.",
)
@click.option(
    "--baseline-rows",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 100_000),
    help="import: rows on which the naive chain checks are compared (0: skip).",
)
@click.option(
    "--employees",
    default=100_000,
    show_default=True,
    type=click.IntRange(1, 2_000_000),
    help="ratings: the employees of the year generated; api: the employees loaded; "
    "recommendations: the employees generated (use a scratch database).",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 64),
    help="ratings-workers: worker processes taking the agencies of the fanned-out run.",
)
@click.option(
    "--seconds",
    default=20.0,
    show_default=True,
    type=click.FloatRange(0.5, 600),
    help="api: how long each list is driven.",
)
@click.option(
    "--responses",
    default=100_000,
    show_default=True,
    type=click.IntRange(1, 5_000_000),
    help="survey: responses bulk-loaded for the index (use a scratch database).",
)
@click.option(
    "--submissions",
    default=5000,
    show_default=True,
    type=click.IntRange(100, 1_000_000),
    help="survey: submissions posted over HTTP to gunicorn.",
)
@click.option(
    "--recipients",
    default=10_000,
    show_default=True,
    type=click.IntRange(1, 1_000_000),
    help="email: how many emails are sent (bare smtplib, then the product's path).",
)
@click.option(
    "--fast-load",
    is_flag=True,
    help="ratings: generate the year with PostgreSQL's triggers off (no change-feed rows, "
    "no foreign-key checks; needs a superuser; bench data only). The job is timed with them.",
)
def bench_command(
    name: str,
    repeat: int,
    rows: int,
    baseline_rows: int,
    employees: int,
    responses: int,
    submissions: int,
    recipients: int,
    seconds: float,
    workers: int,
    fast_load: bool,
) -> None:
    """Print benchmark figures. org: run after `kinerja demo --employees 100000`; import:
    checks a synthetic file of --rows units; ratings: generates its own year of --employees
    (the last line of import and ratings is a JSON summary); email: --recipients emails on a
    local SMTP server, bare smtplib then the product's path (last line JSON); api: the
    employee list over HTTP against stock FAB's, on --employees (last line JSON);
    recommendations: --employees with 12 assessed competencies each and 500 trainings (last
    line JSON)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    lines: Iterable[str]
    if name == "api":
        click.echo(json.dumps(bench_api(app, load_organisation, employees, seconds, click.echo)))
        return
    if name == "import":
        lines = bench_import(app, rows, min(baseline_rows, rows))
    elif name == "ratings":
        lines = bench_ratings(employees, fast_load=fast_load)  # printed as it goes
    elif name == "ratings-workers":  # after `ratings`: one job against fan-out, via RQ
        lines = bench_ratings_workers(workers)
    elif name == "survey":
        lines = bench_survey(app, responses, submissions)
    elif name == "email":
        lines = bench_email(app, recipients)  # printed as it goes
    elif name == "recommendations":
        lines = bench_recommendations(employees)  # printed as it goes
    elif name == "dashboards":
        lines = bench_dashboards(app, employees, repeat)  # printed as it goes
    else:
        lines = bench_org(app, repeat=repeat)
    for line in lines:
        click.echo(line)


@apikey_cli.command("create")
@click.option("--user", "username", required=True, help="The service account's username.")
@click.option("--role", default=None, help="Its role when the account is new (Integrator).")
@click.option("--name", default=None, help="A label for the key (who uses it, where).")
def apikey_create_command(username: str, role: str | None, name: str | None) -> None:
    """Issue an API key to a service account (created when missing) and print it once."""
    try:
        issued = issue_key_for_username(username, role, name)
    except DomainError as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(f"API key {issued.name!r} for {username} (shown once, store it now):")
    click.echo(issued.key)
