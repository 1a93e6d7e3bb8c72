"""Configuration: defaults in code, overridden by `SMART_QN_*` environment variables, then by the mapping
given to `create_app` (tests)."""

from datetime import date
from pathlib import Path

from flask import Flask

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_SECRET_KEY = "dev-only-insecure-secret-key"
# What a form sends besides its file: a notice's texts in two languages and its other fields.
FORM_ALLOWANCE = 1024 * 1024


def bundled_dir(name: str) -> Path:
    """`migrations/` or `translations/`: inside the package in an installed wheel, beside it in a checkout."""
    inside = PACKAGE_DIR / name
    return inside if inside.is_dir() else PACKAGE_DIR.parent / name


class DefaultConfig:
    ENVIRONMENT = "development"
    SECRET_KEY = DEFAULT_SECRET_KEY
    # None means a SQLite file in the instance folder.
    DATABASE_URL: str | None = None
    DEFAULT_LANGUAGE = "vi"
    LANGUAGES = ("vi", "en")
    TIMEZONE = "Asia/Ho_Chi_Minh"
    # Which administrative map the API shows by default: the last day of the 18-district, 241-commune
    # Quảng Nam (the district level ended and the province joined Đà Nẵng on 2025-07-01).
    UNITS_AS_OF = "2024-12-31"
    PAGE_SIZE_DEFAULT = 20
    PAGE_SIZE_MAX = 100

    # Redis, when set, holds the response cache, its invalidation counter and the rate-limit counters,
    # so that many app instances agree. Without it everything stays in the process.
    REDIS_URL: str | None = None
    # Seconds a client or proxy may reuse a public API response (Cache-Control: max-age).
    CACHE_MAX_AGE = 60
    # The server-side response cache: on by default; entries live at most this long, and never past the
    # next scheduled publish or expiry.
    RESPONSE_CACHE_ENABLED = True
    RESPONSE_CACHE_TTL = 300
    # JSON bodies at least this large are compressed (brotli or gzip, as the client accepts).
    COMPRESS_MIN_SIZE = 1024
    # Per client address on every public API endpoint. Mobile carriers put many phones behind one
    # address (CGNAT), hence the generous default.
    API_RATE_LIMIT = "300 per minute"
    API_RATE_LIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    # The management API (smart_qn.api.manage) is limited per API token, writes more tightly than reads,
    # and takes at most this many figures per call.
    MANAGE_API_WRITE_RATE_LIMIT = "60 per minute"
    MANAGE_API_READ_RATE_LIMIT = "600 per minute"
    MANAGE_API_MAX_ITEMS = 5000
    # Days after a period ends before its figure is overdue, when the indicator sets none
    # (smart_qn.reporting.freshness). A month's figures are consolidated in the first half of the next month,
    # so 15 days also lines up with the province's every-15-days review; a quarter's take the next month;
    # a year's official figures (poverty rates, new-rural communes, administrative reform indices) are only
    # approved in the first quarter of the next year.
    FRESHNESS_GRACE_DAYS = {"monthly": 15, "quarterly": 30, "annual": 90}
    # How many proxies in front of the app set X-Forwarded-For (0: use the socket address).
    PROXY_COUNT = 0
    # Delta sync: cursors older than this must resync from scratch (deletion tombstones are kept as long).
    SYNC_MAX_AGE_DAYS = 30
    LOG_LEVEL = "INFO"

    # Files attached to notices, stored by content hash; None means `attachments` in the instance folder
    # (never inside the package, whose static folder is served).
    ATTACHMENT_DIR: str | None = None
    # Spreadsheets uploaded for import, kept between the preview and its confirmation; None means `imports`
    # in the instance folder.
    IMPORT_DIR: str | None = None
    ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    # The largest request body accepted, refused (413) before it is read; None means one attachment and
    # room for the rest of its form.
    MAX_CONTENT_LENGTH: int | None = None
    # Background jobs (smart_qn.jobs): a sqlite:///path (None: tasks.sqlite3 in the instance folder), or a
    # redis:// URL that workers on many machines share.
    TASK_QUEUE_URL: str | None = None
    # Run jobs inline when enqueued, without a consumer. None: when TESTING.
    TASK_QUEUE_IMMEDIATE: bool | None = None

    # Pushes that need a second person's approval besides province-wide and emergency ones: those that reach
    # more devices than this. At most this many province-wide pushes a day (the province's day).
    PUSH_APPROVAL_REACH = 10_000
    PUSH_DAILY_PROVINCE_WIDE_CAP = 5
    # A delivery batch in flight longer than this belonged to a worker that died: it is sent again.
    PUSH_STUCK_AFTER_SECONDS = 120
    # Attempts at a batch that fails transiently (429, 5xx, no answer) before it counts as failed.
    PUSH_MAX_ATTEMPTS = 5
    # The app's inbox lists the pushes of this many days, whatever their TTL.
    INBOX_DAYS = 30

    # Push delivery through FCM: a service-account JSON file and its Firebase project. Without both, pushes
    # go to the outbox (smart_qn.push.outbox), which records what would have been sent.
    FIREBASE_CREDENTIALS: str | None = None
    FIREBASE_PROJECT_ID: str | None = None
    # Tests only: the base URL of a local FCM stand-in for firebase-admin to talk to. Refused in production.
    FCM_ENDPOINT_OVERRIDE: str | None = None

    # The admin: server-side sessions end after this long without a request, and this long after sign-in.
    ADMIN_SESSION_IDLE_MINUTES = 30
    ADMIN_SESSION_MAX_HOURS = 12
    SESSION_COOKIE_NAME = "smart_qn_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None: Secure in production (HTTPS), not in development (plain http://127.0.0.1).
    SESSION_COOKIE_SECURE: bool | None = None
    # CSRF tokens live as long as the session they belong to.
    WTF_CSRF_TIME_LIMIT = None
    # Checked by the admin blueprint itself, so that the JSON API (tokens, no cookies) is not subject to it.
    WTF_CSRF_CHECK_DEFAULT = False

    JSON_SORT_KEYS = False
    # Set in load_config: a liveness check of pooled connections where there is a server to lose.
    SQLALCHEMY_ENGINE_OPTIONS: dict | None = None

    API_TITLE = "Smart Quảng Nam API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
    OPENAPI_SWAGGER_UI_CONFIG = {"validatorUrl": None}
    OPENAPI_REDOC_PATH = "docs/redoc"
    OPENAPI_REDOC_URL = "/static/vendor/redoc/redoc.standalone.js"
    API_SPEC_OPTIONS = {
        "info": {
            "description": (
                "Public read API of Smart Quảng Nam: notices, online public services, indicators and "
                "administrative units of Quảng Nam province. Only published content is served. "
                "Errors share one JSON shape (`Error`)."
            ),
            "license": {"name": "MIT"},
        },
    }


