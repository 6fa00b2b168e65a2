"""Accounts services: every rule about users, passwords, reset tokens and addresses."""
import base64
import json

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from marketplace.accounts import services
from marketplace.accounts.errors import AccountError, AccountErrorCode
from marketplace.accounts.models import Role, User
from marketplace.core.outbox import OutboxMessage
from marketplace.extensions import db
from tests.factories.accounts import TEST_PASSWORD, AddressFactory, UserFactory

NEW_PASSWORD = "un-nouveau-secret-2026"


def outbox_messages(template: str) -> list[OutboxMessage]:
    return [
        message
        for message in db.session.scalars(select(OutboxMessage))
        if message.kwargs.get("template") == template
    ]


# Registration


def test_register_user_stores_a_lower_case_email_and_a_scrypt_hash(db_session):
    user = services.register_user(
        email="  Marie.Dupont@Example.FR ", full_name=" Marie Dupont ", password=NEW_PASSWORD
    )

    assert user.email == "marie.dupont@example.fr"
    assert user.full_name == "Marie Dupont"
    assert user.role == Role.CUSTOMER
    assert user.password_hash.startswith("scrypt:")
    assert NEW_PASSWORD not in user.password_hash


def test_register_user_refuses_an_email_already_used_in_another_letter_case(db_session):
    UserFactory(email="marie@example.fr")

    with pytest.raises(AccountError) as error:
        services.register_user(email="MARIE@example.fr", full_name="Marie", password=NEW_PASSWORD)

    assert error.value.code == AccountErrorCode.EMAIL_TAKEN


@pytest.mark.parametrize("password", ["court", "123456789", "x" * 201])
def test_register_user_refuses_a_weak_password(db_session, password):
    with pytest.raises(AccountError) as error:
        services.register_user(email="paul@example.fr", full_name="Paul", password=password)

    assert error.value.code == AccountErrorCode.WEAK_PASSWORD
    assert services.find_user_by_email(email="paul@example.fr") is None


def test_register_user_refuses_the_email_as_password(db_session):
    with pytest.raises(AccountError) as error:
        services.register_user(
            email="paul.martin@example.fr", full_name="Paul", password="Paul.Martin@example.fr"
        )

    assert error.value.code == AccountErrorCode.WEAK_PASSWORD


def test_register_user_accepts_exactly_ten_characters(db_session):
    user = services.register_user(email="ten@example.fr", full_name="Dix", password="tuile-81lo")

    assert services.authenticate_user(email="ten@example.fr", password="tuile-81lo") == user


@pytest.mark.parametrize(
    "password", ["motdepasse123", "azertyuiop1", "1234567890", "password123", "soleil12345"]
)
def test_register_user_refuses_the_passwords_attackers_try_first(db_session, password):
    with pytest.raises(AccountError) as error:
        services.register_user(email="lea@example.fr", full_name="Léa Castres", password=password)

    assert error.value.code == AccountErrorCode.COMMON_PASSWORD


def test_a_password_made_of_the_persons_own_name_is_refused(db_session):
    with pytest.raises(AccountError) as error:
        services.register_user(
            email="garrigues@example.fr", full_name="Inès Garrigues", password="inesgarrigues"
        )

    assert error.value.code == AccountErrorCode.COMMON_PASSWORD


def test_register_user_refuses_an_unknown_locale(db_session):
    with pytest.raises(AccountError) as error:
        services.register_user(
            email="de@example.fr", full_name="Hans", password=NEW_PASSWORD, locale="de"
        )

    assert error.value.code == AccountErrorCode.UNSUPPORTED_LOCALE


def test_database_refuses_a_mixed_case_email(db_session):
    """The unique key only works if every writer lower-cases: the database makes sure."""
    with pytest.raises(IntegrityError):
        UserFactory(email="Mixed@Example.fr")


# Authentication


def test_authenticate_user_accepts_the_right_password_whatever_the_email_case(db_session):
    user = UserFactory(email="lea@example.fr")

    assert services.authenticate_user(email=" LEA@example.fr", password=TEST_PASSWORD) == user


@pytest.mark.parametrize(
    ("email", "password"),
    [("lea@example.fr", "mauvais-mot-de-passe"), ("inconnu@example.fr", TEST_PASSWORD)],
)
def test_authenticate_user_gives_one_error_for_wrong_password_and_unknown_email(
    db_session, email, password
):
    UserFactory(email="lea@example.fr")

    with pytest.raises(AccountError) as error:
        services.authenticate_user(email=email, password=password)

    assert error.value.code == AccountErrorCode.INVALID_CREDENTIALS


def test_authenticate_user_refuses_a_disabled_account(db_session):
    UserFactory(email="ancien@example.fr", active=False)

    with pytest.raises(AccountError) as error:
        services.authenticate_user(email="ancien@example.fr", password=TEST_PASSWORD)

    assert error.value.code == AccountErrorCode.INVALID_CREDENTIALS


