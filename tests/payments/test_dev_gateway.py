"""The dev gateway behaves like a provider: idempotency keys, test cards, refunds, Connect."""
import json

import pytest

from marketplace.payments.dev_gateway import DevGateway
from marketplace.payments.gateway import GatewayError
from marketplace.payments.registry import get_gateway


@pytest.fixture
def gateway(app, db_session):
    return DevGateway(signing_secret="test-secret")


def _intent(gateway, key="order-1-payment", amount=4590):
    return gateway.create_payment(
        amount_cents=amount, currency="EUR", order_number="LA-2026-000001",
        metadata={"order_id": "1"}, idempotency_key=key,
    )


def test_registry_gives_the_configured_gateway(app, db_session):
    assert get_gateway().name == "dev"
    assert get_gateway("dev") is get_gateway()


def test_same_idempotency_key_returns_the_same_intent(gateway):
    first = _intent(gateway)
    again = _intent(gateway)
    other = _intent(gateway, key="order-2-payment")

    assert first.provider_ref.startswith("devpi_")
    assert again == first
    assert other.provider_ref != first.provider_ref
    assert first.status == "created"
    assert first.client_secret.startswith(first.provider_ref)


def test_a_key_reused_with_another_amount_is_refused(gateway):
    _intent(gateway, amount=1000)
    with pytest.raises(GatewayError) as error:
        _intent(gateway, amount=2000)
    assert error.value.code == "idempotency_conflict"


@pytest.mark.parametrize(
    ("card", "status"),
    [
        ("4242 4242 4242 4242", "succeeded"),
        ("4242-4242-4242-4242", "succeeded"),
        ("4000 0000 0000 0002", "failed"),
        ("4000 0027 6000 3184", "requires_action"),
        ("1234 5678 9012 3456", "failed"),
        ("pm_card_visa", "succeeded"),
    ],
)
def test_test_cards(gateway, card, status):
    result = gateway.confirm_payment(_intent(gateway).provider_ref, payment_method=card)
    assert result.status == status
    assert (result.charge_ref is not None) == (status == "succeeded")
    assert bool(result.failure_message) == (status == "failed")


def test_a_declined_payment_can_be_retried_with_another_card(gateway):
    ref = _intent(gateway).provider_ref
    declined = gateway.confirm_payment(ref, payment_method="4000000000000002")
    assert "refusée" in declined.failure_message

    paid = gateway.confirm_payment(ref, payment_method="4242424242424242")
    assert paid.status == "succeeded"
    assert paid.failure_message == ""


def test_confirming_a_paid_intent_again_changes_nothing(gateway):
    ref = _intent(gateway).provider_ref
    paid = gateway.confirm_payment(ref, payment_method="4242424242424242")
    again = gateway.confirm_payment(ref, payment_method="4000000000000002")
    assert again == paid


def test_three_d_secure_can_be_confirmed_or_refused(gateway):
    confirmed = _intent(gateway, key="a").provider_ref
    refused = _intent(gateway, key="b").provider_ref
    for ref in (confirmed, refused):
        gateway.confirm_payment(ref, payment_method="4000002760003184")

    assert gateway.complete_authentication(confirmed, approve=True).status == "succeeded"
    result = gateway.complete_authentication(refused, approve=False)
    assert result.status == "failed"
    assert "3-D Secure" in result.failure_message


def test_cancel_leaves_a_paid_intent_alone(gateway):
    open_ref = _intent(gateway, key="a").provider_ref
    paid_ref = _intent(gateway, key="b").provider_ref
    gateway.confirm_payment(paid_ref, payment_method="4242424242424242")

    assert gateway.cancel_payment(open_ref, idempotency_key="c1").status == "cancelled"
    assert gateway.cancel_payment(paid_ref, idempotency_key="c2").status == "succeeded"
    with pytest.raises(GatewayError):
        gateway.confirm_payment(open_ref, payment_method="4242424242424242")


def test_refunds_never_exceed_what_was_paid(gateway):
    ref = _intent(gateway, amount=5000).provider_ref
    with pytest.raises(GatewayError):
        gateway.refund(payment_ref=ref, amount_cents=100, idempotency_key="r0", metadata={})
    gateway.confirm_payment(ref, payment_method="4242424242424242")

    first = gateway.refund(payment_ref=ref, amount_cents=3000, idempotency_key="r1",
                           metadata={"refund_id": "1"})
    replay = gateway.refund(payment_ref=ref, amount_cents=3000, idempotency_key="r1",
                            metadata={"refund_id": "1"})
    with pytest.raises(GatewayError) as too_much:
        gateway.refund(payment_ref=ref, amount_cents=2001, idempotency_key="r2", metadata={})
    rest = gateway.refund(payment_ref=ref, amount_cents=2000, idempotency_key="r3", metadata={})

    assert replay == first
    assert first.metadata == {"refund_id": "1"}
    assert too_much.value.code == "amount_too_large"
    assert [r.amount_cents for r in gateway.list_refunds(ref)] == [3000, 2000]
    assert rest.status == "succeeded"
    assert gateway.retrieve_payment(ref).amount_refunded_cents == 5000


