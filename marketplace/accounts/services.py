"""Accounts services: registration, authentication, sessions, password reset, addresses."""
import hashlib
import hmac
import re
import unicodedata
from functools import cache

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash
from zxcvbn import zxcvbn

from marketplace.core.outbox import enqueue
from marketplace.extensions import db

from .errors import AccountError, AccountErrorCode
from .models import Address, Role, User
from .throttling import unlock_account

#: scrypt is memory-hard (costly on GPUs), ships with Python's hashlib through OpenSSL, and
#: Werkzeug writes its parameters into each hash, so raising them later keeps old hashes valid.
PASSWORD_METHOD = "scrypt"
PASSWORD_MIN_LENGTH = 10
#: Hashing a huge "password" would let anyone keep a worker busy.
PASSWORD_MAX_LENGTH = 200
#: zxcvbn's score (0 to 4) a new password needs.
MINIMUM_PASSWORD_SCORE = 2
FRENCH_POSTCODE = re.compile(r"^\d{5}$")
_RESET_SALT = "accounts.password-reset"
ADDRESS_FIELDS = ("label", "full_name", "line1", "line2", "postcode", "city", "phone")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=PASSWORD_METHOD)


@cache
def _unknown_user_hash() -> str:
    """Checked when the email is unknown, so a login takes as long either way."""
    return hash_password("not-a-real-password")


def check_password_strength(*, password: str, email: str = "", full_name: str = "") -> None:
    """Refuse passwords that are short, absurdly long, the account's own email, or easy to
    guess: zxcvbn (Dropbox's estimator, with lists of the most common passwords, words, names
    and keyboard patterns) must rate it at least "somewhat guessable" (2 of 4, about 10^8
    guesses), the email and name counting as known words."""
    if (
        len(password) < PASSWORD_MIN_LENGTH
        or len(password) > PASSWORD_MAX_LENGTH
        or (email and password.strip().lower() == normalise_email(email))
    ):
        raise AccountError(AccountErrorCode.WEAK_PASSWORD, min_length=PASSWORD_MIN_LENGTH)
    # zxcvbn's matching grows with the length: the first 100 characters decide.
    score = zxcvbn(password[:100], user_inputs=_personal_words(email, full_name))["score"]
    if score < MINIMUM_PASSWORD_SCORE:
        raise AccountError(AccountErrorCode.COMMON_PASSWORD)


def _personal_words(email: str, full_name: str) -> list[str]:
    """What an attacker knows of the person: their email, its parts, their names (also
    without accents, as people type them in passwords)."""
    local_part = normalise_email(email).partition("@")[0]
    words = [normalise_email(email), local_part, *re.split(r"[\W_]+", local_part)]
    words += re.split(r"[\s'’-]+", full_name.lower())
    unaccented = [
        unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode() for word in words
    ]
    return [word for word in {*words, *unaccented} if len(word) >= 3]


def find_user_by_email(*, email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register_user(
    *,
    email: str,
    full_name: str,
    password: str,
    locale: str | None = None,
    role: Role = Role.CUSTOMER,
) -> User:
    """Create an account; the email is the login, so it must be free in any letter case."""
    email = normalise_email(email)
    check_password_strength(password=password, email=email, full_name=full_name)
    if find_user_by_email(email=email) is not None:
        raise AccountError(AccountErrorCode.EMAIL_TAKEN)
    check_locale(locale)
    user = User(
        email=email,
        full_name=full_name.strip(),
        password_hash=hash_password(password),
        role=role,
        locale=locale,
    )
    db.session.add(user)
    db.session.flush()
    return user


def authenticate_user(*, email: str, password: str) -> User:
    """The user whose email and password match, or INVALID_CREDENTIALS.

    Unknown email, wrong password and disabled account all give the same error, so the login
    form never tells which emails have an account.
    """
    user = find_user_by_email(email=email)
    if user is None:
        check_password_hash(_unknown_user_hash(), password)
        raise AccountError(AccountErrorCode.INVALID_CREDENTIALS)
    if not check_password_hash(user.password_hash, password) or not user.active:
        raise AccountError(AccountErrorCode.INVALID_CREDENTIALS)
    return user


def end_sessions(*, user: User) -> None:
    """Invalidate every session and remember-me cookie of the user (see User.session_version)."""
    user.session_version = User.session_version + 1
    db.session.flush()
    db.session.refresh(user, ["session_version"])


def check_current_password(*, user: User, password: str) -> None:
    """Before a change only the owner may make (password, deletion): the password again."""
    if not check_password_hash(user.password_hash, password):
        raise AccountError(AccountErrorCode.WRONG_PASSWORD)


def change_password(*, user: User, current_password: str, new_password: str) -> None:
    """Set a new password after checking the current one; every other session ends."""
    check_current_password(user=user, password=current_password)
    _set_password(user=user, password=new_password)


def _set_password(*, user: User, password: str) -> None:
    check_password_strength(password=password, email=user.email, full_name=user.full_name)
    user.password_hash = hash_password(password)
    end_sessions(user=user)
    # Tell the owner: if someone else changed it, this email is how they find out.
    locale = user.locale or "fr"
    with force_locale(locale):
        subject = gettext("Votre mot de passe a été changé")
    enqueue(
        "notifications.send_email",
        dedupe_key=f"password-changed:{user.id}:{user.session_version}",
        to=user.email,
        subject=subject,
        template="password_changed",
        locale=locale,
        full_name=user.full_name,
        forgot_password_url=url_for("accounts.forgot_password", _external=True),
    )


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_RESET_SALT)


