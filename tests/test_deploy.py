"""The deployment kit of ``deploy/`` (docs/deploy.md): the backup and restore scripts against
the real PostgreSQL, the compose file and systemd units naming commands that exist, and
sign-in settings chosen by ``KINERJA_AUTH``."""

from __future__ import annotations

import configparser
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from flask import Flask
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from config import TestConfig, auth_settings
from kinerja.extensions import db
from kinerja.models.org import Employee, Unit
from tests.factories import Org

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
INSTALL_DIR = "/opt/kinerja/"


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture
def scratch_database() -> Iterator[str]:
    """An empty database beside the test database, dropped afterwards."""
    source = make_url(TestConfig.SQLALCHEMY_DATABASE_URI or "")
    name = f"{source.database}_restore"
    admin = create_engine(source.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield _libpq(source.set(database=name).render_as_string(hide_password=False))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(DEPLOY / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _counts(url: str) -> tuple[int, int, list[str]]:
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            units = connection.scalar(select(func.count()).select_from(Unit.__table__))
            employees = connection.scalar(select(func.count()).select_from(Employee.__table__))
            nips = list(connection.scalars(select(Employee.__table__.c.nip).order_by("nip")))
    finally:
        engine.dispose()
    return int(units or 0), int(employees or 0), nips


def test_backup_then_restore_brings_the_rows_back(
    app: Flask, org: Org, scratch_database: str, tmp_path: Path
) -> None:
    db.session.commit()
    source = _libpq(TestConfig.SQLALCHEMY_DATABASE_URI or "")
    expected = _counts(source)
    assert expected[1] > 0
    backup = _script(
        "backup.sh",
        DATABASE_URL=TestConfig.SQLALCHEMY_DATABASE_URI or "",
        KINERJA_BACKUP_DIR=str(tmp_path),
    )
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith("kinerja-") and dump.stat().st_size
    assert not list(tmp_path.glob("*.part"))

    restored = _script("restore.sh", "--yes", str(dump), scratch_database)
    assert restored.returncode == 0, restored.stderr
    assert _counts(scratch_database) == expected

    # Restoring again over a changed database puts back exactly the dump's rows.
    engine = create_engine(make_url(scratch_database).set(drivername="postgresql+psycopg"))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM rating"))
        connection.execute(text("UPDATE employee SET name = 'changed'"))
    engine.dispose()
    assert _script("restore.sh", "--yes", str(dump), scratch_database).returncode == 0
    assert _counts(scratch_database) == expected


def test_restore_of_a_truncated_dump_changes_nothing(
    app: Flask, org: Org, scratch_database: str, tmp_path: Path
) -> None:
    db.session.commit()
    backup = _script(
        "backup.sh",
        DATABASE_URL=TestConfig.SQLALCHEMY_DATABASE_URI or "",
        KINERJA_BACKUP_DIR=str(tmp_path),
    )
    dump = Path(backup.stdout.strip())
    assert _script("restore.sh", "--yes", str(dump), scratch_database).returncode == 0
    before = _counts(scratch_database)
    broken = tmp_path / "broken.dump"
    broken.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    failed = _script("restore.sh", "--yes", str(broken), scratch_database)
    assert failed.returncode != 0
    assert _counts(scratch_database) == before


def test_restore_refuses_without_yes(tmp_path: Path) -> None:
    refused = _script("restore.sh", str(tmp_path / "x.dump"))
    assert refused.returncode == 2 and "usage" in refused.stderr


def _cli_exists(app: Flask, words: list[str]) -> bool:
    """Whether ``flask kinerja worker …`` names a real command of the app's CLI."""
    group = app.cli
    ctx = group.make_context("flask", [], resilient_parsing=True)
    command = group.get_command(ctx, words[0])
    for word in words[1:]:
        if word.startswith("-") or not hasattr(command, "get_command"):
            break
        command = command.get_command(ctx, word)  # type: ignore[union-attr]
    return command is not None


def _exec_start(unit: Path) -> list[str]:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(unit.read_text().replace("\\\n", " "))
    assert parser.has_section("Unit") and parser.has_section("Service"), unit.name
    return shlex.split(parser["Service"]["ExecStart"])


@pytest.mark.parametrize("unit", sorted((DEPLOY / "systemd").glob("*.service")), ids=str)
def test_systemd_units_start_commands_that_exist(app: Flask, unit: Path) -> None:
    argv = _exec_start(unit)
    program = argv[0]
    assert program.startswith(INSTALL_DIR), program
    local = ROOT / program.removeprefix(INSTALL_DIR)
    assert local.is_file() and os.access(local, os.X_OK), local
    if local.name == "flask":
        assert _cli_exists(app, argv[1:]), argv
    if local.name == "gunicorn":
        assert argv[-1] == "run:app" and (ROOT / "run.py").is_file()


def test_compose_file_loads_and_its_commands_exist(app: Flask) -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    services = compose["services"]
    assert {"postgres", "redis", "migrate", "web", "worker", "scheduler", "nginx"} <= set(services)
    for name in ("migrate", "worker", "scheduler"):
        command = services[name]["command"]
        assert command[0] == "flask" and _cli_exists(app, command[1:]), command
    assert services["web"]["image"] == services["worker"]["image"] == "kinerja:latest"
    assert services["worker"]["volumes"] == services["web"]["volumes"]  # shared evidence
    assert (DEPLOY / services["web"]["build"]["dockerfile"].removeprefix("deploy/")).is_file()
    mounted = services["nginx"]["volumes"][0].split(":")[0]
    assert (DEPLOY / mounted).is_file()


def test_ldap_sign_in_by_configuration() -> None:
    settings = auth_settings(
        {
            "KINERJA_AUTH": "ldap",
            "LDAP_SERVER": "ldaps://ldap.example.go.id",
            "LDAP_SEARCH_BASE": "ou=people,dc=example,dc=go,dc=id",
            "LDAP_BIND_USER": "cn=kinerja,dc=example,dc=go,dc=id",
            "LDAP_BIND_PASSWORD": "secret",
            "KINERJA_AUTH_ROLES_MAPPING": '{"cn=opd,ou=groups": ["Operator"]}',
        }
    )
    assert settings["AUTH_TYPE"] == 2  # flask_appbuilder.const.AUTH_LDAP
    assert settings["AUTH_LDAP_SERVER"] == "ldaps://ldap.example.go.id"
    assert settings["AUTH_LDAP_SEARCH"] == "ou=people,dc=example,dc=go,dc=id"
    assert settings["AUTH_LDAP_BIND_USER"] == "cn=kinerja,dc=example,dc=go,dc=id"
    assert settings["AUTH_LDAP_UID_FIELD"] == "uid"
    assert settings["AUTH_USER_REGISTRATION"] is True
    assert settings["AUTH_USER_REGISTRATION_ROLE"] == "Employee"
    assert settings["AUTH_ROLES_MAPPING"] == {"cn=opd,ou=groups": ["Operator"]}


def test_the_config_classes_take_the_sign_in_from_the_environment() -> None:
    code = "import config; c = config.ProductionConfig; print(c.AUTH_TYPE, c.AUTH_LDAP_SERVER)"
    env = {**os.environ, "KINERJA_AUTH": "ldap", "LDAP_SERVER": "ldap://dir:389"}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["2", "ldap://dir:389"]


def test_oauth_and_default_sign_in() -> None:
    assert auth_settings({}) == {"AUTH_TYPE": 1}
    oauth = auth_settings(
        {
            "KINERJA_AUTH": "oauth",
            "OAUTH_PROVIDER": "keycloak",
            "OAUTH_CLIENT_ID": "kinerja",
            "OAUTH_METADATA_URL": "https://sso.example.go.id/realms/asn/.well-known/openid-configuration",
        }
    )
    assert oauth["AUTH_TYPE"] == 4
    (provider,) = oauth["OAUTH_PROVIDERS"]  # type: ignore[misc]
    assert provider["name"] == "keycloak"
    assert provider["remote_app"]["client_id"] == "kinerja"
    assert provider["remote_app"]["api_base_url"] == "https://sso.example.go.id/realms/asn/"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"KINERJA_AUTH": "ldap"}, "LDAP_SERVER"),
        ({"KINERJA_AUTH": "oauth"}, "OAUTH_CLIENT_ID"),
        ({"KINERJA_AUTH": "saml"}, "KINERJA_AUTH must be one of"),
    ],
)
def test_incomplete_sign_in_settings_are_refused(env: dict[str, str], missing: str) -> None:
    with pytest.raises(RuntimeError, match=missing):
        auth_settings(env)
