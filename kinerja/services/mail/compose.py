"""Composing email: who receives it, in which language, and recording it once.

Every kind of email (feedback, digests, reminders…) is written the same way: a job finds
the recipients with :func:`employee_recipients` or :func:`user_recipients`, makes one
:class:`Draft` each and calls :func:`record` inside its use case. :func:`record` renders
``email/<template>.txt`` and ``.html`` in each recipient's language, leaves out those who
declined the kind, and inserts the rows with their idempotency key, skipping any key
already recorded — a job run twice records (and so sends) nothing twice. The sending job
(:data:`SEND_JOB`, scheduled here after the commit) delivers what was recorded.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import current_app
from flask_babel import force_locale, get_translations, gettext
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from kinerja.extensions import db
from kinerja.models.base import utcnow
from kinerja.models.mail import EmailKind, EmailStatus, OutgoingEmail
from kinerja.models.org import Employee
from kinerja.models.security import KinerjaUser
from kinerja.services import outbox

SEND_JOB = "send_emails"
MAIL_QUEUE = "mail"
# Addresses made up for logins of employees without one (see services.logins).
UNDELIVERABLE_SUFFIX = ".invalid"
KEY_LENGTH = 200


@dataclass(frozen=True)
class Recipient:
    """Someone an email can reach: an employee (with or without a login) or a login."""

    address: str
    name: str
    language: str
    user_id: int | None = None
    employee_id: int | None = None
    digests: bool = True
    reminders: bool = True

    @property
    def ref(self) -> str:
        """Who, in an idempotency key: the login if there is one, else the employee."""
        return f"u{self.user_id}" if self.user_id is not None else f"e{self.employee_id}"

    def accepts(self, kind: EmailKind) -> bool:
        """Whether this person receives ``kind`` (they may decline digests and reminders)."""
        if not kind.optional:
            return True
        return self.digests if kind.digest else self.reminders


@dataclass(frozen=True)
class Draft:
    """One email before it is rendered.

    ``event`` names what the email is about, unique for the kind and the recipient
    (``evaluation 31``, ``week 2026-W49``, ``sub-period 12 reporting 3 days before``).
    ``subject`` is a message id (``N_``) formatted with ``subject_args`` in the recipient's
    language; ``context`` is given to both templates with ``recipient`` and ``base_url``.
    """

    kind: EmailKind
    recipient: Recipient
    event: str
    template: str
    subject: str
    subject_args: Mapping[str, Any] = field(default_factory=dict)
    context: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"{self.kind.value}:{self.recipient.ref}:{self.event}"[:KEY_LENGTH]


def deliverable(address: str | None) -> bool:
    return bool(address) and not (address or "").endswith(UNDELIVERABLE_SUFFIX)


def default_language() -> str:
    language: str = current_app.config["BABEL_DEFAULT_LOCALE"]
    return language


def language_of(locale: str | None) -> str:
    """The user's language if the instance offers it, else the instance's default."""
    if locale and locale in current_app.config["LANGUAGES"]:
        return locale
    return default_language()


def employee_recipients(employee_ids: Iterable[int]) -> dict[int, Recipient]:
    """The employees (by id) that an email can reach, with their login's settings: their
    own address, else their login's real one. Employees without either are left out."""
    ids = sorted(set(employee_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(Employee.id, Employee.name, Employee.email, KinerjaUser)
        .outerjoin(KinerjaUser, KinerjaUser.id == Employee.user_id)
        .where(Employee.id.in_(ids))
    ).all()
    found: dict[int, Recipient] = {}
    for employee_id, name, email, user in rows:
        address = email if deliverable(email) else (user.email if user else None)
        if address is None or not deliverable(address):
            continue
        found[employee_id] = _recipient(address, name, user, employee_id)
    return found


def user_recipients(user_ids: Iterable[int]) -> dict[int, Recipient]:
    """The active logins (by id) that an email can reach: the address of their employee if
    they are one, else the login's own; logins with neither are left out."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = db.session.execute(
        select(KinerjaUser, Employee.id, Employee.name, Employee.email)
        .outerjoin(Employee, Employee.user_id == KinerjaUser.id)
        .where(KinerjaUser.id.in_(ids), KinerjaUser.active.is_(True))
    ).all()
    found: dict[int, Recipient] = {}
    for user, employee_id, name, email in rows:
        address = email if deliverable(email) else user.email
        if not deliverable(address):
            continue
        full_name = name or " ".join(p for p in (user.first_name, user.last_name) if p)
        found[user.id] = _recipient(address, full_name or user.username, user, employee_id)
    return found


def _recipient(
    address: str, name: str, user: KinerjaUser | None, employee_id: int | None
) -> Recipient:
    return Recipient(
        address=address,
        name=name,
        language=language_of(user.locale if user else None),
        user_id=user.id if user else None,
        employee_id=employee_id,
        digests=user.email_digests if user else True,
        reminders=user.email_reminders if user else True,
    )


def link(path: str) -> str:
    """An absolute link into the product for an email (no request to build it from)."""
    base = str(current_app.config.get("KINERJA_BASE_URL") or "").rstrip("/")
    return f"{base}/{path.lstrip('/')}"


def render(drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    """The rows of ``drafts``, each rendered in its recipient's language (one locale switch
    per language, not per email)."""
    by_language: dict[str, list[Draft]] = defaultdict(list)
    for draft in drafts:
        by_language[draft.recipient.language].append(draft)
    env = current_app.jinja_env
    base_url = link("")
    rows: list[dict[str, Any]] = []
    for language, group in by_language.items():
        with force_locale(language):
            translate = _translator(get_translations())
            for draft in group:
                context = {
                    **draft.context,
                    "recipient": draft.recipient,
                    "base_url": base_url,
                    "_": translate,
                    "gettext": translate,
                }
                text = env.get_template(f"email/{draft.template}.txt").render(context)
                html = env.get_template(f"email/{draft.template}.html").render(context)
                rows.append(
                    _row(draft, language, gettext(draft.subject, **draft.subject_args), text, html)
                )
    return rows


def _translator(translations: Any) -> Any:
    """The templates' ``_`` bound to one language's catalogue, found once per language
    instead of once per string; otherwise Jinja's own (``newstyle``): the result is markup
    in HTML templates, so the values formatted into it are escaped."""

    @pass_context
    def translate(context: Any, message: str, **variables: Any) -> Any:
        text = translations.ugettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704 -- our own catalogue, as Jinja does
        return text % variables

    return translate


def _row(draft: Draft, language: str, subject: str, text: str, html: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "key": draft.key,
        "kind": draft.kind,
        "recipient_id": draft.recipient.user_id,
        "address": draft.recipient.address,
        "language": language,
        "subject": subject[:300],
        "text_body": text,
        "html_body": html,
        "status": EmailStatus.PENDING,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def record(drafts: Iterable[Draft], *, run_id: int | None = None) -> list[int]:
    """Record the drafts whose recipient accepts their kind and whose key is new; the ids
    recorded. Inside the caller's use case: the rows commit with it, and the sending job
    is scheduled to run after the commit when anything was recorded."""
    wanted = [d for d in drafts if d.recipient.accepts(d.kind)]
    if not wanted:
        return []
    keys = {d.key for d in wanted}
    known = set(db.session.scalars(select(OutgoingEmail.key).where(OutgoingEmail.key.in_(keys))))
    fresh: dict[str, Draft] = {}
    for draft in wanted:
        if draft.key not in known:
            fresh.setdefault(draft.key, draft)
    if not fresh:
        return []
    rows = render(list(fresh.values()))
    for row in rows:
        row["run_id"] = run_id
    ids = _insert_new(rows)
    if ids:
        outbox.schedule(SEND_JOB, queue_name=MAIL_QUEUE)
    return ids


def _insert_new(rows: list[dict[str, Any]]) -> list[int]:
    """Insert the rows, skipping a key recorded meanwhile by another job (no error, no
    duplicate); the ids inserted."""
    dialect: Any = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(OutgoingEmail.__table__)
        .on_conflict_do_nothing(index_elements=["key"])
        .returning(OutgoingEmail.__table__.c.id)
    )
    ids: list[int] = []
    for start in range(0, len(rows), 1000):
        ids.extend(db.session.scalars(statement, rows[start : start + 1000]).all())
    return ids