def _password_fingerprint(user: User) -> str:
    """A digest of the current password hash: the token dies once the password changes.

    The token is signed, not encrypted, so it carries this keyed digest and never the hash.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, user.password_hash.encode(), hashlib.sha256).hexdigest()[:32]


def make_password_reset_token(*, user: User) -> str:
    return _reset_serializer().dumps({"user": user.id, "pw": _password_fingerprint(user)})


def user_for_reset_token(*, token: str) -> User:
    """The user a reset token was issued to, if it is still valid and unused."""
    max_age = current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"]
    try:
        payload = _reset_serializer().loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise AccountError(AccountErrorCode.EXPIRED_RESET_TOKEN) from error
    except BadSignature as error:
        raise AccountError(AccountErrorCode.INVALID_RESET_TOKEN) from error
    user_id = payload.get("user") if isinstance(payload, dict) else None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if (
        user is None
        or not user.active
        or not hmac.compare_digest(str(payload.get("pw", "")), _password_fingerprint(user))
    ):
        raise AccountError(AccountErrorCode.INVALID_RESET_TOKEN)
    return user


def request_password_reset(*, email: str, locale: str) -> None:
    """Ask for a reset link for this email, whether or not it has an account.

    The lookup happens in a task (`send_password_reset`): the request does the same work, in
    the same time, for a known and an unknown address, so neither its answer nor its timing
    tells which addresses have an account.
    """
    enqueue("accounts.send_password_reset", email=normalise_email(email), locale=locale)


def send_password_reset(*, email: str, locale: str) -> bool:
    """Queue the reset link if the email belongs to an active account; returns whether it did."""
    user = find_user_by_email(email=email)
    if user is None or not user.active:
        return False
    token = make_password_reset_token(user=user)
    locale = user.locale or locale
    with force_locale(locale):
        subject = gettext("Réinitialisation de votre mot de passe")
    enqueue(
        "notifications.send_email",
        dedupe_key=f"password-reset:{user.id}:{hashlib.sha256(token.encode()).hexdigest()[:32]}",
        to=user.email,
        subject=subject,
        template="password_reset",
        locale=locale,
        full_name=user.full_name,
        reset_url=url_for("accounts.reset_password", token=token, _external=True),
        valid_minutes=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60,
    )
    return True


def reset_password(*, token: str, new_password: str) -> User:
    """Set the password chosen through an emailed link; the link then stops working.

    Reading the account's mailbox proves ownership: sign-ins suspended after an attack on the
    account (`throttling`) are allowed again.
    """
    user = user_for_reset_token(token=token)
    _set_password(user=user, password=new_password)
    unlock_account(email=user.email)
    return user


def check_locale(locale: str | None) -> None:
    if locale is not None and locale not in current_app.config["LANGUAGES"]:
        raise AccountError(AccountErrorCode.UNSUPPORTED_LOCALE)


def update_profile(*, user: User, full_name: str, locale: str | None) -> None:
    check_locale(locale)
    user.full_name = full_name.strip()
    user.locale = locale
    db.session.flush()


def find_user_address(*, user: User, address_id: int) -> Address | None:
    """One of the user's own addresses; another user's address is simply not found."""
    return db.session.scalar(
        select(Address).where(Address.id == address_id, Address.user_id == user.id)
    )


def list_user_addresses(*, user: User) -> list[Address]:
    return list(
        db.session.scalars(
            select(Address)
            .where(Address.user_id == user.id)
            .order_by(Address.is_default.desc(), Address.id)
        )
    )


def _clean_address_fields(fields: dict[str, str]) -> dict[str, str]:
    unknown = set(fields) - set(ADDRESS_FIELDS)
    if unknown:
        raise TypeError(f"unknown address fields: {', '.join(sorted(unknown))}")
    cleaned = {name: (value or "").strip() for name, value in fields.items()}
    if "postcode" in cleaned:
        cleaned["postcode"] = cleaned["postcode"].replace(" ", "")
        if not FRENCH_POSTCODE.match(cleaned["postcode"]):
            raise AccountError(AccountErrorCode.INVALID_POSTCODE)
    return cleaned


def add_address(*, user: User, make_default: bool = False, **fields: str) -> Address:
    """Save an address in France; the user's first address becomes the default."""
    cleaned = _clean_address_fields(fields)
    address = Address(user_id=user.id, country="FR", is_default=False, **cleaned)
    db.session.add(address)
    db.session.flush()
    has_default = db.session.scalar(
        select(func.count(Address.id)).where(Address.user_id == user.id, Address.is_default)
    )
    if make_default or not has_default:
        set_default_address(address=address)
    return address


def update_address(*, address: Address, make_default: bool = False, **fields: str) -> None:
    for name, value in _clean_address_fields(fields).items():
        setattr(address, name, value)
    db.session.flush()
    if make_default:
        set_default_address(address=address)


def set_default_address(*, address: Address) -> None:
    """Make this the address offered first at checkout, instead of the previous default."""
    previous = db.session.scalars(
        select(Address).where(
            Address.user_id == address.user_id, Address.is_default, Address.id != address.id
        )
    ).all()
    for other in previous:
        other.is_default = False
    # The unique index allows one default per user: clear the old one before setting the new.
    db.session.flush()
    address.is_default = True
    db.session.flush()


def delete_address(*, address: Address) -> None:
    """Delete an address; if it was the default, the oldest remaining one takes over.

    Orders keep their own copy of the address (Address.as_snapshot), so none is affected.
    """
    was_default = address.is_default
    user_id = address.user_id
    db.session.delete(address)
    db.session.flush()
    if was_default:
        successor = db.session.scalar(
            select(Address).where(Address.user_id == user_id).order_by(Address.id).limit(1)
        )
        if successor is not None:
            successor.is_default = True
            db.session.flush()
