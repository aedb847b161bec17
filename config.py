"""Settings, all read from the environment with defaults that suit ``make run``.

``KINERJA_ENV`` picks the class: ``development`` (default), ``production`` or ``test``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("KINERJA_INSTANCE_DIR", BASE_DIR / "instance")).resolve()

DEV_SECRET_KEY = "dev-only-secret-key-change-me-in-production-0123456789"  # noqa: S105


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def env_floats(name: str, default: tuple[float, ...]) -> tuple[float, ...]:
    """A comma-separated list of numbers (``60,300,900``)."""
    value = os.environ.get(name)
    if value in (None, ""):
        return default
    return tuple(float(part) for part in value.split(",") if part.strip())


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def database_url(value: str | None) -> str | None:
    """Accept the common ``postgres://`` forms and use the psycopg 3 driver for them."""
    if value is None:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            return "postgresql+psycopg://" + value[len(prefix) :]
    return value


class Config:
    APP_NAME = "Kinerja"
    APP_ICON = ""
    SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)

    SQLALCHEMY_DATABASE_URI = database_url(
        env_str("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'kinerja.sqlite3'}")
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Jobs run inline without Redis; with it, `make worker` runs them.
    REDIS_URL = env_str("REDIS_URL")
    RQ_QUEUES = ["default", "mail"]

    MAIL_SERVER = env_str("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = env_str("MAIL_USERNAME")
    MAIL_PASSWORD = env_str("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = env_str("MAIL_DEFAULT_SENDER", "kinerja@localhost")
    MAIL_SUPPRESS_SEND = env_bool("MAIL_SUPPRESS_SEND")
    # ``smtp`` sends through MAIL_SERVER; ``log`` writes each email to the log instead (the
    # default when MAIL_SERVER is not set, as in `make run`). Either way it is recorded.
    KINERJA_MAIL_BACKEND = env_str(
        "KINERJA_MAIL_BACKEND", "smtp" if env_str("MAIL_SERVER") else "log"
    )
    KINERJA_MAIL_BATCH = env_int("KINERJA_MAIL_BATCH", 200)  # emails per SMTP connection
    KINERJA_MAIL_LEASE_SECONDS = env_int("KINERJA_MAIL_LEASE_SECONDS", 600)
    KINERJA_WEBHOOK_TIMEOUT = env_int("KINERJA_WEBHOOK_TIMEOUT", 10)  # seconds per delivery
    # Days the change feed's log and the settled webhook deliveries are kept (nightly prune).
    KINERJA_CHANGE_RETENTION_DAYS = env_int("KINERJA_CHANGE_RETENTION_DAYS", 180)
    KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS = env_int("KINERJA_WEBHOOK_DELIVERY_RETENTION_DAYS", 90)
    # Notices: the supervisors' weekly digest on this weekday (a name or ISO number, 1 =
    # Monday); reminders this many days before a deadline, then an overdue notice, then an
    # escalation to the supervisor and later to the unit's Operator while still overdue.
    KINERJA_DIGEST_WEEKDAY = env_str("KINERJA_DIGEST_WEEKDAY", "monday")
    KINERJA_REMINDER_DAYS_BEFORE = env_int("KINERJA_REMINDER_DAYS_BEFORE", 3)
    KINERJA_ESCALATE_SUPERVISOR_AFTER = env_int("KINERJA_ESCALATE_SUPERVISOR_AFTER", 3)
    KINERJA_ESCALATE_OPERATOR_AFTER = env_int("KINERJA_ESCALATE_OPERATOR_AFTER", 7)
    # Batches a sending job sends at once, each over its own SMTP connection.
    KINERJA_MAIL_CONNECTIONS = env_int("KINERJA_MAIL_CONNECTIONS", 2)
    # Seconds before the 2nd, 3rd… attempt after a transient SMTP failure; then it fails.
    KINERJA_MAIL_RETRY_DELAYS = env_floats("KINERJA_MAIL_RETRY_DELAYS", (60, 300, 900, 3600, 14400))

    # Development: reward candidates from Sangat Baik, and from Baik two years in a row; the
    # 9-box's potential is medium from this job-person match (%), high from the second.
    KINERJA_REWARD_TWO_GOOD_YEARS = env_bool("KINERJA_REWARD_TWO_GOOD_YEARS", True)
    KINERJA_POTENTIAL_BANDS = env_floats("KINERJA_POTENTIAL_BANDS", (70, 90))

    KINERJA_DEMO_PASSWORD = env_str("KINERJA_DEMO_PASSWORD", "kinerja-demo")
    KINERJA_BASE_URL = env_str("KINERJA_BASE_URL", "http://127.0.0.1:5000")
    KINERJA_UPLOAD_DIR = env_str("KINERJA_UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    KINERJA_IMPORT_MAX_BYTES = env_int("KINERJA_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
    KINERJA_IMPORT_MAX_ROWS = env_int("KINERJA_IMPORT_MAX_ROWS", 200_000)
    # Evidence files and activity attachments: outside the web root, limited in size.
    KINERJA_STORAGE_DIR = env_str("KINERJA_STORAGE_DIR", str(INSTANCE_DIR / "storage"))
    KINERJA_MAX_UPLOAD_MB = env_int("KINERJA_MAX_UPLOAD_MB", 10)
    # Larger request bodies are refused before they are read (uploads, imports).
    MAX_CONTENT_LENGTH = (max(KINERJA_MAX_UPLOAD_MB, KINERJA_IMPORT_MAX_BYTES // 2**20) + 1) * 2**20
    # Daily activities stay editable this many days after their date, then lock.
    KINERJA_ACTIVITY_EDIT_DAYS = env_int("KINERJA_ACTIVITY_EDIT_DAYS", 7)
    # Suggested indicator levels (project rule): above at ≥ 105 %, as expected at ≥ 95 %.
    KINERJA_LEVEL_ABOVE_AT = env_int("KINERJA_LEVEL_ABOVE_AT", 105)
    KINERJA_LEVEL_EXPECTED_AT = env_int("KINERJA_LEVEL_EXPECTED_AT", 95)
    # The ratings job commits every this many plans (0: the whole period in one statement,
    # the fastest); a pause between batches is for tests that stop a run half-way.
    KINERJA_RATINGS_BATCH = env_int("KINERJA_RATINGS_BATCH", 0)
    KINERJA_RATINGS_PAUSE_MS = env_int("KINERJA_RATINGS_PAUSE_MS", 0)
    # With Redis, a run of at least this many plans is fanned out per agency, one job per
    # agency that any number of workers take (0: never; docs/scale.md).
    KINERJA_RATINGS_FAN_OUT = env_int("KINERJA_RATINGS_FAN_OUT", 200_000)
    # The public survey form (SKM): submissions per client address, counted in Redis (shared
    # by every worker; in memory without REDIS_URL), "off" for none (the benchmark); and the
    # largest submission read.
    KINERJA_SURVEY_RATE_LIMIT = env_str("KINERJA_SURVEY_RATE_LIMIT", "30 per 10 minutes")
    KINERJA_SURVEY_MAX_BYTES = env_int("KINERJA_SURVEY_MAX_BYTES", 32 * 1024)
    # Reverse proxies in front of the app (0: none): the client's address, scheme and host
    # are then taken from that many X-Forwarded-* hops.
    KINERJA_PROXY_COUNT = env_int("KINERJA_PROXY_COUNT", 0)

    # Flask-AppBuilder
    FAB_SECURITY_MANAGER_CLASS = "kinerja.security.manager.KinerjaSecurityManager"
    FAB_INDEX_VIEW = "kinerja.views.home.HomeView"
    FAB_CREATE_DB = False  # Alembic owns the schema.
    FAB_UPDATE_PERMS = env_bool("FAB_UPDATE_PERMS", False)  # synced by `flask kinerja init`
    FAB_API_SWAGGER_UI = True  # served from FAB's own static files, signed-in users only
    FAB_ADD_OPENAPI_VIEWS = False  # kinerja.views.openapi serves the refined spec instead
    FAB_BASE_TEMPLATE = "kinerja/baselayout.html"
    FAB_API_MAX_PAGE_SIZE = env_int("FAB_API_MAX_PAGE_SIZE", 100)
    # API keys of service accounts (FAB's ``ab_api_key``): ``Authorization: Bearer knj_…``.
    FAB_API_KEY_ENABLED = True
    FAB_API_KEY_PREFIXES = ["knj_"]
    # Authenticated API requests per account per minute, counted in Redis (0: no limit).
    API_RATE_LIMIT = env_str("API_RATE_LIMIT", "600")
    # `kinerja bench api` only: a stock FAB list of employees beside ours, to compare.
    KINERJA_BENCH_STOCK_API = env_bool("KINERJA_BENCH_STOCK_API", False)
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    # Sign-in attempts per address (form and API), successes included: only a bound against
    # floods, high enough for a whole office behind one address signing in at 8 a.m.
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = env_str("AUTH_RATE_LIMIT", "300 per minute")
    # Failed sign-ins (and wrong current passwords) counted in Redis per account and per
    # client address ("off" for none): the defence against password guessing.
    KINERJA_SIGN_IN_ACCOUNT_LIMIT = env_str("KINERJA_SIGN_IN_ACCOUNT_LIMIT", "5 per 15 minutes")
    KINERJA_SIGN_IN_CLIENT_LIMIT = env_str("KINERJA_SIGN_IN_CLIENT_LIMIT", "100 per 15 minutes")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_STORAGE_URI = env_str("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True  # a refused sign-in says when to try again (Retry-After)
    # Redis down must not stop sign-ins: the per-address bound is skipped until it is back.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    # How often (seconds) each process asks whether Redis is back, for the degraded banner.
    KINERJA_REDIS_PROBE_SECONDS = env_int("KINERJA_REDIS_PROBE_SECONDS", 5)
    JWT_ACCESS_TOKEN_EXPIRES = env_int("JWT_ACCESS_TOKEN_EXPIRES", 3600)
    PERMANENT_SESSION_LIFETIME = env_int("SESSION_LIFETIME", 8 * 3600)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None

    # Translations: Indonesian by default, English available.
    BABEL_DEFAULT_LOCALE = env_str("BABEL_DEFAULT_LOCALE", "id")
    BABEL_DEFAULT_TIMEZONE = env_str("BABEL_DEFAULT_TIMEZONE", "Asia/Jakarta")
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "id": {"flag": "id", "name": "Bahasa Indonesia"},
        "en": {"flag": "gb", "name": "English"},
    }


class DevelopmentConfig(Config):
    DEBUG = env_bool("FLASK_DEBUG", False)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    KINERJA_BENCH_STOCK_API = False  # never in production, whatever the environment says

    @classmethod
    def check(cls) -> None:
        """Refuse to start with the development key: sessions and tokens would be forgeable."""
        if cls.SECRET_KEY in (None, DEV_SECRET_KEY) or len(cls.SECRET_KEY or "") < 32:
            raise RuntimeError("SECRET_KEY must be set (at least 32 characters) in production.")


class TestConfig(Config):
    TESTING = True
    WTF_CSRF_ENABLED = False
    SECRET_KEY = "test-secret-key-0123456789-0123456789-abcdef"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = database_url(
        env_str("KINERJA_TEST_DATABASE_URL", "postgresql+psycopg://127.0.0.1:5432/test")
    )
    REDIS_URL = env_str("KINERJA_TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    FAB_PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashes, tests only
    RATELIMIT_ENABLED = False  # the suite signs in hundreds of times from one address
    MAIL_SUPPRESS_SEND = False
    KINERJA_MAIL_BACKEND = "smtp"  # the suite's own SMTP server (aiosmtpd)


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}


def get_config(name: str | None = None) -> type[Config]:
    name = name or os.environ.get("KINERJA_ENV", "development")
    try:
        return CONFIGS[name]
    except KeyError:
        raise RuntimeError(f"KINERJA_ENV must be one of {sorted(CONFIGS)}, not {name!r}") from None


# -- Sign-in by configuration: KINERJA_AUTH=db|ldap|oauth ------------------------------------
AUTH_KINDS = {"db": 1, "ldap": 2, "oauth": 4}  # flask_appbuilder.const AUTH_DB/AUTH_LDAP/AUTH_OAUTH


def auth_settings(env: dict[str, str] | None = None) -> dict[str, object]:
    """FAB's AUTH_* (and OAUTH_PROVIDERS) settings for ``KINERJA_AUTH``, from ``env``
    (default: the process environment), so that a BKPSDM switches to its directory or
    single sign-on without editing code. Users signing in through LDAP/OAuth the first time
    are registered with ``KINERJA_AUTH_DEFAULT_ROLE`` (Employee) unless a group maps them
    elsewhere (``KINERJA_AUTH_ROLES_MAPPING``, JSON: {"cn=opd,ou=groups,…": ["Operator"]})."""
    source = os.environ if env is None else env

    def get(name: str, default: str | None = None) -> str | None:
        value = source.get(name)
        return value if value not in (None, "") else default

    kind = (get("KINERJA_AUTH", "db") or "db").strip().lower()
    if kind not in AUTH_KINDS:
        raise RuntimeError(f"KINERJA_AUTH must be one of {sorted(AUTH_KINDS)}, not {kind!r}")
    settings: dict[str, object] = {"AUTH_TYPE": AUTH_KINDS[kind]}
    if kind == "db":
        return settings

    settings.update(
        AUTH_USER_REGISTRATION=True,
        AUTH_USER_REGISTRATION_ROLE=get("KINERJA_AUTH_DEFAULT_ROLE", "Employee"),
        AUTH_ROLES_MAPPING=json.loads(get("KINERJA_AUTH_ROLES_MAPPING", "{}") or "{}"),
        AUTH_ROLES_SYNC_AT_LOGIN=(get("KINERJA_AUTH_ROLES_SYNC", "false") or "").lower()
        in {"1", "true", "yes", "on"},
    )
    if kind == "ldap":
        server = get("LDAP_SERVER")
        if not server:
            raise RuntimeError("KINERJA_AUTH=ldap needs LDAP_SERVER (ldap://host or ldaps://host).")
        settings.update(
            AUTH_LDAP_SERVER=server,
            AUTH_LDAP_USE_TLS=(get("LDAP_USE_TLS", "false") or "").lower() in {"1", "true"},
            AUTH_LDAP_TLS_CACERTFILE=get("LDAP_CA_CERT_FILE", ""),
            AUTH_LDAP_ALLOW_SELF_SIGNED=False,
            AUTH_LDAP_SEARCH=get("LDAP_SEARCH_BASE", ""),
            AUTH_LDAP_SEARCH_FILTER=get("LDAP_SEARCH_FILTER", ""),
            AUTH_LDAP_UID_FIELD=get("LDAP_UID_FIELD", "uid"),
            AUTH_LDAP_BIND_USER=get("LDAP_BIND_USER", ""),
            AUTH_LDAP_BIND_PASSWORD=get("LDAP_BIND_PASSWORD", ""),
            AUTH_LDAP_FIRSTNAME_FIELD=get("LDAP_FIRSTNAME_FIELD", "givenName"),
            AUTH_LDAP_LASTNAME_FIELD=get("LDAP_LASTNAME_FIELD", "sn"),
            AUTH_LDAP_EMAIL_FIELD=get("LDAP_EMAIL_FIELD", "mail"),
            AUTH_LDAP_GROUP_FIELD=get("LDAP_GROUP_FIELD", "memberOf"),
        )
        return settings
    name, client_id = get("OAUTH_PROVIDER", "keycloak"), get("OAUTH_CLIENT_ID")
    metadata = get("OAUTH_METADATA_URL")
    if not client_id or not metadata:
        raise RuntimeError("KINERJA_AUTH=oauth needs OAUTH_CLIENT_ID and OAUTH_METADATA_URL.")
    remote_app: dict[str, object] = {
        "client_id": client_id,
        "client_secret": get("OAUTH_CLIENT_SECRET", ""),
        "server_metadata_url": metadata,
        "api_base_url": get("OAUTH_API_BASE_URL", metadata.rsplit("/.well-known/", 1)[0] + "/"),
        "client_kwargs": {"scope": get("OAUTH_SCOPE", "openid email profile")},
    }
    settings["OAUTH_PROVIDERS"] = [
        {
            "name": name,
            "icon": get("OAUTH_ICON", "fa-key"),
            "token_key": "access_token",
            "remote_app": remote_app,
        }
    ]
    return settings


for _name, _value in auth_settings().items():
    setattr(Config, _name, _value)
