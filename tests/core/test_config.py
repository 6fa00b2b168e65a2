"""Configuration classes: production takes its secrets from the environment or refuses to start."""
import pytest

from config import DevelopmentConfig, ProductionConfig, TestConfig
from marketplace import create_app


@pytest.fixture
def production_env(app, monkeypatch):
    """A complete production environment, pointing at the test database, no Redis needed."""
    for name in ("SERVER_NAME", "MAIL_BACKEND", "TRUSTED_PROXY_COUNT"):
        monkeypatch.delenv(name, raising=False)
    environment = {
        "SECRET_KEY": "a-long-random-production-secret",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "RATELIMIT_STORAGE_URI": "memory://",
        "STRIPE_SECRET_KEY": "sk_test_production_like",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_production_like",
        "STRIPE_WEBHOOK_SECRET": "whsec_production_like",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return environment


@pytest.mark.parametrize("missing", ["SECRET_KEY", "DATABASE_URL"])
def test_production_refuses_to_start_without_its_secrets(production_env, monkeypatch, missing):
    monkeypatch.delenv(missing)

    with pytest.raises(RuntimeError, match=missing):
        ProductionConfig()
    with pytest.raises(RuntimeError, match=missing):
        create_app("production")


@pytest.mark.parametrize(
    "missing", ["STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"]
)
def test_production_with_stripe_refuses_to_start_without_its_keys(
    production_env, monkeypatch, missing
):
    monkeypatch.delenv(missing)

    with pytest.raises(RuntimeError, match=missing):
        ProductionConfig()


def test_production_with_the_dev_gateway_needs_no_stripe_keys(production_env, monkeypatch):
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("PAYMENT_GATEWAY", "dev")

    assert ProductionConfig().PAYMENT_GATEWAY == "dev"


def test_an_empty_variable_counts_as_missing(production_env, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "")

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        ProductionConfig()


def test_production_takes_everything_from_the_environment(production_env):
    config = ProductionConfig()

    assert config.SECRET_KEY == "a-long-random-production-secret"
    assert config.SQLALCHEMY_DATABASE_URI == production_env["DATABASE_URL"]
    assert config.SESSION_COOKIE_SECURE is True
    assert config.REMEMBER_COOKIE_SECURE is True
    assert config.SECURE_HEADERS_HSTS is True
    assert config.PREFERRED_URL_SCHEME == "https"
    assert config.TASK_RUNNER == "celery"
    assert config.MAIL_BACKEND == "smtp"


def test_production_rate_limits_are_shared_through_redis(production_env, monkeypatch):
    monkeypatch.delenv("RATELIMIT_STORAGE_URI")
    assert ProductionConfig().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/0"

    monkeypatch.setenv("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379/3")
    assert ProductionConfig().RATELIMIT_STORAGE_URI == "redis://127.0.0.1:6379/3"


def test_production_only_answers_to_its_own_host_name(production_env, monkeypatch):
    monkeypatch.setenv("SERVER_NAME", "boutique.lesateliers-castres.fr")

    config = ProductionConfig()

    assert config.TRUSTED_HOSTS == ["boutique.lesateliers-castres.fr"]


def test_production_app_sends_hsts_and_secure_cookies(production_env):
    production = create_app("production")
    client = production.test_client()

    response = client.get("/login")

    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_app_refuses_a_foreign_host_header(production_env, monkeypatch):
    """A reset link built from an attacker's Host header would send the token to them."""
    monkeypatch.setenv("SERVER_NAME", "boutique.lesateliers-castres.fr")
    production = create_app("production")
    client = production.test_client()

    own_host = "https://boutique.lesateliers-castres.fr"
    assert client.get("/login", base_url="https://evil.example").status_code == 400
    assert client.get("/login", base_url=own_host).status_code == 200


def test_production_app_requires_csrf_tokens(production_env):
    production = create_app("production")

    response = production.test_client().post("/login", data={"email": "a@b.fr", "password": "x"})

    assert response.status_code == 400


def test_development_and_test_configs_never_mark_cookies_secure_or_send_hsts():
    for config in (DevelopmentConfig, TestConfig):
        assert not getattr(config, "SESSION_COOKIE_SECURE", False)
        assert config.SECURE_HEADERS_HSTS is False
        assert config.SESSION_COOKIE_HTTPONLY is True
        assert config.SESSION_COOKIE_SAMESITE == "Lax"


def test_the_test_suite_disables_csrf_and_keeps_rate_limits_in_memory():
    assert TestConfig.WTF_CSRF_ENABLED is False
    assert TestConfig.RATELIMIT_STORAGE_URI == "memory://"
    assert DevelopmentConfig.WTF_CSRF_ENABLED is True
