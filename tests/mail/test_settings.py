"""One's own email settings from the profile: the language of one's emails and the
opt-outs of digests and reminders, saved through their use case and honoured when emails
are recorded (formal feedback cannot be declined)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from kinerja.domain.errors import N_, FieldErrors, NotFoundError
from kinerja.extensions import db
from kinerja.models.mail import EmailKind, OutgoingEmail
from kinerja.models.security import KinerjaUser
from kinerja.security.policies import scope_for_user
from kinerja.services.boundary import transaction
from kinerja.services.mail import compose
from kinerja.services.mail.settings import EmailSettings, set_email_settings
from tests.factories import Org, login

pytestmark = pytest.mark.usefixtures("probe_templates")


def _user(user_id: int) -> KinerjaUser:
    db.session.expire_all()
    return db.session.get(KinerjaUser, user_id)


def test_the_profile_leads_to_the_email_settings_and_saves_them(
    client: FlaskClient, org: Org
) -> None:
    login(client, "employee")
    profile = client.get("/users/userinfo/?_l_=en").get_data(as_text=True)
    assert "/users/action/emailsettings/" in profile
    user_id = org.users.employee.id
    assert client.get(f"/users/action/emailsettings/{user_id}").status_code == 302
    form = client.get("/profile/email/form?_l_=en")
    assert form.status_code == 200 and 'name="language"' in form.get_data(as_text=True)
    # unticked boxes are not sent: digests off, reminders on
    saved = client.post("/profile/email/form", data={"language": "en", "reminders": "y"})
    assert saved.status_code == 302
    user = _user(user_id)
    assert (user.locale, user.email_digests, user.email_reminders) == ("en", False, True)
    assert client.post("/profile/email/form", data={"language": "xx"}).status_code == 200
    assert _user(user_id).locale == "en"


def test_saved_settings_are_honoured_when_emails_are_recorded(org: Org) -> None:
    user = org.users.employee
    set_email_settings(user.id, EmailSettings("en", False, True), scope_for_user(user))
    set_email_settings(
        org.users.supervisor.id,
        EmailSettings("id", True, False),
        scope_for_user(org.users.supervisor),
    )
    found = compose.user_recipients([user.id, org.users.supervisor.id])
    drafts = [
        compose.Draft(kind, recipient, "week 1", "probe", N_("Sent %(sent)d"), {"sent": 1})
        for kind in (EmailKind.FEEDBACK, EmailKind.DIGEST, EmailKind.REMINDER)
        for recipient in found.values()
    ]
    with transaction():
        compose.record(drafts)
    recorded = {
        (e.recipient_id, e.kind, e.language) for e in db.session.scalars(select(OutgoingEmail))
    }
    employee, supervisor = user.id, org.users.supervisor.id
    assert recorded == {
        (employee, EmailKind.FEEDBACK, "en"),
        (employee, EmailKind.REMINDER, "en"),
        (supervisor, EmailKind.FEEDBACK, "id"),
        (supervisor, EmailKind.DIGEST, "id"),
    }


def test_only_ones_own_settings_and_only_offered_languages(org: Org) -> None:
    employee = scope_for_user(org.users.employee)
    with pytest.raises(NotFoundError):
        set_email_settings(org.users.other.id, EmailSettings("en", False, False), employee)
    with pytest.raises(FieldErrors):
        set_email_settings(org.users.employee.id, EmailSettings("fr", True, True), employee)
    other = _user(org.users.other.id)
    assert (other.locale, other.email_digests, other.email_reminders) == (None, True, True)
