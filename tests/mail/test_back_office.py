"""*Email keluar*: the Admin sees every email, an Operator those to the people of their
units, nobody else any; *Kirim ulang* puts an email back in line under the same key and the
sending job delivers it once more."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kinerja.domain.errors import ConflictError, NotFoundError
from kinerja.extensions import db
from kinerja.models.mail import EmailStatus, OutgoingEmail
from kinerja.security.policies import scope_for_user
from kinerja.services.mail.resend import resend_email
from tests.conftest import MailSink
from tests.factories import Org, login
from tests.mail.factories import build_emails


def _listed(client: FlaskClient) -> set[int]:
    page = client.get("/outgoing-email/list/?_l_=en")
    assert page.status_code == 200
    return {int(i) for i in re.findall(r'href="/outgoing-email/show/(\d+)', page.get_data(True))}


def test_the_admin_sees_every_email_and_an_operator_those_of_their_units(
    client: FlaskClient, org: Org
) -> None:
    rows = build_emails(org)
    login(client, "admin")
    assert _listed(client) == {e.id for e in vars(rows).values()}
    login(client, "operator")
    assert _listed(client) == {rows.kabid_p2p.id, rows.epid1.id}
    page = client.get(f"/outgoing-email/show/{rows.epid1.id}?_l_=en").get_data(as_text=True)
    assert "Yth. pegawai, test 1." in page and "550 mailbox unavailable" in page
    assert client.get(f"/outgoing-email/show/{rows.penguji.id}").status_code == 404
    search = client.get("/outgoing-email/list/?_flt_0_status=failed").get_data(as_text=True)
    assert f"/outgoing-email/show/{rows.epid1.id}" in search
    assert f"/outgoing-email/show/{rows.kabid_p2p.id}" not in search


@pytest.mark.parametrize("role", ["supervisor", "employee", "integrator"])
def test_nobody_else_reads_the_outgoing_email(client: FlaskClient, org: Org, role: str) -> None:
    rows = build_emails(org)
    login(client, role)
    assert _listed(client) == set()
    assert client.get(f"/outgoing-email/show/{rows.epid1.id}").status_code == 404
    assert client.post(f"/outgoing-email/action/resend/{rows.epid1.id}").status_code == 403
    assert "/outgoing-email/list/" not in client.get("/").get_data(as_text=True)  # no menu


def test_send_again_delivers_the_email_once_more_under_the_same_key(
    client: FlaskClient, org: Org, mailbox: MailSink, run_jobs: Callable[[], None]
) -> None:
    rows = build_emails(org)
    email_id, key = rows.epid1.id, rows.epid1.key
    login(client, "operator")
    answer = client.post(f"/outgoing-email/action/resend/{email_id}")
    assert answer.status_code == 302
    db.session.expire_all()
    again = db.session.get(OutgoingEmail, email_id)
    assert (again.status, again.attempts, again.error) == (EmailStatus.PENDING, 0, None)
    run_jobs()
    db.session.expire_all()
    sent = db.session.get(OutgoingEmail, email_id)
    assert (sent.status, sent.attempts, sent.key) == (EmailStatus.SENT, 1, key)
    assert [m["To"] for m in mailbox.messages] == [sent.address]
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 4
    # sent: it may be sent again; out of reach: it does not exist
    assert client.post(f"/outgoing-email/action/resend/{email_id}").status_code == 302
    assert client.post(f"/outgoing-email/action/resend/{rows.penguji.id}").status_code == 404


def test_an_email_on_its_way_is_not_sent_again(org: Org, mailbox: MailSink) -> None:
    rows = build_emails(org)
    admin = scope_for_user(org.users.admin)
    with pytest.raises(ConflictError):
        resend_email(rows.admin.id, admin)  # still waiting
    assert db.session.get(OutgoingEmail, rows.admin.id).status == EmailStatus.PENDING
    with pytest.raises(NotFoundError):
        resend_email(rows.epid1.id, scope_for_user(org.users.supervisor))
    with pytest.raises(NotFoundError):
        resend_email(rows.penguji.id, scope_for_user(org.users.operator))
