"""The Stripe gateway over HTTP against localstripe (plus our Connect shim): no mocks."""
import time

import pytest

from marketplace.payments.gateway import GatewayError, GatewayUnavailable
from tests.stripe_fake.plugin import event_body, signature_header


def create_intent(gateway, *, amount=4990, key="payment-1-create", number="LA-2026-000001"):
    return gateway.create_payment(
        amount_cents=amount, currency="EUR", order_number=number,
        metadata={"order_id": "1", "order_number": number, "payment_id": "1"},
        idempotency_key=key,
    )


def paid_intent(gateway, *, amount=4990, key="payment-1-create"):
    intent = create_intent(gateway, amount=amount, key=key)
    return gateway.confirm_payment(intent.provider_ref, payment_method="pm_card_visa")


def test_payment_intent_carries_amount_currency_transfer_group_and_our_ids(
    stripe_gateway, localstripe
):
    result = create_intent(stripe_gateway, amount=12345, number="LA-2026-000042")

    assert result.status == "created"
    assert result.client_secret.startswith(result.provider_ref)
    stored = localstripe.get("payment_intents", result.provider_ref)
    assert stored["amount"] == 12345
    assert stored["currency"] == "eur"
    assert stored["transfer_group"] == "LA-2026-000042"
    assert stored["metadata"] == {"order_id": "1", "order_number": "LA-2026-000042",
                                  "payment_id": "1"}


def test_same_idempotency_key_gives_the_same_payment_intent(stripe_gateway, localstripe):
    first = create_intent(stripe_gateway, key="payment-7-create")
    again = create_intent(stripe_gateway, key="payment-7-create")
    other = create_intent(stripe_gateway, key="payment-8-create")

    assert again.provider_ref == first.provider_ref
    assert other.provider_ref != first.provider_ref
    assert len(localstripe.list("payment_intents")) == 2


def test_reusing_a_key_with_other_parameters_is_refused(stripe_gateway):
    create_intent(stripe_gateway, amount=1000, key="payment-9-create")

    with pytest.raises(GatewayError) as error:
        create_intent(stripe_gateway, amount=2000, key="payment-9-create")
    assert error.value.code == "idempotency_conflict"


def test_card_payment_succeeds_and_names_its_charge(stripe_gateway):
    result = paid_intent(stripe_gateway)

    assert result.status == "succeeded"
    assert result.charge_ref.startswith("ch_")
    assert stripe_gateway.retrieve_payment(result.provider_ref) == result


def test_declined_card_is_an_answer_with_a_message_and_another_card_can_pay(stripe_gateway):
    intent = create_intent(stripe_gateway)

    declined = stripe_gateway.confirm_payment(
        intent.provider_ref, payment_method="pm_card_visa_chargeDeclined"
    )
    assert declined.status == "failed"
    assert declined.failure_message == "Votre carte a été refusée."

    retried = stripe_gateway.confirm_payment(intent.provider_ref, payment_method="pm_card_visa")
    assert retried.status == "succeeded"
    assert retried.failure_message == ""


def test_three_d_secure_card_waits_for_the_customer_then_succeeds(stripe_gateway, localstripe):
    intent = create_intent(stripe_gateway)

    result = stripe_gateway.confirm_payment(
        intent.provider_ref, payment_method=localstripe.card("4000002760003184")
    )
    assert result.status == "requires_action"

    localstripe.authenticate({"id": intent.provider_ref, "client_secret": intent.client_secret})
    assert stripe_gateway.retrieve_payment(intent.provider_ref).status == "succeeded"


def test_failed_three_d_secure_leaves_the_payment_failed(stripe_gateway, localstripe):
    intent = create_intent(stripe_gateway)
    stripe_gateway.confirm_payment(
        intent.provider_ref, payment_method=localstripe.card("4000002760003184")
    )

    localstripe.authenticate(
        {"id": intent.provider_ref, "client_secret": intent.client_secret}, success=False
    )
    result = stripe_gateway.retrieve_payment(intent.provider_ref)
    assert result.status == "failed"
    assert "3-D Secure" in result.failure_message


def test_cancel_is_idempotent(stripe_gateway):
    intent = create_intent(stripe_gateway)

    first = stripe_gateway.cancel_payment(intent.provider_ref, idempotency_key="p1-cancel")
    again = stripe_gateway.cancel_payment(intent.provider_ref, idempotency_key="p1-cancel-2")

    assert (first.status, again.status) == ("cancelled", "cancelled")


def test_partial_refunds_are_replayed_by_key_and_never_exceed_the_charge(stripe_gateway):
    paid = paid_intent(stripe_gateway, amount=5000)

    first = stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=3000,
                                  idempotency_key="refund-1", metadata={"refund_id": "1"})
    replay = stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=3000,
                                   idempotency_key="refund-1", metadata={"refund_id": "1"})
    assert (first.status, first.amount_cents) == ("succeeded", 3000)
    assert replay.provider_ref == first.provider_ref

    with pytest.raises(GatewayError) as error:
        stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=2001,
                              idempotency_key="refund-2", metadata={"refund_id": "2"})
    assert error.value.code == "amount_too_large"

    stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=2000,
                          idempotency_key="refund-3", metadata={"refund_id": "3"})
    refunds = stripe_gateway.list_refunds(paid.provider_ref)
    assert sorted(r.amount_cents for r in refunds) == [2000, 3000]
    assert {r.metadata["refund_id"] for r in refunds} == {"1", "3"}
    assert stripe_gateway.retrieve_payment(paid.provider_ref).amount_refunded_cents == 5000


