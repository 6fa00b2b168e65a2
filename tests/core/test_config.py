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
        "TRUSTED_PROXY_COUNT": "1",
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


def test_production_refuses_the_dev_gateway(production_env, monkeypatch):
    """Its test card page marks Orders paid: a production hub must never offer it."""
    for name in ("STRIPE_SECRET_KEY", "STRIPE_PUBLISHABLE_KEY", "STRIPE_WEBHOOK_SECRET"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("PAYMENT_GATEWAY", "dev")

    with pytest.raises(RuntimeError, match="PAYMENT_GATEWAY=dev"):
        ProductionConfig()

    monkeypatch.setenv("BENCHMARK_WITH_DEV_GATEWAY", "1")
    assert ProductionConfig().PAYMENT_GATEWAY == "dev"


@pytest.mark.parametrize("value", [None, "", "one"])
def test_production_needs_to_be_told_how_many_proxies_stand_in_front(
    production_env, monkeypatch, value
):
    if value is None:
        monkeypatch.delenv("TRUSTED_PROXY_COUNT")
    else:
        monkeypatch.setenv("TRUSTED_PROXY_COUNT", value)

    with pytest.raises(RuntimeError, match="TRUSTED_PROXY_COUNT"):
        ProductionConfig()


def test_the_wsgi_entry_point_is_always_production(production_env, monkeypatch):
    monkeypatch.setenv("MARKETPLACE_ENV", "development")
    import importlib

    import marketplace.wsgi

    assert importlib.reload(marketplace.wsgi).app.config["SESSION_COOKIE_SECURE"] is True


def test_each_embedded_hub_gets_its_own_random_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app("development", INSTANCE_DIR=tmp_path / "one", SECRET_KEY=None)
    again = create_app("development", INSTANCE_DIR=tmp_path / "one", SECRET_KEY=None)
    other = create_app("development", INSTANCE_DIR=tmp_path / "two", SECRET_KEY=None)

    assert len(first.config["SECRET_KEY"]) == 64
    assert again.config["SECRET_KEY"] == first.config["SECRET_KEY"]  # sessions survive restarts
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]
    assert oct((tmp_path / "one" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_a_trusted_proxy_that_is_not_there_is_reported(app, caplog, monkeypatch):
    app.extensions.pop("proxy_mismatch_logged", None)
    monkeypatch.setitem(app.config, "TRUSTED_PROXY_COUNT", 1)
    with caplog.at_level("WARNING"):
        app.test_client().get("/healthz")
        app.test_client().get("/healthz")

    warnings = [r.message for r in caplog.records if "proxy configuration" in r.message]
    assert len(warnings) == 1
    assert "came without X-Forwarded-For" in warnings[0]
    app.extensions.pop("proxy_mismatch_logged", None)


def test_a_proxy_nobody_said_was_there_is_reported(app, caplog):
    app.extensions.pop("proxy_mismatch_logged", None)
    with caplog.at_level("WARNING"):
        app.test_client().get("/healthz", headers={"X-Forwarded-For": "203.0.113.9"})

    assert any("set TRUSTED_PROXY_COUNT" in r.message for r in caplog.records)
    app.extensions.pop("proxy_mismatch_logged", None)


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
