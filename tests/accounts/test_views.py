"""Accounts pages through the test client: sign-up, login, logout, reset, account, addresses."""
import html
from datetime import UTC, datetime

import pytest
from flask_login import user_logged_in
from sqlalchemy import select

from marketplace.accounts import services
from marketplace.accounts.models import Address, User
from marketplace.extensions import db
from tests.factories.accounts import TEST_PASSWORD, AddressFactory, UserFactory

NEW_PASSWORD = "un-nouveau-secret-2026"


def page(response) -> str:
    """The HTML as a reader sees it (entities such as ' decoded)."""
    return html.unescape(response.get_data(as_text=True))


def log_in(client, email, password=TEST_PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def is_logged_in(client) -> bool:
    """The account page answers only to a logged-in visitor (others go to the login page)."""
    return client.get("/account").status_code == 200


# Registration


def test_register_page_shows_the_form(client):
    response = client.get("/register")

    assert response.status_code == 200
    body = page(response)
    for name in ("full_name", "email", "password", "password_confirmation"):
        assert f'name="{name}"' in body
    assert "Créer un compte" in body


def test_registering_creates_the_account_and_logs_in(client):
    response = client.post(
        "/register",
        data={
            "full_name": "Jeanne Martin",
            "email": "Jeanne.Martin@Example.fr",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    user = db.session.scalar(select(User).where(User.email == "jeanne.martin@example.fr"))
    assert user.full_name == "Jeanne Martin"
    assert user.locale == "fr"
    assert is_logged_in(client)


def test_wtforms_own_messages_speak_the_visitors_language(client):
    too_long = {"full_name": "J" * 121, "email": "j@example.fr", "password": NEW_PASSWORD,
                "password_confirmation": NEW_PASSWORD}  # fmt: skip

    french = html.unescape(client.post("/register", data=too_long).get_data(as_text=True))
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = html.unescape(client.post("/register", data=too_long).get_data(as_text=True))

    assert "Le champ ne peut pas contenir plus de 120 caractères." in french
    assert "Field cannot be longer than 120 characters." in english


def test_registering_goes_back_to_a_local_next_page(client):
    response = client.post(
        "/register?next=/cart",
        data={
            "full_name": "Jeanne",
            "email": "jeanne@example.fr",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert response.headers["Location"] == "/cart"


def test_registering_a_taken_email_says_so_and_keeps_what_was_typed(client):
    UserFactory(email="deja@example.fr")

    response = client.post(
        "/register",
        data={
            "full_name": "Paul Durand",
            "email": "DEJA@example.fr",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    body = page(response)
    assert response.status_code == 422
    assert "Un compte existe déjà avec cette adresse email" in body
    assert 'value="Paul Durand"' in body
    assert 'value="DEJA@example.fr"' in body
    assert NEW_PASSWORD not in body
    assert not is_logged_in(client)


@pytest.mark.parametrize(
    ("password", "confirmation", "message"),
    [
        ("court", "court", "Choisissez un mot de passe d'au moins 10 caractères."),
        (NEW_PASSWORD, NEW_PASSWORD + "x", "Les deux mots de passe ne correspondent pas."),
    ],
)
def test_registering_with_a_bad_password_shows_the_field_error(
    client, password, confirmation, message
):
    response = client.post(
        "/register",
        data={
            "full_name": "Paul Durand",
            "email": "paul@example.fr",
            "password": password,
            "password_confirmation": confirmation,
        },
    )

    body = page(response)
    assert message in body
    assert 'aria-invalid="true"' in body
    assert 'value="paul@example.fr"' in body
    assert db.session.scalar(select(User).where(User.email == "paul@example.fr")) is None


def test_registering_with_the_email_as_password_is_refused(client):
    response = client.post(
        "/register",
        data={
            "full_name": "Paul",
            "email": "paul.durand@example.fr",
            "password": "paul.durand@example.fr",
            "password_confirmation": "paul.durand@example.fr",
        },
    )

    assert "Ce mot de passe est trop faible" in page(response)


def test_registering_with_an_invalid_email_explains_it(client):
    response = client.post(
        "/register",
        data={
            "full_name": "Paul",
            "email": "paul-at-example",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert "Saisissez une adresse email valide" in page(response)


# Login


def test_login_page_shows_the_form_and_the_links(client):
    body = page(client.get("/login"))

    assert 'name="email"' in body and 'name="password"' in body
    assert 'href="/password/forgot"' in body
    assert 'href="/register"' in body


def test_logging_in_opens_the_account_and_sends_the_login_signal(client, app):
    user = UserFactory(email="lea@example.fr")
    logged_in = []

    def remember(sender, user, **extra):
        logged_in.append(user.id)

    with user_logged_in.connected_to(remember, app):
        response = log_in(client, "LEA@example.fr")

    assert response.status_code == 302
    assert response.headers["Location"] == "/account"
    assert logged_in == [user.id]  # the cart merge listens to this signal
    assert is_logged_in(client)


@pytest.mark.parametrize(
    ("email", "password"),
    [("lea@example.fr", "pas-le-bon-mot"), ("inconnu@example.fr", TEST_PASSWORD)],
)
def test_failed_login_gives_one_neutral_message_and_keeps_the_email(client, email, password):
    UserFactory(email="lea@example.fr")

    response = log_in(client, email, password)

    body = page(response)
    assert response.status_code == 422
    assert "Adresse email ou mot de passe incorrect." in body
    assert f'value="{email}"' in body
    assert password not in body
    assert not is_logged_in(client)


def test_a_disabled_account_cannot_log_in(client):
    UserFactory(email="parti@example.fr", active=False)

    response = log_in(client, "parti@example.fr")

    assert "Adresse email ou mot de passe incorrect." in page(response)
    assert not is_logged_in(client)


def test_login_goes_to_the_local_next_page(client):
    UserFactory(email="lea@example.fr")

    response = log_in(client, "lea@example.fr", next="/checkout?step=2")

    assert response.headers["Location"] == "/checkout?step=2"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "http:/evil.example",
    ],
)
def test_login_never_redirects_off_site(client, target):
    UserFactory(email="lea@example.fr")

    response = log_in(client, "lea@example.fr", next=target)

    assert response.headers["Location"] == "/account"


def test_the_login_form_carries_next_from_the_query_string(client):
    body = page(client.get("/login?next=/account/addresses/new"))

    assert 'value="/account/addresses/new"' in body


def test_protected_pages_send_anonymous_visitors_to_login_and_back(client):
    response = client.get("/account")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")

    UserFactory(email="lea@example.fr")
    response = log_in(client, "lea@example.fr", next="/account")
    assert response.headers["Location"] == "/account"


def test_a_logged_in_visitor_skips_the_login_page(client, login_as):
    login_as(UserFactory())

    assert client.get("/login").headers["Location"] == "/account"
    assert client.get("/register").headers["Location"] == "/account"


def test_one_person_guessing_one_account_is_stopped_quickly(client):
    UserFactory(email="lea@example.fr")
    for attempt in range(10):
        assert log_in(client, "lea@example.fr", f"essai-{attempt}").status_code == 422

    response = log_in(client, "lea@example.fr")

    assert response.status_code == 429
    assert "Trop d'essais infructueux" in page(response)
    assert not is_logged_in(client)


def test_another_customer_at_the_same_counter_can_still_sign_in(client):
    """The hub's shop counter is one IP: one person's mistakes do not lock out the next."""
    UserFactory(email="lea@example.fr")
    UserFactory(email="paul@example.fr")
    for attempt in range(10):
        log_in(client, "lea@example.fr", f"essai-{attempt}")

    assert log_in(client, "paul@example.fr").status_code == 302


def test_one_machine_trying_many_accounts_is_stopped(client):
    UserFactory(email="lea@example.fr")
    for attempt in range(50):
        log_in(client, f"essai{attempt}@example.fr", "mauvais-mot")

    response = log_in(client, "lea@example.fr")

    assert response.status_code == 429
    assert not is_logged_in(client)


def test_an_attack_on_one_account_from_many_places_suspends_password_sign_in(client, mailbox):
    UserFactory(email="cible@example.fr")
    for attempt in range(30):
        client.post(
            "/login",
            data={"email": "cible@example.fr", "password": f"essai-{attempt}"},
            environ_base={"REMOTE_ADDR": f"192.0.2.{attempt + 1}"},
        )

    owner = client.post(
        "/login",
        data={"email": "Cible@example.fr", "password": TEST_PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )

    assert owner.status_code == 429
    assert "la connexion par mot de passe est suspendue" in page(owner)
    assert not is_logged_in(client)

    # The owner reads their mailbox: the reset link lets them back in, no captcha, no admin.
    client.post("/password/forgot", data={"email": "cible@example.fr"},
                environ_base={"REMOTE_ADDR": "198.51.100.7"})
    reset_url = next(
        line for line in mailbox.text_of(mailbox.messages(to="cible@example.fr")[-1]).splitlines()
        if "/password/reset?token=" in line
    ).strip()
    token = reset_url.split("token=", 1)[1]
    client.post("/password/reset", data={
        "token": token, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD,
    })
    back_in = client.post(
        "/login",
        data={"email": "cible@example.fr", "password": NEW_PASSWORD},
        environ_base={"REMOTE_ADDR": "198.51.100.7"},
    )
    assert back_in.status_code == 302


def test_successful_logins_do_not_use_up_the_limit(client):
    """Customers at the hub's shop share one IP address: only failures count."""
    UserFactory(email="lea@example.fr")
    for _ in range(12):
        assert log_in(client, "lea@example.fr").status_code == 302
        client.post("/logout")

    assert log_in(client, "lea@example.fr").status_code == 302


def test_signing_in_gives_a_new_csrf_token(client):
    UserFactory(email="lea@example.fr")
    client.get("/login")
    with client.session_transaction() as session:
        session["csrf_token"] = "known-to-whoever-used-this-computer-before"

    log_in(client, "lea@example.fr")

    with client.session_transaction() as session:
        assert session.get("csrf_token") != "known-to-whoever-used-this-computer-before"


def test_guessing_the_current_password_on_a_signed_in_session_is_limited(client, login_as):
    user = login_as(UserFactory())
    for attempt in range(5):
        response = client.post("/account/password", data={
            "current_password": f"essai-{attempt}",
            "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD,
        })
        assert response.status_code == 422

    response = client.post("/account/password", data={
        "current_password": TEST_PASSWORD,
        "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD,
    })

    assert response.status_code == 429
    assert services.authenticate_user(email=user.email, password=TEST_PASSWORD) == user


def test_showing_the_login_page_is_not_rate_limited(client):
    for _ in range(15):
        assert client.get("/login").status_code == 200


# Logout and sessions


def test_logout_is_a_post_only(client, login_as):
    login_as(UserFactory())

    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_logout_ends_this_session_and_the_others(app, client):
    UserFactory(email="lea@example.fr")
    other_device = app.test_client()
    log_in(client, "lea@example.fr")
    log_in(other_device, "lea@example.fr")
    assert is_logged_in(other_device)

    response = client.post("/logout")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert not is_logged_in(client)
    assert not is_logged_in(other_device)


def test_logout_keeps_the_chosen_language_only(client, login_as):
    login_as(UserFactory())
    with client.session_transaction() as session:
        session["lang"] = "en"
        session["something_private"] = "42"

    client.post("/logout")

    with client.session_transaction() as session:
        assert session.get("lang") == "en"
        assert "something_private" not in session


def test_a_remember_me_cookie_dies_with_the_session_version(app, client):
    user = UserFactory(email="lea@example.fr")
    log_in(client, "lea@example.fr", remember="y")
    remember = client.get_cookie("remember_token")
    assert remember is not None
    assert remember.http_only and remember.same_site == "Lax"
    assert 29 <= (remember.expires - datetime.now(UTC)).days <= 30
    with client.session_transaction() as session:
        session.clear()  # the browser was closed: only the remember-me cookie is left
    assert is_logged_in(client)

    services.end_sessions(user=user)
    with client.session_transaction() as session:
        session.clear()

    assert not is_logged_in(client)


# Password reset


def test_forgot_password_page_shows_the_form(client):
    response = client.get("/password/forgot")

    assert response.status_code == 200
    assert 'name="email"' in page(response)


def test_forgot_password_sends_a_link_that_resets_the_password(app, client, mailbox):
    user = UserFactory(email="oubli@example.fr", full_name="Léa Oubli")
    other_device = app.test_client()
    log_in(other_device, "oubli@example.fr")

    response = client.post(
        "/password/forgot", data={"email": "Oubli@example.fr"}, follow_redirects=True
    )

    assert "un lien pour choisir un nouveau mot de passe vient d'y" in page(response)
    [email] = mailbox.messages(to="oubli@example.fr")
    assert email["Subject"] == "Réinitialisation de votre mot de passe"
    text = mailbox.text_of(email)
    assert "Bonjour Léa Oubli," in text
    reset_url = next(line for line in text.splitlines() if "/password/reset?" in line).strip()
    assert reset_url.startswith("http://localhost/password/reset?token=")
    assert reset_url in html.unescape(email.get_body(preferencelist=("html",)).get_content())
    path = reset_url.removeprefix("http://localhost")
    token = reset_url.split("token=", 1)[1]

    form = client.get(path)
    assert form.status_code == 200
    assert 'name="password_confirmation"' in page(form)
    assert f'value="{token}"' in page(form)  # posted back in the body, not in the URL

    response = client.post("/password/reset", data={
        "token": token, "password": NEW_PASSWORD, "password_confirmation": NEW_PASSWORD,
    })
    assert response.headers["Location"] == "/login"
    assert services.authenticate_user(email="oubli@example.fr", password=NEW_PASSWORD) == user
    assert not is_logged_in(other_device)
    assert [m["Subject"] for m in mailbox.messages(to="oubli@example.fr")][-1] == (
        "Votre mot de passe a été changé"
    )

    reused = client.get(path)
    assert reused.status_code == 400
    assert "n'est pas valide ou a déjà servi" in page(reused)


def test_forgot_password_says_the_same_for_an_unknown_email(client, mailbox):
    UserFactory(email="connu@example.fr")

    known = client.post(
        "/password/forgot", data={"email": "connu@example.fr"}, follow_redirects=True
    )
    unknown = client.post(
        "/password/forgot", data={"email": "inconnu@example.fr"}, follow_redirects=True
    )

    def neutral(body: str, email: str) -> str:
        return body.replace(email, "EMAIL")

    assert known.status_code == unknown.status_code == 200
    assert neutral(page(known), "connu@example.fr") == neutral(page(unknown), "inconnu@example.fr")
    assert mailbox.messages(to="inconnu@example.fr") == []
    assert len(mailbox.messages(to="connu@example.fr")) == 1


def test_forgot_password_requests_are_limited(client):
    for _ in range(5):
        assert client.post("/password/forgot", data={"email": "x@example.fr"}).status_code == 302

    assert client.post("/password/forgot", data={"email": "x@example.fr"}).status_code == 429


def test_an_expired_reset_link_says_so(app, client, monkeypatch):
    user = UserFactory()
    token = services.make_password_reset_token(user=user)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE_SECONDS", -1)

    response = client.get("/password/reset", query_string={"token": token})

    assert response.status_code == 400
    body = page(response)
    assert "Ce lien de réinitialisation a expiré." in body
    assert 'href="/password/forgot"' in body


def test_a_forged_reset_link_changes_nothing(client):
    user = UserFactory()
    old_hash = user.password_hash

    response = client.post("/password/reset", data={
        "token": "eyJ1c2VyIjoxfQ.forged.signature",
        "password": NEW_PASSWORD,
        "password_confirmation": NEW_PASSWORD,
    })

    assert response.status_code == 400
    assert user.password_hash == old_hash


def test_reset_form_errors_keep_the_link_usable(client):
    user = UserFactory()
    token = services.make_password_reset_token(user=user)

    response = client.post("/password/reset", data={
        "token": token, "password": "court", "password_confirmation": "court",
    })

    assert response.status_code == 422
    assert "au moins 10 caractères" in page(response)
    assert services.user_for_reset_token(token=token) == user


# Account page and profile


def test_account_page_shows_profile_and_own_addresses_only(client, login_as):
    user = login_as(UserFactory(full_name="Jeanne Martin", email="jeanne@example.fr"))
    AddressFactory(user=user, line1="3 place Jean Jaurès", is_default=True)
    AddressFactory(line1="99 rue d'un Autre")

    response = client.get("/account")

    body = page(response)
    assert response.status_code == 200
    assert 'value="Jeanne Martin"' in body
    assert "jeanne@example.fr" in body
    assert "3 place Jean Jaurès" in body
    assert "Par défaut" in body
    assert "99 rue d" not in body
    assert 'href="/account/orders"' in body


def test_updating_the_profile_saves_name_and_language(client, login_as):
    user = login_as(UserFactory(locale="fr"))

    response = client.post("/account", data={"full_name": "Jeanne Martin", "locale": "en"})

    assert response.headers["Location"] == "/account"
    assert (user.full_name, user.locale) == ("Jeanne Martin", "en")
    assert '<html lang="en">' in page(client.get("/account"))


def test_profile_errors_are_shown_and_nothing_is_saved(client, login_as):
    user = login_as(UserFactory(full_name="Jeanne", locale="fr"))

    response = client.post("/account", data={"full_name": "", "locale": "de"})

    body = page(response)
    assert response.status_code == 200
    assert "Ce champ est obligatoire." in body
    assert "Not a valid choice" not in body
    assert (user.full_name, user.locale) == ("Jeanne", "fr")


# Password change


def test_change_password_page_shows_the_form(client, login_as):
    login_as(UserFactory())

    body = page(client.get("/account/password"))

    assert 'name="current_password"' in body


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client, mailbox):
    user = UserFactory(email="lea@example.fr")
    other_device = app.test_client()
    log_in(client, "lea@example.fr")
    log_in(other_device, "lea@example.fr")

    response = client.post(
        "/account/password",
        data={
            "current_password": TEST_PASSWORD,
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert response.headers["Location"] == "/account"
    assert is_logged_in(client)
    assert not is_logged_in(other_device)
    assert services.authenticate_user(email=user.email, password=NEW_PASSWORD) == user
    [notice] = mailbox.messages(to="lea@example.fr")
    assert notice["Subject"] == "Votre mot de passe a été changé"


def test_changing_the_password_needs_the_current_one(client, login_as):
    user = login_as(UserFactory())
    old_hash = user.password_hash

    response = client.post(
        "/account/password",
        data={
            "current_password": "pas-le-bon-mot",
            "password": NEW_PASSWORD,
            "password_confirmation": NEW_PASSWORD,
        },
    )

    assert "Le mot de passe actuel est incorrect." in page(response)
    assert user.password_hash == old_hash
    assert is_logged_in(client)


# Addresses

ADDRESS_FORM = {
    "label": "Maison",
    "full_name": "Jeanne Martin",
    "line1": "3 place Jean Jaurès",
    "line2": "2e étage",
    "postcode": "81100",
    "city": "Castres",
    "phone": "06 12 34 56 78",
}


def test_new_address_page_prefills_the_recipient(client, login_as):
    login_as(UserFactory(full_name="Jeanne Martin"))

    body = page(client.get("/account/addresses/new"))

    assert 'value="Jeanne Martin"' in body
    assert 'name="postcode"' in body


def test_adding_an_address_saves_it_as_the_first_default(client, login_as):
    user = login_as(UserFactory())

    response = client.post("/account/addresses/new", data=ADDRESS_FORM)

    assert response.headers["Location"] == "/account#addresses"
    [address] = services.list_user_addresses(user=user)
    assert (address.line1, address.postcode, address.is_default) == (
        "3 place Jean Jaurès",
        "81100",
        True,
    )


@pytest.mark.parametrize("postcode", ["8110", "ABCDE", "811000"])
def test_a_bad_postcode_is_explained_and_the_rest_is_kept(client, login_as, postcode):
    user = login_as(UserFactory())

    response = client.post("/account/addresses/new", data={**ADDRESS_FORM, "postcode": postcode})

    body = page(response)
    assert response.status_code == 200
    assert "Le code postal compte 5 chiffres, par exemple 81100." in body
    assert 'value="3 place Jean Jaurès"' in body
    assert f'value="{postcode}"' in body
    assert services.list_user_addresses(user=user) == []


def test_a_bad_phone_number_is_explained(client, login_as):
    login_as(UserFactory())

    response = client.post("/account/addresses/new", data={**ADDRESS_FORM, "phone": "12"})

    assert "Saisissez un numéro de téléphone" in page(response)


def test_editing_an_address(client, login_as):
    user = login_as(UserFactory())
    address = AddressFactory(user=user, is_default=True)

    form = client.get(f"/account/addresses/{address.id}/edit")
    assert 'value="12 rue Villegoudou"' in page(form)

    response = client.post(
        f"/account/addresses/{address.id}/edit",
        data={**ADDRESS_FORM, "city": "Mazamet", "postcode": "81200"},
    )

    assert response.status_code == 302
    assert (address.city, address.postcode) == ("Mazamet", "81200")


def test_deleting_an_address(client, login_as):
    user = login_as(UserFactory())
    keep, remove = AddressFactory(user=user, is_default=True), AddressFactory(user=user)

    response = client.post(f"/account/addresses/{remove.id}/delete")

    assert response.status_code == 302
    assert services.list_user_addresses(user=user) == [keep]


def test_choosing_the_default_address(client, login_as):
    user = login_as(UserFactory())
    first, second = AddressFactory(user=user, is_default=True), AddressFactory(user=user)

    client.post(f"/account/addresses/{second.id}/default")

    db.session.expire_all()
    assert (first.is_default, second.is_default) == (False, True)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/account/addresses/{id}/edit"),
        ("post", "/account/addresses/{id}/edit"),
        ("post", "/account/addresses/{id}/delete"),
        ("post", "/account/addresses/{id}/default"),
    ],
)
def test_nobody_can_reach_another_users_address(client, login_as, method, path):
    victim_address = AddressFactory(line1="1 rue de la Victime", postcode="81100", is_default=False)
    login_as(UserFactory())

    response = getattr(client, method)(path.format(id=victim_address.id), data=ADDRESS_FORM)

    assert response.status_code == 404
    assert "1 rue de la Victime" not in page(response)
    db.session.expire_all()
    address = db.session.get(Address, victim_address.id)
    assert (address.line1, address.is_default) == ("1 rue de la Victime", False)


@pytest.mark.parametrize(
    "path", ["/account/addresses/{id}/delete", "/account/addresses/{id}/default"]
)
def test_address_changes_are_never_made_by_a_get(client, login_as, path):
    user = login_as(UserFactory())
    address = AddressFactory(user=user)

    assert client.get(path.format(id=address.id)).status_code == 405


# Navigation


def test_anonymous_visitors_see_login_and_sign_up_links(client):
    body = page(client.get("/"))

    assert 'href="/login"' in body
    assert 'href="/register"' in body
    assert "Mon compte" not in body


def test_the_login_link_brings_the_visitor_back_to_the_page_they_were_on(client):
    body = page(client.get("/account/password", follow_redirects=True))

    assert 'href="/login"' in body  # on an accounts page, no pointless round trip
    assert 'href="/login?next=/search"' in page(client.get("/search?q=miel"))


def test_logged_in_visitors_see_their_account_and_a_logout_button(client, login_as):
    login_as(UserFactory())

    body = page(client.get("/"))

    assert 'href="/account"' in body
    assert '<form method="post" action="/logout">' in body
    assert 'href="/register"' not in body


def test_demo_accounts_on_a_reserved_domain_can_log_in_and_reset(client, mailbox):
    """The demo hub's accounts use @lesateliers.test, which strict email validation refuses."""
    UserFactory(email="client@lesateliers.test")

    assert log_in(client, "client@lesateliers.test").status_code == 302
    client.post("/logout")
    client.post("/password/forgot", data={"email": "client@lesateliers.test"})

    assert len(mailbox.messages(to="client@lesateliers.test")) == 1