def test_vendor_account_onboarding_then_transfer_and_reversal(stripe_gateway, localstripe):
    account = stripe_gateway.create_connected_account(email="atelier@example.fr",
                                                      idempotency_key="vendor-3-account")
    assert stripe_gateway.create_connected_account(
        email="atelier@example.fr", idempotency_key="vendor-3-account"
    ).provider_ref == account.provider_ref
    assert not account.payouts_enabled

    url = stripe_gateway.account_onboarding_link(
        account_ref=account.provider_ref, refresh_url="http://localhost/vendor/payments",
        return_url="http://localhost/vendor/payments/return",
    )
    assert account.provider_ref in url

    paid = paid_intent(stripe_gateway, amount=8000)
    with pytest.raises(GatewayError):  # the account cannot receive transfers yet
        stripe_gateway.create_transfer(
            amount_cents=6000, currency="EUR", destination=account.provider_ref,
            transfer_group="LA-2026-000001", idempotency_key="transfer-1", metadata={},
        )

    localstripe.complete_onboarding(account.provider_ref)
    assert stripe_gateway.retrieve_account(account.provider_ref).payouts_enabled

    transfer = stripe_gateway.create_transfer(
        amount_cents=6000, currency="EUR", destination=account.provider_ref,
        transfer_group="LA-2026-000001", idempotency_key="transfer-2",
        metadata={"transfer_id": "2"}, source_transaction=paid.charge_ref,
    )
    stored = localstripe.get("transfers", transfer.provider_ref)
    assert (stored["transfer_group"], stored["source_transaction"]) == ("LA-2026-000001",
                                                                       paid.charge_ref)

    reversal = stripe_gateway.reverse_transfer(transfer_ref=transfer.provider_ref,
                                               amount_cents=1500, idempotency_key="reversal-1")
    assert stripe_gateway.reverse_transfer(transfer_ref=transfer.provider_ref, amount_cents=1500,
                                           idempotency_key="reversal-1") == reversal
    assert stripe_gateway.retrieve_transfer(transfer.provider_ref).amount_reversed_cents == 1500
    with pytest.raises(GatewayError):
        stripe_gateway.reverse_transfer(transfer_ref=transfer.provider_ref, amount_cents=4501,
                                        idempotency_key="reversal-2")


def test_server_errors_are_retried_twice_with_the_same_key(stripe_gateway, localstripe):
    localstripe.inject_fault("/v1/payment_intents", mode="fail_before", times=2)

    result = create_intent(stripe_gateway)

    assert localstripe.hits("/v1/payment_intents") == 3
    assert len(localstripe.list("payment_intents")) == 1
    assert result.status == "created"


def test_provider_down_after_retries_is_reported_as_unavailable(stripe_gateway, localstripe):
    localstripe.inject_fault("/v1/refunds", mode="fail_before", times=5)
    paid = paid_intent(stripe_gateway)

    started = time.monotonic()
    with pytest.raises(GatewayUnavailable):
        stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=100,
                              idempotency_key="refund-9", metadata={})
    elapsed = time.monotonic() - started

    assert localstripe.hits("/v1/refunds") == 3
    print(f"3 attempts then GatewayUnavailable in {elapsed:.2f} s")


def test_provider_timeout_after_success_does_not_duplicate(stripe_gateway, localstripe):
    """The provider does the work but answers after the client gave up (1 s): the retry with
    the same idempotency key gets the first object back, for each kind of object we create."""
    account = stripe_gateway.create_connected_account(email="", idempotency_key="vendor-1-account")
    localstripe.complete_onboarding(account.provider_ref)
    for path in ("/v1/payment_intents", "/v1/refunds", "/v1/transfers"):
        localstripe.inject_fault(path, mode="late", delay=2.5)

    started = time.monotonic()
    intent = create_intent(stripe_gateway)
    elapsed = time.monotonic() - started
    paid = stripe_gateway.confirm_payment(intent.provider_ref, payment_method="pm_card_visa")
    refund = stripe_gateway.refund(payment_ref=paid.provider_ref, amount_cents=990,
                                   idempotency_key="refund-1", metadata={"refund_id": "1"})
    transfer = stripe_gateway.create_transfer(
        amount_cents=3000, currency="EUR", destination=account.provider_ref,
        transfer_group="LA-2026-000001", idempotency_key="transfer-1", metadata={},
    )

    assert [pi["id"] for pi in localstripe.list("payment_intents")] == [intent.provider_ref]
    assert [r["id"] for r in localstripe.list("refunds")] == [refund.provider_ref]
    assert [t["id"] for t in localstripe.list("transfers")] == [transfer.provider_ref]
    assert localstripe.hits("/v1/payment_intents") == 2  # the timed-out call and its retry
    print(f"timed out after 1 s, replayed by key: {elapsed:.2f} s in all")


def test_signed_event_is_read_and_tampering_or_age_is_refused(stripe_gateway):
    body = event_body("payment_intent.succeeded", {"id": "pi_123", "object": "payment_intent",
                                                   "status": "succeeded"}, event_id="evt_1")

    event = stripe_gateway.parse_event(body, signature_header(body))
    assert (event.event_id, event.type, event.object_id) == ("evt_1", "payment_intent.succeeded",
                                                             "pi_123")

    for payload, header in (
        (body.replace(b"pi_123", b"pi_999"), signature_header(body)),
        (body, signature_header(body, secret="whsec_other")),
        (body, signature_header(body, timestamp=int(time.time()) - 301)),
        (body, None),
    ):
        with pytest.raises(GatewayError) as error:
            stripe_gateway.parse_event(payload, header)
        assert error.value.code == "bad_signature"