def test_a_refund_key_reused_with_another_amount_is_refused(gateway):
    ref = _intent(gateway, amount=5000).provider_ref
    gateway.confirm_payment(ref, payment_method="4242424242424242")
    gateway.refund(payment_ref=ref, amount_cents=1000, idempotency_key="r1", metadata={})

    with pytest.raises(GatewayError) as error:
        gateway.refund(payment_ref=ref, amount_cents=1500, idempotency_key="r1", metadata={})

    assert error.value.code == "idempotency_conflict"
    assert [r.amount_cents for r in gateway.list_refunds(ref)] == [1000]


def test_connected_account_onboarding_then_transfer_and_reversal(gateway, app):
    account = gateway.create_connected_account(email="atelier@example.fr", idempotency_key="v-1")
    assert gateway.create_connected_account(email="atelier@example.fr",
                                            idempotency_key="v-1") == account
    assert not account.payouts_enabled

    with pytest.raises(GatewayError) as not_ready:
        gateway.create_transfer(amount_cents=1000, currency="EUR", destination=account.provider_ref,
                                transfer_group="LA-2026-000001", idempotency_key="payout-1",
                                metadata={})
    assert not_ready.value.code == "account_not_ready"

    with app.test_request_context():
        link = gateway.account_onboarding_link(account_ref=account.provider_ref,
                                               refresh_url="/vendor/stripe/refresh",
                                               return_url="/vendor/stripe/return")
    assert link.startswith(f"/dev/connect/{account.provider_ref}")
    assert gateway.complete_onboarding(account.provider_ref).payouts_enabled
    assert gateway.retrieve_account(account.provider_ref).details_submitted

    transfer = gateway.create_transfer(
        amount_cents=1000, currency="EUR", destination=account.provider_ref,
        transfer_group="LA-2026-000001", idempotency_key="payout-1", metadata={},
    )
    assert gateway.create_transfer(
        amount_cents=1000, currency="EUR", destination=account.provider_ref,
        transfer_group="LA-2026-000001", idempotency_key="payout-1", metadata={},
    ) == transfer

    reversal = gateway.reverse_transfer(transfer_ref=transfer.provider_ref, amount_cents=400,
                                        idempotency_key="rev-1")
    with pytest.raises(GatewayError):
        gateway.reverse_transfer(transfer_ref=transfer.provider_ref, amount_cents=601,
                                 idempotency_key="rev-2")
    assert reversal.transfer_ref == transfer.provider_ref
    assert gateway.retrieve_transfer(transfer.provider_ref).amount_reversed_cents == 400


def test_transfers_from_a_charge_cannot_exceed_it(gateway):
    account = gateway.create_connected_account(email="", idempotency_key="v-2")
    gateway.complete_onboarding(account.provider_ref)
    ref = _intent(gateway, amount=3000).provider_ref
    charge = gateway.confirm_payment(ref, payment_method="4242424242424242").charge_ref

    def transfer(amount, key):
        return gateway.create_transfer(
            amount_cents=amount, currency="EUR", destination=account.provider_ref,
            transfer_group="LA-2026-000001", idempotency_key=key, metadata={},
            source_transaction=charge,
        )

    transfer(2000, "t1")
    with pytest.raises(GatewayError) as error:
        transfer(1001, "t2")
    assert error.value.code == "insufficient_funds"
    transfer(1000, "t3")


def test_events_must_carry_a_valid_signature(gateway):
    payload = json.dumps({"id": "devevt_1", "type": "payment_intent.succeeded",
                          "data": {"object": {"id": "devpi_1"}}}).encode()

    event = gateway.parse_event(payload, gateway.sign_event(payload))
    assert (event.event_id, event.type, event.object_id) == (
        "devevt_1", "payment_intent.succeeded", "devpi_1"
    )
    with pytest.raises(GatewayError):
        gateway.parse_event(payload, "sha256=forged")
    with pytest.raises(GatewayError):
        gateway.parse_event(payload + b" ", gateway.sign_event(payload))
