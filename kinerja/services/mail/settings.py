"""A person's email settings, chosen in their own profile: the language of their emails
and whether they receive digests and reminders. Formal feedback (an evaluation approved, a
final rating) cannot be declined: :meth:`~kinerja.models.mail.EmailKind.optional`."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from kinerja.domain.errors import N_, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from kinerja.security.policies.mail import may_set_email_settings
from kinerja.security.policies.scope import Scope
from kinerja.services.boundary import use_case
from kinerja.services.mail.compose import language_of


@dataclass(frozen=True)
class EmailSettings:
    language: str
    digests: bool
    reminders: bool


def email_settings(user: KinerjaUser) -> EmailSettings:
    """What the login has chosen (their language the instance's default until they choose)."""
    return EmailSettings(language_of(user.locale), user.email_digests, user.email_reminders)


@use_case
def set_email_settings(user_id: int, settings: EmailSettings, scope: Scope) -> KinerjaUser:
    """Save one's own email settings; another login's are out of reach (404)."""
    user = db.session.get(KinerjaUser, user_id) if may_set_email_settings(scope, user_id) else None
    if user is None:
        raise NotFoundError()
    if settings.language not in current_app.config["LANGUAGES"]:
        raise FieldErrors.single("language", N_("Choose one of the languages offered."))
    user.locale = settings.language
    user.email_digests = settings.digests
    user.email_reminders = settings.reminders
    return user
