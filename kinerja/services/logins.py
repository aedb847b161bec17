"""Logins in bulk: username = NIP, a one-time password shown once or emailed."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from flask import current_app, render_template
from flask_appbuilder.security.sqla.models import Role
from flask_babel import force_locale, gettext
from flask_mail import Connection, Message
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from kinerja.domain.errors import N_, DomainError
from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.jobs import JobName
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser
from kinerja.security import roles
from kinerja.security.policies import employees as employee_policy
from kinerja.security.policies.scope import Scope
from kinerja.services import outbox
from kinerja.services.boundary import use_case
from kinerja.services.roles import sync_supervisor_roles

Delivery = Literal["show", "email"]
MAX_SHOWN_AT_ONCE = 200
EMAIL_JOB = JobName.EMAIL_LOGIN_CREDENTIALS.value
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"


def one_time_password(length: int = 12) -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(length))


def hash_password(password: str) -> str:
    return generate_password_hash(
        password,
        method=current_app.config.get("FAB_PASSWORD_HASH_METHOD", "scrypt"),
        salt_length=current_app.config.get("FAB_PASSWORD_HASH_SALT_LENGTH", 16),
    )


@dataclass
class IssuedLogin:
    employee_id: int
    user_id: int
    nip: str
    name: str
    username: str
    password: str | None  # only when shown; never stored in clear


@dataclass
class LoginBatch:
    created: list[IssuedLogin] = field(default_factory=list)
    skipped: list[tuple[str, DomainError]] = field(default_factory=list)
    job_run_id: int | None = None


def split_name(full_name: str) -> tuple[str, str]:
    parts = full_name.split()
    if len(parts) <= 1:
        return (full_name[:64] or "-", "-")
    return (" ".join(parts[:-1])[:64], parts[-1][:64])


@use_case
def create_logins(employee_ids: list[int], scope: Scope, delivery: Delivery) -> LoginBatch:
    """Create a login for each chosen employee in reach who has none.

    ``show`` returns the one-time passwords (shown once, never stored in clear); ``email``
    schedules a job that mails them. Either way the password must be changed at first login.
    """
    batch = LoginBatch()
    employees = db.session.scalars(
        select(Employee)
        .where(Employee.id.in_(employee_ids), employee_policy.manage(scope))
        .order_by(Employee.name)
    ).all()
    if delivery == "show" and len(employees) > MAX_SHOWN_AT_ONCE:
        raise DomainError(
            N_("At most %(max)d logins can be shown at once; choose fewer or send them by email."),
            max=MAX_SHOWN_AT_ONCE,
        )
    employee_role = db.session.scalar(select(Role).where(Role.name == roles.EMPLOYEE))
    taken = set(
        db.session.scalars(
            select(KinerjaUser.username).where(KinerjaUser.username.in_([e.nip for e in employees]))
        )
    )
    emails_taken = set(
        db.session.scalars(
            select(KinerjaUser.email).where(
                KinerjaUser.email.in_([e.email for e in employees if e.email])
            )
        )
    )
    for employee in employees:
        reason = _why_not(employee, delivery, taken)
        if reason:
            batch.skipped.append((employee.name, reason))
            continue
        password = one_time_password()
        first, last = split_name(employee.name)
        email = employee.email if employee.email and employee.email not in emails_taken else None
        emails_taken.add(email or "")
        user = KinerjaUser(
            username=employee.nip,
            first_name=first,
            last_name=last,
            email=email or f"{employee.nip}@pegawai.invalid",
            active=True,
            password=hash_password(password),
            must_change_password=True,
            roles=[employee_role] if employee_role else [],
        )
        db.session.add(user)
        db.session.flush()
        employee.user_id = user.id
        batch.created.append(
            IssuedLogin(
                employee_id=employee.id,
                user_id=user.id,
                nip=employee.nip,
                name=employee.name,
                username=user.username,
                password=password if delivery == "show" else None,
            )
        )
    sync_supervisor_roles()
    if delivery == "email" and batch.created:
        user_ids = [issued.user_id for issued in batch.created]
        run = outbox.schedule(EMAIL_JOB, user_ids, queue_name="mail", total=len(user_ids))
        batch.job_run_id = run.id
    return batch


def _why_not(employee: Employee, delivery: Delivery, taken: set[str]) -> DomainError | None:
    if employee.user_id is not None:
        return DomainError(N_("already has a login"))
    if not employee.active:
        return DomainError(N_("is not active"))
    if employee.nip in taken:
        return DomainError(N_("the username %(nip)s is already taken"), nip=employee.nip)
    if delivery == "email" and not employee.email:
        return DomainError(N_("has no email address"))
    return None


@use_case
def mail_login_credentials(
    user_id: int, connection: Connection, *, mailed_since: datetime | None = None
) -> bool:
    """Issue a fresh one-time password to a new login and mail it; True if mailed.

    Idempotent: a login mailed at or after ``mailed_since`` (by an earlier attempt of the
    same run) is left alone, so nobody gets a second password that silently replaces the
    first; so is a login already used, or one without an email address. The row is locked
    while the mail goes out, and the password is kept only if the mail was accepted.
    """
    found = db.session.execute(
        select(KinerjaUser, Employee)
        .join(Employee, Employee.user_id == KinerjaUser.id)
        .where(KinerjaUser.id == user_id)
        .with_for_update(of=KinerjaUser)
    ).first()
    if found is None:
        return False
    user, employee = found
    already = user.credentials_sent_at is not None and (
        mailed_since is None or user.credentials_sent_at >= mailed_since
    )
    if already or not employee.email or user.last_login is not None:
        return False
    email = employee.email
    password = one_time_password()
    user.password = hash_password(password)
    user.must_change_password = True
    user.credentials_sent_at = utcnow()
    db.session.flush()
    connection.send(_credentials_message(email, employee.name, user.username, password))
    return True


def _credentials_message(email: str, name: str, username: str, password: str) -> Message:
    """The email, in the instance's language (the employee has not chosen one yet)."""
    base_url = current_app.config.get("KINERJA_BASE_URL", "http://127.0.0.1:5000")
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return Message(
            subject=gettext("Your Kinerja login"),
            recipients=[email],
            body=render_template(
                "email/login_credentials.txt",
                name=name,
                username=username,
                password=password,
                login_url=f"{base_url}/login/",
            ),
        )