class ConfigError(RuntimeError):
    pass


def load_config(app: Flask, overrides: dict | None) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("SMART_QN")
    if overrides:
        app.config.update(overrides)

    database_url = app.config["DATABASE_URL"] or f"sqlite:///{Path(app.instance_path) / 'smart_qn.sqlite3'}"
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(database_url)
    if app.config["SQLALCHEMY_ENGINE_OPTIONS"] is None:
        # A SQLite file cannot drop a connection: pinging it would cost a statement per request.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": not database_url.startswith("sqlite:")}
    app.config["UNITS_AS_OF"] = _parse_date("UNITS_AS_OF", app.config["UNITS_AS_OF"])
    app.config["BABEL_DEFAULT_LOCALE"] = app.config["DEFAULT_LANGUAGE"]
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["TIMEZONE"]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(bundled_dir("translations"))
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or "memory://"
    if app.config["TASK_QUEUE_IMMEDIATE"] is None:
        app.config["TASK_QUEUE_IMMEDIATE"] = bool(app.config["TESTING"])
    if app.config["SESSION_COOKIE_SECURE"] is None:
        app.config["SESSION_COOKIE_SECURE"] = app.config["ENVIRONMENT"] == "production"
    if app.config["ATTACHMENT_DIR"] is None:
        app.config["ATTACHMENT_DIR"] = str(Path(app.instance_path) / "attachments")
    if app.config["IMPORT_DIR"] is None:
        app.config["IMPORT_DIR"] = str(Path(app.instance_path) / "imports")
    if app.config["MAX_CONTENT_LENGTH"] is None:
        app.config["MAX_CONTENT_LENGTH"] = app.config["ATTACHMENT_MAX_BYTES"] + FORM_ALLOWANCE
    _check(app.config)


def normalize_database_url(url: str) -> str:
    """Let operators write plain `postgresql://` URLs; the driver we ship is psycopg 3."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def _parse_date(key: str, value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ConfigError(f"SMART_QN_{key} must be a date (YYYY-MM-DD), not {value!r}") from error


def _check(config) -> None:
    if config["ENVIRONMENT"] not in ("development", "production"):
        raise ConfigError("SMART_QN_ENVIRONMENT must be 'development' or 'production'")
    if config["ENVIRONMENT"] == "production" and config["SECRET_KEY"] in (DEFAULT_SECRET_KEY, "", None):
        raise ConfigError(
            "Refusing to start in production with the default secret key: set SMART_QN_SECRET_KEY"
        )
    if config["ENVIRONMENT"] == "production" and config["FCM_ENDPOINT_OVERRIDE"]:
        raise ConfigError(
            "SMART_QN_FCM_ENDPOINT_OVERRIDE is for tests: refusing to start in production with it"
        )
    if config["DEFAULT_LANGUAGE"] not in config["LANGUAGES"]:
        raise ConfigError(f"SMART_QN_DEFAULT_LANGUAGE must be one of {', '.join(config['LANGUAGES'])}")
    if not 1 <= config["PAGE_SIZE_DEFAULT"] <= config["PAGE_SIZE_MAX"]:
        raise ConfigError("SMART_QN_PAGE_SIZE_DEFAULT must be between 1 and SMART_QN_PAGE_SIZE_MAX")
