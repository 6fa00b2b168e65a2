"""Failed sign-ins and password checks, counted so that guessing is slow and owners stay in.

A plain per-IP or per-account limit either locks out everyone behind the hub's shop counter
(one IP) or lets anyone lock a customer out by failing on purpose with their email. So failures
are counted three ways, in Flask-Limiter's storage (Redis in production) with `limits`' moving
windows:

- per account and IP: the common case of one person guessing one password, stopped quickly;
- per IP, across accounts: one machine trying many accounts (credential stuffing), with room
  for a shop counter's honest typos;
- per account, across IPs: a spread-out attack on one account. Past it, signing in with the
  password is suspended for that account, for everyone; the owner gets back in by the emailed
  password-reset link, which clears the count (no captcha, no waiting for an admin).

Only failures count, and a successful sign-in clears its account-and-IP count.
"""
import hashlib
from dataclasses import dataclass
from enum import StrEnum

from flask import current_app
from limits import RateLimitItem, parse

from marketplace.extensions import limiter


class Refusal(StrEnum):
    """Why a sign-in is not even tried."""

    #: This IP failed too often, on this account or on many: wait a little.
    SLOW_DOWN = "slow_down"
    #: The account itself is under attack: only the emailed link lets its owner in.
    ACCOUNT_SUSPENDED = "account_suspended"


@dataclass(frozen=True)
class _Counter:
    namespace: str
    config_key: str

    def limit(self) -> RateLimitItem:
        return parse(current_app.config[self.config_key])

    def exhausted(self, *identifiers: str) -> bool:
        return not limiter.limiter.test(self.limit(), self.namespace, *_keys(identifiers))

    def count(self, *identifiers: str) -> None:
        limiter.limiter.hit(self.limit(), self.namespace, *_keys(identifiers))

    def clear(self, *identifiers: str) -> None:
        limiter.limiter.clear(self.limit(), self.namespace, *_keys(identifiers))


def _keys(identifiers: tuple[str, ...]) -> tuple[str, ...]:
    # Counters live in Redis under these keys: no email address in clear there.
    return tuple(hashlib.sha256(value.encode()).hexdigest()[:24] for value in identifiers)


_PER_ACCOUNT_AND_IP = _Counter("login-account-ip", "LOGIN_FAILURES_PER_ACCOUNT_AND_IP")
_PER_IP = _Counter("login-ip", "LOGIN_FAILURES_PER_IP")
_PER_ACCOUNT = _Counter("login-account", "LOGIN_FAILURES_PER_ACCOUNT")
_PASSWORD_CHECKS = _Counter("password-check", "PASSWORD_CHECK_FAILURES_PER_ACCOUNT")


def sign_in_refusal(*, email: str, ip: str) -> Refusal | None:
    """Whether a sign-in with this email from this IP may be tried at all."""
    if _PER_ACCOUNT.exhausted(email):
        return Refusal.ACCOUNT_SUSPENDED
    if _PER_ACCOUNT_AND_IP.exhausted(email, ip) or _PER_IP.exhausted(ip):
        return Refusal.SLOW_DOWN
    return None


def count_failed_sign_in(*, email: str, ip: str) -> None:
    _PER_ACCOUNT_AND_IP.count(email, ip)
    _PER_IP.count(ip)
    _PER_ACCOUNT.count(email)


def forget_failed_sign_ins(*, email: str, ip: str) -> None:
    """After a successful sign-in: this person on this machine starts afresh."""
    _PER_ACCOUNT_AND_IP.clear(email, ip)


def unlock_account(*, email: str) -> None:
    """The owner proved they read the account's mailbox (a password reset): let them in."""
    _PER_ACCOUNT.clear(email)


def password_checks_exhausted(*, user_id: int) -> bool:
    """Too many wrong current passwords on a signed-in session (a stolen session guessing)."""
    return _PASSWORD_CHECKS.exhausted(str(user_id))


def count_failed_password_check(*, user_id: int) -> None:
    _PASSWORD_CHECKS.count(str(user_id))