# Sessions and password change


def test_end_sessions_changes_the_session_id(db_session):
    user = UserFactory()
    old_id = user.get_id()

    services.end_sessions(user=user)

    assert user.get_id() != old_id
    assert user.get_id() == f"{user.id}:{user.session_version}"


def test_change_password_refuses_a_wrong_current_password(db_session):
    user = UserFactory()
    old_hash, old_version = user.password_hash, user.session_version

    with pytest.raises(AccountError) as error:
        services.change_password(
            user=user, current_password="pas-le-bon-mot", new_password=NEW_PASSWORD
        )

    assert error.value.code == AccountErrorCode.WRONG_PASSWORD
    assert (user.password_hash, user.session_version) == (old_hash, old_version)


def test_change_password_refuses_a_weak_new_password(app, db_session):
    user = UserFactory()

    with app.test_request_context(), pytest.raises(AccountError) as error:
        services.change_password(user=user, current_password=TEST_PASSWORD, new_password="court")

    assert error.value.code == AccountErrorCode.WEAK_PASSWORD


def test_change_password_sets_the_new_one_ends_sessions_and_tells_the_owner(app, db_session):
    user = UserFactory(locale="fr")
    old_version = user.session_version

    with app.test_request_context():
        services.change_password(
            user=user, current_password=TEST_PASSWORD, new_password=NEW_PASSWORD
        )

    assert services.authenticate_user(email=user.email, password=NEW_PASSWORD) == user
    assert user.session_version == old_version + 1
    [notice] = outbox_messages("password_changed")
    assert notice.task_name == "notifications.send_email"
    assert notice.kwargs["to"] == user.email
    assert notice.kwargs["subject"] == "Votre mot de passe a été changé"
    assert "/password/forgot" in notice.kwargs["forgot_password_url"]


# Password reset


def test_reset_token_leads_back_to_its_user(app, db_session):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        assert services.user_for_reset_token(token=token) == user


def test_reset_token_does_not_reveal_the_password_hash(app, db_session):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)

    payload = token.split(".")[0]
    decoded = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(decoded) == {"user", "pw"}
    assert decoded["pw"] not in user.password_hash


def test_reset_token_works_only_once(app, db_session):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        services.reset_password(token=token, new_password=NEW_PASSWORD)

        with pytest.raises(AccountError) as error:
            services.reset_password(token=token, new_password="encore-un-autre-2026")

    assert error.value.code == AccountErrorCode.INVALID_RESET_TOKEN
    assert services.authenticate_user(email=user.email, password=NEW_PASSWORD) == user


def test_reset_token_dies_when_the_password_changes_another_way(app, db_session):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        services.change_password(
            user=user, current_password=TEST_PASSWORD, new_password=NEW_PASSWORD
        )

        with pytest.raises(AccountError) as error:
            services.user_for_reset_token(token=token)

    assert error.value.code == AccountErrorCode.INVALID_RESET_TOKEN


def test_reset_token_expires(app, db_session, monkeypatch):
    user = UserFactory()
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE_SECONDS", -1)

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        with pytest.raises(AccountError) as error:
            services.user_for_reset_token(token=token)

    assert error.value.code == AccountErrorCode.EXPIRED_RESET_TOKEN


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "pas-un-jeton", str.upper])
def test_reset_token_refuses_tampering(app, db_session, mangle):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        with pytest.raises(AccountError) as error:
            services.user_for_reset_token(token=mangle(token))

    assert error.value.code == AccountErrorCode.INVALID_RESET_TOKEN


def test_reset_token_signed_with_another_key_is_refused(app, db_session, monkeypatch):
    user = UserFactory()
    with app.test_request_context():
        monkeypatch.setitem(app.config, "SECRET_KEY", "une-autre-cle")
        forged = services.make_password_reset_token(user=user)
        monkeypatch.setitem(app.config, "SECRET_KEY", "test-secret")

        with pytest.raises(AccountError) as error:
            services.user_for_reset_token(token=forged)

    assert error.value.code == AccountErrorCode.INVALID_RESET_TOKEN


def test_reset_token_of_a_disabled_account_is_refused(app, db_session):
    user = UserFactory()

    with app.test_request_context():
        token = services.make_password_reset_token(user=user)
        user.active = False
        with pytest.raises(AccountError):
            services.user_for_reset_token(token=token)


def test_request_password_reset_only_queues_the_lookup(app, db_session):
    """The request does the same work for a known and an unknown address."""
    UserFactory(email="oubli@example.fr")

    with app.test_request_context():
        services.request_password_reset(email="Oubli@Example.fr", locale="fr")
        services.request_password_reset(email="personne@example.fr", locale="fr")

    lookups = [message.kwargs for message in db.session.scalars(select(OutboxMessage))]
    assert lookups == [
        {"email": "oubli@example.fr", "locale": "fr"},
        {"email": "personne@example.fr", "locale": "fr"},
    ]


