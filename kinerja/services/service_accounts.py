"""Service accounts and their API keys: the Admin creates an account for a program with a
read-only role, issues it a key (shown once), rotates or revokes keys and disables the
account; the CLI does the same for the first key of a deployment.

A service account is a login without a usable password (a random one nobody is told, and
the security manager refuses password sign-in to service accounts anyway), so it reaches
the API with its keys alone. Everything here checks the service-account policy itself.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_appbuilder.security.sqla.models import ApiKey, Role
from sqlalchemy import func, select

from kinerja.domain.errors import N_, DomainError, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from kinerja.models.service_accounts import ServiceAccount, service_account_of
from kinerja.security import apikeys, roles
from kinerja.security.policies.scope import SYSTEM, Scope
from kinerja.security.policies.service_accounts import allowed_roles, service_accounts
from kinerja.services.boundary import use_case
from kinerja.services.logins import hash_password

USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$")
EMAIL_DOMAIN = "service-account.invalid"  # FAB requires a unique email; no mail goes there


@dataclass(frozen=True)
class IssuedKey:
    """A key just issued: ``key`` is shown once and never stored."""

    account_id: int
    key_id: int
    name: str
    key: str


@dataclass(frozen=True)
class AccountSummary:
    id: int
    username: str
    name: str
    roles: tuple[str, ...]
    active: bool
    note: str | None
    active_keys: int
    last_used: datetime | None  # naive UTC (FAB's key columns)


def _account(scope: Scope, account_id: int) -> ServiceAccount:
    account = service_accounts.manageable(scope, account_id)
    if account is None:
        raise NotFoundError()
    return account


def _check_new_account(username: str, role: str) -> None:
    problems: dict[str, list[DomainError]] = {}
    if not USERNAME.match(username):
        problems["username"] = [
            DomainError(N_("Use 2 to 64 letters, digits, dots, hyphens or underscores."))
        ]
    elif db.session.scalar(select(KinerjaUser.id).where(KinerjaUser.username == username)):
        problems["username"] = [DomainError(N_("This username is taken."))]
    if role not in allowed_roles():
        problems["role"] = [
            DomainError(
                N_("A service account may hold only these roles: %(roles)s."),
                roles=", ".join(allowed_roles()),
            )
        ]
    if problems:
        raise FieldErrors(problems)


@use_case
def create_service_account(
    scope: Scope, username: str, role: str, name: str = "", note: str | None = None
) -> ServiceAccount:
    """A new service account with one read-only role and no key yet."""
    if not scope.manages_all:
        raise NotFoundError()
    username = (username or "").strip()
    _check_new_account(username, role)
    role_row = db.session.scalar(select(Role).where(Role.name == role))
    if role_row is None:
        raise FieldErrors.single("role", N_("This role does not exist yet: run kinerja init."))
    user = KinerjaUser(
        username=username,
        first_name=(name or username).strip()[:64],
        last_name="",
        email=f"{username.lower()}@{EMAIL_DOMAIN}",
        password=hash_password(secrets.token_urlsafe(32)),
        active=True,
        roles=[role_row],
    )
    db.session.add(user)
    db.session.flush()
    account = ServiceAccount(user_id=user.id, note=(note or "").strip()[:500] or None)
    db.session.add(account)
    db.session.flush()
    return account


def _issue(account: ServiceAccount, name: str | None) -> IssuedKey:
    label = (name or "").strip()[
        :200
    ] or f"{account.user.username} {apikeys.naive_utcnow():%Y-%m-%d}"
    key, raw = apikeys.new_key(account.user, label)
    db.session.flush()
    return IssuedKey(account_id=account.id, key_id=key.id, name=label, key=raw)


@use_case
def issue_key(scope: Scope, account_id: int, name: str | None = None) -> IssuedKey:
    """One more key for the account (e.g. a second system of the same team)."""
    return _issue(_account(scope, account_id), name)


@use_case
def rotate_keys(scope: Scope, account_id: int, name: str | None = None) -> IssuedKey:
    """A new key; every earlier key of the account stops working at once."""
    account = _account(scope, account_id)
    _revoke_all(account)
    return _issue(account, name)


@use_case
def revoke_key(scope: Scope, account_id: int, key_id: int) -> None:
    account = _account(scope, account_id)
    key = db.session.get(ApiKey, key_id)
    if key is None or key.user_id != account.user_id:
        raise NotFoundError()
    if key.revoked_on is None:
        key.revoked_on = apikeys.naive_utcnow()


@use_case
def set_active(scope: Scope, account_id: int, active: bool) -> None:
    """Disabling the account stops its keys (and any token) at once; enabling it again
    brings back the keys that were not revoked."""
    _account(scope, account_id).user.active = active


def _revoke_all(account: ServiceAccount) -> None:
    now = apikeys.naive_utcnow()
    for key in db.session.scalars(
        select(ApiKey).where(ApiKey.user_id == account.user_id, ApiKey.revoked_on.is_(None))
    ):
        key.revoked_on = now


def list_accounts(scope: Scope) -> list[AccountSummary]:
    """The accounts one may manage, with their live keys and last use."""
    live = ApiKey.revoked_on.is_(None) & ApiKey.active.is_(True)
    keys = (
        select(
            ApiKey.user_id,
            func.count().filter(live).label("live"),
            func.max(ApiKey.last_used_on).label("last_used"),
        )
        .group_by(ApiKey.user_id)
        .subquery()
    )
    rows = db.session.execute(
        select(ServiceAccount, keys.c.live, keys.c.last_used)
        .outerjoin(keys, keys.c.user_id == ServiceAccount.user_id)
        .where(service_accounts.read(scope))
        .order_by(ServiceAccount.id)
    ).all()
    return [
        AccountSummary(
            id=account.id,
            username=account.user.username,
            name=account.user.first_name,
            roles=tuple(sorted(role.name for role in account.user.roles)),
            active=bool(account.user.active),
            note=account.note,
            active_keys=int(live or 0),
            last_used=last_used,
        )
        for account, live, last_used in rows
    ]


def account_with_keys(scope: Scope, account_id: int) -> tuple[ServiceAccount, list[ApiKey]]:
    account = _account(scope, account_id)
    keys = list(
        db.session.scalars(
            select(ApiKey).where(ApiKey.user_id == account.user_id).order_by(ApiKey.id.desc())
        )
    )
    return account, keys


@use_case
def issue_key_for_username(
    username: str, role: str | None = None, name: str | None = None
) -> IssuedKey:
    """The CLI's ``apikey create``: a key for the service account ``username``, created
    with ``role`` (the Integrator by default) when there is none. A person's login gets no
    key: people sign in."""
    user = db.session.scalar(select(KinerjaUser).where(KinerjaUser.username == username))
    if user is None:
        account = create_service_account(SYSTEM, username, role or roles.INTEGRATOR)
    else:
        found = service_account_of(user.id)
        if found is None:
            raise FieldErrors.single(
                "user",
                N_("%(username)s is a person's login, not a service account."),
                username=username,
            )
        account = found
    return _issue(account, name)
