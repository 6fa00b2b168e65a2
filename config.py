"""Configuration classes: embedded development default, PostgreSQL test suite, production."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("MARKETPLACE_INSTANCE", BASE_DIR / "instance"))


class Config:
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    INSTANCE_DIR = INSTANCE_DIR
    MEDIA_DIR = INSTANCE_DIR / "media"
    MAIL_DIR = INSTANCE_DIR / "mail"
    MAIL_BACKEND = "files"  # "files" writes .eml files, "smtp" sends
    MAIL_DEFAULT_SENDER = "Les Ateliers <bonjour@lesateliers-castres.fr>"
    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    BABEL_DEFAULT_TIMEZONE = "Europe/Paris"
    LANGUAGES = ("fr", "en")
    CURRENCY = "EUR"
    WTF_CSRF_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: "Rester connecté" lasts a month, not Flask-Login's default year.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "lesateliers"
    #: Failed sign-ins (accounts.throttling): one person guessing one account from one place;
    #: one machine trying many accounts; many machines trying one account (then only the
    #: emailed reset link lets its owner in).
    LOGIN_FAILURES_PER_ACCOUNT_AND_IP = "10 per 15 minutes"
    LOGIN_FAILURES_PER_IP = "50 per hour"
    LOGIN_FAILURES_PER_ACCOUNT = "30 per hour"
    #: Wrong current passwords typed in a signed-in session before it must wait.
    PASSWORD_CHECK_FAILURES_PER_ACCOUNT = "5 per 15 minutes"
    #: New accounts per IP: enough for a family, too few to probe which emails have one.
    REGISTRATION_RATE_LIMIT = "10 per hour"
    #: Reset emails per address and per IP: enough for a lost email, too few to flood an inbox.
    PASSWORD_RESET_RATE_LIMIT = "5 per hour"
    PASSWORD_RESET_MAX_AGE_SECONDS = 3600
    #: How many reverse proxies sit in front of the app (their X-Forwarded-* headers are
    #: trusted); the login rate limit counts per client IP only when this is right.
    TRUSTED_PROXY_COUNT = 0
    PRODUCTS_PER_PAGE = 20
    #: The largest request body accepted (413 beyond): forms are small; a view that takes
    #: uploads (a Vendor's photos) raises its own limit for its requests.
    MAX_CONTENT_LENGTH = 1024 * 1024
    #: Form fields other than files, and how many parts a form may have.
    MAX_FORM_MEMORY_SIZE = 256 * 1024
    MAX_FORM_PARTS = 200
    #: How long each process reuses the Categories and the Vendor list of a listing's filter
    #: (catalog services): they change rarely and every storefront page needs them.
    CATALOG_CACHE_SECONDS = 60
    UNPAID_ORDER_TTL_MINUTES = 30
    #: The web process runs the periodic tasks itself (the embedded hub has no beat).
    PERIODIC_TASKS_IN_PROCESS = False
    PAYMENT_GATEWAY = "dev"  # "dev" (local test card page) or "stripe"
    STRIPE_SECRET_KEY: str | None = None
    STRIPE_PUBLISHABLE_KEY: str | None = None
    STRIPE_WEBHOOK_SECRET: str | None = None
    #: A Stripe-compatible server (tests: localstripe on loopback).
    STRIPE_API_BASE: str | None = None
    #: Retries of a Stripe call that failed on the way (connection, timeout, 409, 5xx), each
    #: with the same idempotency key; StripeClient makes none unless told.
    STRIPE_MAX_NETWORK_RETRIES = 2
    #: Seconds to wait for one Stripe answer before retrying it.
    STRIPE_TIMEOUT_SECONDS = 20
    REDIS_URL: str | None = None
    #: "in_process" runs outbox tasks right after commit; "celery" publishes them to the broker.
    TASK_RUNNER = "in_process"
    #: Seconds before Redis hands an unacknowledged task to another worker: longer than any
    #: task may run (CELERY_TASK_TIME_LIMIT) plus any countdown or ETA a task may ask for.
    CELERY_VISIBILITY_TIMEOUT = 3600
    CELERY_TASK_TIME_LIMIT = 900
    #: Extra Celery settings, applied last (tests shorten the broker's timeouts here).
    CELERY: dict = {}
    #: Sent outbox messages are kept this long (their dedupe keys too), then deleted.
    OUTBOX_RETENTION_DAYS = 30
    #: A message sent this long ago that no worker finished is sent again (Redis lost it),
    #: at most OUTBOX_MAX_RESENDS times. Longer than a task's time limit plus its retries.
    OUTBOX_RESEND_AFTER_SECONDS = 7200
    OUTBOX_MAX_RESENDS = 3
    SECURE_HEADERS_HSTS = False
    PREFERRED_URL_SCHEME = "http"
    SERVER_NAME: str | None = None


class DevelopmentConfig(Config):
    DEBUG = False
    PERIODIC_TASKS_IN_PROCESS = os.environ.get("PERIODIC_TASKS_IN_PROCESS", "1") == "1"
    #: None: the app factory makes a random one on first run and keeps it under instance/,
    #: so no two embedded hubs share a key (a known key forges any session, an Admin's too).
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'marketplace.sqlite3'}"
    )


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 5, "max_overflow": 20}
    REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = "localhost"
    #: Each test builds its own catalogue: lists kept from the previous test would be wrong.
    CATALOG_CACHE_SECONDS = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    SECURE_HEADERS_HSTS = True
    PREFERRED_URL_SCHEME = "https"
    TASK_RUNNER = "celery"

    REQUIRED = ("SECRET_KEY", "DATABASE_URL", "REDIS_URL")
    STRIPE_REQUIRED = ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET")

    def __init__(self) -> None:
        missing = [name for name in self.REQUIRED if not os.environ.get(name)]
        if missing:
            raise RuntimeError(
                f"Production configuration needs {', '.join(missing)} in the environment"
            )
        env = os.environ
        self.SECRET_KEY = env["SECRET_KEY"]
        self.SQLALCHEMY_DATABASE_URI = env["DATABASE_URL"]
        # No pre-ping: it is one more round trip to PostgreSQL on every request, for every
        # page. Connections are renewed after half an hour instead (before any idle timeout
        # of a proxy or firewall in between); after a database restart, the first query on
        # each stale connection fails once and SQLAlchemy then discards the whole pool.
        self.SQLALCHEMY_ENGINE_OPTIONS = {"pool_recycle": 1800, "pool_size": 10}
        self.REDIS_URL = env.get("REDIS_URL")
        # Counters shared by every gunicorn process; if Redis fails, each process keeps
        # limiting on its own rather than refusing logins.
        self.RATELIMIT_STORAGE_URI = (
            env.get("RATELIMIT_STORAGE_URI") or env.get("REDIS_URL") or "memory://"
        )
        self.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
        if not env.get("TRUSTED_PROXY_COUNT", "").isdigit():
            # A guess either way is dangerous: trusting a proxy that is not there lets anyone
            # choose their IP (X-Forwarded-For) past the rate limits; not trusting one that is
            # there makes every customer one IP, which one attacker can lock out.
            raise RuntimeError(
                "Production configuration needs TRUSTED_PROXY_COUNT: how many reverse proxies "
                "(nginx, a load balancer) stand in front of gunicorn, 0 if none"
            )
        self.TRUSTED_PROXY_COUNT = int(env["TRUSTED_PROXY_COUNT"])
        self.PAYMENT_GATEWAY = env.get("PAYMENT_GATEWAY", "stripe")
        if self.PAYMENT_GATEWAY == "dev" and env.get("BENCHMARK_WITH_DEV_GATEWAY") != "1":
            # Its test card page marks Orders paid: never where real goods leave.
            raise RuntimeError(
                "PAYMENT_GATEWAY=dev is for the embedded hub and tests, not production "
                "(benchmarks set BENCHMARK_WITH_DEV_GATEWAY=1)"
            )
        if self.PAYMENT_GATEWAY == "stripe":
            # Fail at start-up, not at a customer's first payment.
            missing_stripe = [name for name in self.STRIPE_REQUIRED if not env.get(name)]
            if missing_stripe:
                raise RuntimeError(
                    f"PAYMENT_GATEWAY=stripe needs {', '.join(missing_stripe)} in the environment"
                )
        self.STRIPE_SECRET_KEY = env.get("STRIPE_SECRET_KEY")
        self.STRIPE_PUBLISHABLE_KEY = env.get("STRIPE_PUBLISHABLE_KEY")
        self.STRIPE_WEBHOOK_SECRET = env.get("STRIPE_WEBHOOK_SECRET")
        self.MAIL_BACKEND = env.get("MAIL_BACKEND", "smtp")
        self.MAIL_SERVER = env.get("MAIL_SERVER", "localhost")
        self.MAIL_PORT = int(env.get("MAIL_PORT", "25"))
        self.MAIL_USERNAME = env.get("MAIL_USERNAME")
        self.MAIL_PASSWORD = env.get("MAIL_PASSWORD")
        self.MAIL_USE_TLS = env.get("MAIL_USE_TLS", "1") == "1"
        self.SERVER_NAME = env.get("SERVER_NAME")
        if self.SERVER_NAME:
            # Emailed links (password reset) are built from this name, never from a
            # Host header an attacker chose.
            self.TRUSTED_HOSTS = [self.SERVER_NAME]


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