def test_send_password_reset_queues_an_email_with_a_working_link(app, db_session):
    user = UserFactory(email="oubli@example.fr", locale="en")

    with app.test_request_context():
        assert services.send_password_reset(email="oubli@example.fr", locale="fr") is True

    [message] = outbox_messages("password_reset")
    assert message.kwargs["to"] == "oubli@example.fr"
    assert message.kwargs["locale"] == "en"  # the account's language wins
    assert message.kwargs["valid_minutes"] == 60
    assert message.kwargs["reset_url"].startswith("http://localhost/password/reset?token=")
    token = message.kwargs["reset_url"].split("token=", 1)[1]
    with app.test_request_context():
        assert services.user_for_reset_token(token=token) == user


def test_send_password_reset_for_an_unknown_email_queues_nothing(app, db_session):
    with app.test_request_context():
        assert services.send_password_reset(email="personne@example.fr", locale="fr") is False

    assert outbox_messages("password_reset") == []


# Profile


def test_update_profile_changes_name_and_language(db_session):
    user = UserFactory(locale="fr")

    services.update_profile(user=user, full_name="  Jeanne Martin ", locale="en")

    assert (user.full_name, user.locale) == ("Jeanne Martin", "en")


def test_update_profile_refuses_an_unknown_language(db_session):
    user = UserFactory(locale="fr")

    with pytest.raises(AccountError):
        services.update_profile(user=user, full_name="Jeanne", locale="xx")

    assert user.locale == "fr"


# Addresses

ADDRESS = {
    "label": "Maison",
    "full_name": "Jeanne Martin",
    "line1": "3 place Jean Jaurès",
    "line2": "",
    "postcode": "81100",
    "city": "Castres",
    "phone": "",
}


def test_the_first_address_becomes_the_default(db_session):
    user = UserFactory()

    first = services.add_address(user=user, **ADDRESS)
    second = services.add_address(user=user, **{**ADDRESS, "label": "Bureau"})

    assert first.is_default and not second.is_default
    assert first.country == "FR"


def test_add_address_can_take_over_as_default(db_session):
    user = UserFactory()
    first = services.add_address(user=user, **ADDRESS)

    second = services.add_address(user=user, make_default=True, **ADDRESS)

    assert second.is_default and not first.is_default


def test_add_address_normalises_a_spaced_postcode(db_session):
    address = services.add_address(user=UserFactory(), **{**ADDRESS, "postcode": " 81 100 "})

    assert address.postcode == "81100"


@pytest.mark.parametrize("postcode", ["8110", "811000", "81A00", "", "F-81100"])
def test_add_address_refuses_a_postcode_that_is_not_french(db_session, postcode):
    user = UserFactory()

    with pytest.raises(AccountError) as error:
        services.add_address(user=user, **{**ADDRESS, "postcode": postcode})

    assert error.value.code == AccountErrorCode.INVALID_POSTCODE
    assert services.list_user_addresses(user=user) == []


def test_update_address_validates_the_postcode_too(db_session):
    address = AddressFactory()

    with pytest.raises(AccountError):
        services.update_address(address=address, postcode="123")


def test_set_default_address_leaves_exactly_one_default(db_session):
    user = UserFactory()
    addresses = [services.add_address(user=user, **ADDRESS) for _ in range(3)]

    services.set_default_address(address=addresses[2])
    services.set_default_address(address=addresses[1])

    listed = services.list_user_addresses(user=user)
    assert [address for address in listed if address.is_default] == [addresses[1]]


def test_deleting_the_default_address_promotes_the_oldest_remaining(db_session):
    user = UserFactory()
    first, second, third = (services.add_address(user=user, **ADDRESS) for _ in range(3))
    services.set_default_address(address=third)

    services.delete_address(address=third)

    assert services.list_user_addresses(user=user) == [first, second]
    assert first.is_default


def test_find_user_address_never_finds_another_users_address(db_session):
    owner, stranger = UserFactory(), UserFactory()
    address = AddressFactory(user=owner)

    assert services.find_user_address(user=owner, address_id=address.id) == address
    assert services.find_user_address(user=stranger, address_id=address.id) is None


def test_database_allows_one_default_address_per_user(db_session):
    user = UserFactory()
    AddressFactory(user=user, is_default=True)

    with pytest.raises(IntegrityError):
        AddressFactory(user=user, is_default=True)


def test_register_user_can_create_an_admin(db_session):
    admin = services.register_user(
        email="admin@example.fr", full_name="Admin", password=NEW_PASSWORD, role=Role.ADMIN
    )

    assert admin.is_admin
    assert db.session.get(User, admin.id).role == "admin"
