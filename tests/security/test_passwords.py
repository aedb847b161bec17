"""Passwords: at least 12 characters, not a common one, not the username; no composition
rules (OWASP ASVS 2.1). Changing one's own password takes the current one; an Admin setting
someone's password is held to the same rules, without the current one."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.security import check_password_hash

from kinerja.extensions import db
from kinerja.models.security import KinerjaUser
from kinerja.security.passwords import MIN_LENGTH, password_problem
from tests.factories import PASSWORD, Org, login

GOOD = "nasi uduk pakai semur jengkol"


def _stored_password(user_id: int) -> str:
    db.session.expire_all()
    user = db.session.get(KinerjaUser, user_id)
    assert user is not None and user.password is not None
    return user.password


def _change_own(client: Any, new: str, current: str = PASSWORD, confirm: str | None = None) -> Any:
    return client.post(
        "/resetmypassword/form?_l_=en",
        data={
            "current_password": current,
            "password": new,
            "conf_password": new if confirm is None else confirm,
        },
    )


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("a", f"at least {MIN_LENGTH} characters"),
        ("kopi-susu11", f"at least {MIN_LENGTH} characters"),
        ("qwerty123456", "too common"),
        ("1q2w3e4r5t6y", "too common"),
        ("QWERTY123456", "too common"),
    ],
)
def test_weak_own_password_is_refused(client, org: Org, password: str, message: str) -> None:
    login(client, "employee")
    before = _stored_password(org.users.employee.id)
    response = _change_own(client, password)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _stored_password(org.users.employee.id) == before


def test_own_password_needs_the_current_one(client, org: Org) -> None:
    login(client, "employee")
    missing = client.post(
        "/resetmypassword/form?_l_=en", data={"password": GOOD, "conf_password": GOOD}
    )
    assert missing.status_code == 200
    wrong = _change_own(client, GOOD, current="bukan-kata-sandi-saya")
    assert wrong.status_code == 200
    assert "current password is not correct" in wrong.get_data(as_text=True)
    assert check_password_hash(_stored_password(org.users.employee.id), PASSWORD)
    assert _change_own(client, GOOD).status_code == 302
    assert check_password_hash(_stored_password(org.users.employee.id), GOOD)


def test_own_password_must_change(client, org: Org) -> None:
    login(client, "employee")
    response = _change_own(client, PASSWORD)
    assert response.status_code == 200
    assert "must differ from the current one" in response.get_data(as_text=True)


def test_username_is_not_a_password(client, org: Org) -> None:
    user = org.users.employee
    user.username = org.employees.epid1.nip  # as logins made for employees are
    db.session.commit()
    login(client, user.username)
    response = _change_own(client, user.username)
    assert response.status_code == 200
    assert "must not be the username" in response.get_data(as_text=True)


def test_new_password_must_be_confirmed(client, org: Org) -> None:
    login(client, "employee")
    response = _change_own(client, GOOD, confirm=GOOD + "!")
    assert response.status_code == 200
    assert "Passwords must match" in response.get_data(as_text=True)


def test_password_set_by_an_admin_follows_the_same_rules(client, org: Org) -> None:
    login(client, "admin")
    target = org.users.employee.id
    before = _stored_password(target)
    weak = client.post(
        f"/resetpassword/form?pk={target}&_l_=en",
        data={"password": "password1234", "conf_password": "password1234"},
    )
    assert weak.status_code == 200 and "too common" in weak.get_data(as_text=True)
    short = client.post(
        f"/resetpassword/form?pk={target}&_l_=en", data={"password": "a", "conf_password": "a"}
    )
    assert short.status_code == 200 and "at least" in short.get_data(as_text=True)
    assert _stored_password(target) == before
    # No current password asked; the password set is a one-time password.
    done = client.post(
        f"/resetpassword/form?pk={target}", data={"password": GOOD, "conf_password": GOOD}
    )
    assert done.status_code == 302
    db.session.expire_all()
    user = db.session.get(KinerjaUser, target)
    assert user is not None and user.must_change_password
    assert check_password_hash(user.password or "", GOOD)


def test_admin_changes_their_own_password_with_the_current_one(client, org: Org) -> None:
    """The Admin's reset form is not a way around the current password."""
    login(client, "admin")
    admin = org.users.admin.id
    before = _stored_password(admin)
    response = client.post(
        f"/resetpassword/form?pk={admin}", data={"password": GOOD, "conf_password": GOOD}
    )
    assert response.status_code == 302
    assert "/resetmypassword/form" in response.headers["Location"]
    assert _stored_password(admin) == before


def test_new_login_made_by_an_admin_follows_the_rules(client, org: Org) -> None:
    login(client, "admin")
    response = client.post(
        "/users/add?_l_=en",
        data={
            "first_name": "Baru",
            "last_name": "Uji",
            "username": "baru",
            "email": "baru@uji.example",
            "active": "y",
            "roles": [str(role.id) for role in org.users.employee.roles],
            "password": "password",
            "conf_password": "password",
        },
    )
    assert response.status_code == 200
    assert "at least" in response.get_data(as_text=True)
    assert db.session.query(KinerjaUser).filter_by(username="baru").count() == 0


@pytest.mark.parametrize(
    "password",
    [
        "kinerja-demo",  # the demo logins' password: 12 characters, not a common one
        "correct horse battery staple",
        "aku suka nasi goreng",
        "Ñandú über café ☕ 12",  # any Unicode, spaces included, counted in characters
        "x" * 128,
    ],
)
def test_long_uncommon_passwords_need_no_composition(password: str) -> None:
    assert password_problem(password) is None


@pytest.mark.parametrize(
    "password",
    ["bismillah123456", "Indonesia2026!!", "sayangku12345", "  BKPSDM-2026-01 ", "123pegawai4567"],
)
def test_indonesian_favourites_with_numbers_appended_are_common(password: str) -> None:
    problem = password_problem(password)
    assert problem is not None and "too common" in problem.template


def test_a_favourite_word_inside_a_longer_phrase_is_fine() -> None:
    assert password_problem("bismillah pagi yang cerah") is None
    assert password_problem("pegawai teladan 2026") is None


def test_longest_password_is_bounded() -> None:
    assert password_problem("x" * 129) is not None
