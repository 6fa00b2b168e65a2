"""Site-wide protections: security headers, CSRF, no state change on GET, proxies' client IP."""
import pytest

from marketplace import create_app
from marketplace.extensions import db
from tests.factories.accounts import AddressFactory, AdminFactory, UserFactory


def assert_security_headers(response):
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("get", "/login", 200),
        ("get", "/register", 200),
        ("get", "/account", 302),
        ("get", "/healthz", 200),
        ("get", "/static/css/site.css", 200),
        ("get", "/page-qui-n-existe-pas", 404),
        ("post", "/login", 422),
        ("get", "/logout", 405),
    ],
)
def test_every_response_carries_the_security_headers(client, method, path, status):
    response = getattr(client, method)(path)
    response.close()

    assert response.status_code == status
    assert_security_headers(response)


def test_no_hsts_outside_production(client):
    """HSTS over plain http on 127.0.0.1 would lock developers out of their own site."""
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_session_cookie_is_http_only_and_same_site(client):
    client.get("/login")  # the form's CSRF token opens a session

    cookie = client.get_cookie("session")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"


@pytest.fixture(scope="module")
def csrf_app():
    """The suite turns CSRF off for convenience; this app has it on, as in production."""
    return create_app("test", WTF_CSRF_ENABLED=True)


@pytest.mark.parametrize(
    "path",
    ["/login", "/register", "/password/forgot", "/logout", "/account", "/language"],
)
def test_a_post_without_csrf_token_is_refused(csrf_app, path):
    response = csrf_app.test_client().post(path, data={"email": "lea@example.fr"})

    assert response.status_code == 400
    assert "Ce formulaire a expiré" in response.get_data(as_text=True)


def test_a_post_with_the_forms_csrf_token_goes_through(csrf_app):
    client = csrf_app.test_client()
    form = client.get("/login").get_data(as_text=True)
    token = form.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]

    response = client.post("/login", data={"csrf_token": token, "email": "lea@example.fr"})

    # Past the CSRF check, the form itself answers: the password is missing.
    assert response.status_code == 422
    assert "Ce champ est obligatoire." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "endpoint", ["accounts.logout", "accounts.delete_address", "accounts.set_default_address"]
)
def test_state_changing_endpoints_refuse_get(app, endpoint):
    [rule] = [rule for rule in app.url_map.iter_rules() if rule.endpoint == endpoint]

    assert "GET" not in rule.methods
    assert "POST" in rule.methods


def test_a_get_on_a_state_changing_url_changes_nothing(client, login_as):
    user = login_as(UserFactory())
    address = AddressFactory(user=user, is_default=True)

    assert client.get(f"/account/addresses/{address.id}/delete").status_code == 405
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200
    assert "12 rue Villegoudou" in client.get("/account").get_data(as_text=True)


def test_behind_a_proxy_the_login_limit_counts_per_client_ip(app):
    proxied = create_app("test", TRUSTED_PROXY_COUNT=1, LOGIN_FAILURES_PER_IP="3 per hour")
    client = proxied.test_client()

    def attempt(number: int, client_ip: str):
        return client.post(
            "/login",
            data={"email": f"essai-{number}@example.fr", "password": "pas-le-bon-mot"},
            headers={"X-Forwarded-For": client_ip},
        )

    try:
        for number in range(3):
            assert attempt(number, "203.0.113.9").status_code == 422
        assert attempt(3, "203.0.113.9").status_code == 429
        assert attempt(4, "198.51.100.20").status_code == 422
    finally:
        with proxied.app_context():
            db.engine.dispose()


def test_a_json_body_is_refused_by_the_forms(client):
    """Flask-WTF would read a JSON body as a form, past keys taken from `request.form`."""
    response = client.post("/login", json={"email": "lea@example.fr", "password": "x"})

    assert response.status_code == 415


def test_a_request_body_larger_than_the_limit_is_refused(client):
    response = client.post("/login", data={"email": "a" * (2 * 1024 * 1024)})

    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/admin/", "/admin/pickup-slots", "/admin/pages/", "/account",
                                  "/vendor/payments", "/admin/payments"])
def test_options_on_protected_pages_never_fails(app, path):
    app.testing = False  # a real 500, not the exception raised into the test
    try:
        response = app.test_client().open(path, method="OPTIONS")
    finally:
        app.testing = True

    assert response.status_code in (200, 302)


@pytest.mark.parametrize("path", ["/account", "/account/orders", "/cart", "/checkout", "/admin/"])
def test_pages_with_personal_data_are_never_stored_by_browsers_or_proxies(
    client, login_as, db_session, path
):
    login_as(AdminFactory())
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_the_shop_window_may_still_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
