"""``make prod-check``: refuse an unsafe production configuration, one line per problem.

Run before a deploy, in the environment the app will get (``python -m kinerja.prod_check``).
It reads the settings as :class:`config.ProductionConfig` would, without building the app
(which refuses to start with the development key before it could say what else is wrong),
and asks the database, if it answers, whether the demo logins are still there. Exit code 0
when nothing is wrong, 1 otherwise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.security import check_password_hash

from config import DEV_SECRET_KEY, ProductionConfig, env_bool
from kinerja.demo.org_data import logins

MIN_SECRET = 32
DEMO_EMAIL_DOMAIN = "@kinerja.example"


def settings_problems(config: type[ProductionConfig] = ProductionConfig) -> list[str]:
    """What is unsafe in the settings themselves."""
    problems = []
    secret = config.SECRET_KEY or ""
    if secret == DEV_SECRET_KEY or not secret:
        problems.append("SECRET_KEY is the development default: set a random secret.")
    elif len(secret) < MIN_SECRET:
        problems.append(f"SECRET_KEY is shorter than {MIN_SECRET} characters.")
    if env_bool("FLASK_DEBUG") or getattr(config, "DEBUG", False):
        problems.append("FLASK_DEBUG is on: the debugger would run code sent by anyone.")
    url = config.SQLALCHEMY_DATABASE_URI or ""
    if url.startswith("sqlite"):
        problems.append("DATABASE_URL is SQLite: use PostgreSQL in production.")
    if os.environ.get("KINERJA_ENV", "development") != "production":
        problems.append("KINERJA_ENV is not 'production'.")
    return problems


def demo_login_problems(url: str, demo_password: str) -> list[str]:
    """Active demo logins (by their demo address or the demo password) in the database."""
    names = [spec.username for spec in logins()]
    try:
        engine = create_engine(url)
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT username, email, password FROM ab_user WHERE active")
            ).all()
        engine.dispose()
    except SQLAlchemyError as exc:
        return [f"The database could not be checked for demo logins: {type(exc).__name__}."]
    found = [
        username
        for username, email, password in rows
        if username in names
        and (
            (email or "").endswith(DEMO_EMAIL_DOMAIN)
            or check_password_hash(password or "", demo_password)
        )
    ]
    return [f"The demo login '{name}' is active: remove it or change it." for name in found]


def problems() -> list[str]:
    found = settings_problems()
    url = ProductionConfig.SQLALCHEMY_DATABASE_URI or ""
    if url and not url.startswith("sqlite"):
        found += demo_login_problems(url, ProductionConfig.KINERJA_DEMO_PASSWORD or "")
    return found


def main(lines: Iterable[str] | None = None) -> int:
    found = list(problems() if lines is None else lines)
    for line in found:
        print(f"prod-check: {line}")
    if not found:
        print("prod-check: the production configuration looks safe.")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
