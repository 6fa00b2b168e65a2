"""Cart rules: live stock and prices, what may be sold, merging at login, the summary."""

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from marketplace.accounts.models import User
from marketplace.cart.errors import CartError, CartErrorCode
from marketplace.cart.models import Cart, CartLine
from marketplace.cart.services import (
    LineProblem,
    acknowledge_price_change,
    add_to_cart,
    change_quantity,
    clear_cart,
    count_cart_items,
    delete_abandoned_carts,
    get_cart,
    get_or_create_cart,
    merge_carts,
    remove_line,
    summarize_cart,
)
from marketplace.catalog.models import ProductStatus
from marketplace.core.models import utcnow
from marketplace.extensions import db
from marketplace.vendors.models import VendorStatus
from tests.factories.accounts import UserFactory
from tests.factories.cart import CartFactory, CartLineFactory
from tests.factories.catalog import ProductFactory, VariantFactory
from tests.factories.vendors import VendorFactory


@pytest.fixture
def cart(db_session):
    return get_or_create_cart(user=None, token=None)


def test_anonymous_cart_is_found_again_by_its_token_only(db_session):
    cart = get_or_create_cart(user=None, token=None)
    assert len(cart.token) >= 40
    assert get_cart(user=None, token=cart.token) == cart
    assert get_cart(user=None, token="someone-elses-token") is None
    assert get_cart(user=None, token=None) is None


def test_a_forged_token_never_becomes_a_cart_token(db_session):
    cart = get_or_create_cart(user=None, token="chosen-by-the-browser")
    assert cart.token != "chosen-by-the-browser"


def test_account_cart_is_found_by_user_whatever_the_token(db_session):
    user = UserFactory()
    cart = get_or_create_cart(user=user, token=None)
    assert cart.user_id == user.id
    assert get_or_create_cart(user=user, token="anything") == cart
    # The account's cart is never handed out as an anonymous one.
    assert get_cart(user=None, token=cart.token) is None


def test_add_to_cart_records_the_price_seen(cart):
    variant = VariantFactory(price_cents=1250, stock=5)
    line = add_to_cart(cart=cart, variant_id=variant.id, quantity=2)
    assert (line.quantity, line.seen_price_cents) == (2, 1250)


def test_adding_the_same_variant_again_adds_up(cart):
    variant = VariantFactory(stock=5)
    add_to_cart(cart=cart, variant_id=variant.id, quantity=2)
    line = add_to_cart(cart=cart, variant_id=variant.id, quantity=3)
    assert line.quantity == 5
    assert len(db.session.scalars(select(CartLine).where(CartLine.cart_id == cart.id)).all()) == 1


def test_adding_more_than_the_stock_is_refused_with_the_units_left(cart):
    variant = VariantFactory(stock=3, product__name="Miel de châtaignier", size="", unit="500 g")
    add_to_cart(cart=cart, variant_id=variant.id, quantity=2)
    with pytest.raises(CartError) as refused:
        add_to_cart(cart=cart, variant_id=variant.id, quantity=2)
    assert refused.value.code == CartErrorCode.INSUFFICIENT_STOCK
    assert "Il ne reste que 3 exemplaires de « Miel de châtaignier (500 g) »" in str(refused.value)
    assert "déjà 2" in str(refused.value)
    assert db.session.scalar(select(CartLine.quantity).where(CartLine.cart_id == cart.id)) == 2


def test_adding_a_sold_out_variant_is_refused(cart):
    variant = VariantFactory(stock=0, product__name="Bérets", size="")
    with pytest.raises(CartError) as refused:
        add_to_cart(cart=cart, variant_id=variant.id, quantity=1)
    assert refused.value.code == CartErrorCode.SOLD_OUT
    assert refused.value.message == "« Bérets » est épuisé."


@pytest.mark.parametrize(
    "variant_kwargs",
    [
        {"active": False},
        {"product__status": ProductStatus.DRAFT},
        {"product__status": ProductStatus.ARCHIVED},
        {"product__vendor__status": VendorStatus.APPLIED},
        {"product__vendor__status": VendorStatus.SUSPENDED},
    ],
)
def test_only_active_variants_of_active_products_of_approved_vendors_can_be_added(
    cart, variant_kwargs
):
    variant = VariantFactory(**variant_kwargs)
    with pytest.raises(CartError) as refused:
        add_to_cart(cart=cart, variant_id=variant.id, quantity=1)
    assert refused.value.code == CartErrorCode.UNAVAILABLE


def test_unknown_variant_and_zero_quantity_are_refused(cart):
    with pytest.raises(CartError) as unknown:
        add_to_cart(cart=cart, variant_id=987654, quantity=1)
    assert unknown.value.code == CartErrorCode.UNAVAILABLE
    with pytest.raises(CartError) as zero:
        add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=0)
    assert zero.value.code == CartErrorCode.INVALID_QUANTITY


def test_change_quantity_is_limited_by_stock_and_refreshes_the_price_seen(cart):
    variant = VariantFactory(stock=4, price_cents=1000)
    line = add_to_cart(cart=cart, variant_id=variant.id, quantity=1)
    variant.price_cents = 1100
    line = change_quantity(cart=cart, line_id=line.id, quantity=4)
    assert (line.quantity, line.seen_price_cents) == (4, 1100)
    with pytest.raises(CartError) as refused:
        change_quantity(cart=cart, line_id=line.id, quantity=5)
    assert refused.value.code == CartErrorCode.INSUFFICIENT_STOCK
    assert refused.value.details["available"] == 4


def test_change_quantity_to_zero_removes_the_line(cart):
    line = add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=1)
    assert change_quantity(cart=cart, line_id=line.id, quantity=0) is None
    assert summarize_cart(cart).is_empty


def test_lines_of_another_cart_cannot_be_changed_or_removed(cart):
    other = CartLineFactory()
    for attempt in (
        lambda: change_quantity(cart=cart, line_id=other.id, quantity=2),
        lambda: remove_line(cart=cart, line_id=other.id),
        lambda: acknowledge_price_change(cart=cart, line_id=other.id),
    ):
        with pytest.raises(CartError) as refused:
            attempt()
        assert refused.value.code == CartErrorCode.LINE_NOT_FOUND
    db.session.refresh(other)
    assert other.quantity == 1


def test_remove_line(cart):
    keep = add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=1)
    drop = add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=1)
    remove_line(cart=cart, line_id=drop.id)
    assert [view.line.id for view in summarize_cart(cart).lines] == [keep.id]


def test_price_change_is_flagged_until_acknowledged(cart):
    variant = VariantFactory(price_cents=1250)
    line = add_to_cart(cart=cart, variant_id=variant.id, quantity=1)
    variant.price_cents = 1390
    db.session.flush()
    view = summarize_cart(cart).lines[0]
    assert view.price_changed
    assert (view.seen_price_cents, view.unit_price_cents) == (1250, 1390)
    assert summarize_cart(cart).has_price_changes
    acknowledge_price_change(cart=cart, line_id=line.id)
    assert not summarize_cart(cart).lines[0].price_changed


def test_summary_flags_stock_and_availability_problems(cart):
    ok = VariantFactory(stock=5)
    short = VariantFactory(stock=5)
    gone = VariantFactory(stock=5)
    withdrawn = VariantFactory(stock=5)
    for variant in (ok, short, gone, withdrawn):
        add_to_cart(cart=cart, variant_id=variant.id, quantity=3)
    short.stock = 2
    gone.stock = 0
    withdrawn.product.status = ProductStatus.ARCHIVED
    db.session.flush()
    problems = {view.variant.id: view.problem for view in summarize_cart(cart).lines}
    assert problems == {
        ok.id: None,
        short.id: LineProblem.INSUFFICIENT_STOCK,
        gone.id: LineProblem.SOLD_OUT,
        withdrawn.id: LineProblem.UNAVAILABLE,
    }
    summary = summarize_cart(cart)
    assert summary.has_problems
    # Lines that cannot be bought at all stay out of the totals; the count shows every unit.
    assert summary.goods_cents == 2 * 3 * 4500
    assert summary.item_count == 12


def test_summary_groups_lines_by_vendor_name_with_subtotals_and_weights(cart):
    zebre = VendorFactory(name="Zèbre tricots")
    abeille = VendorFactory(name="abeilles du Sidobre")
    scarf = VariantFactory(product__vendor=zebre, price_cents=4500, weight_grams=200)
    honey = VariantFactory(product__vendor=abeille, price_cents=900, weight_grams=600)
    jam = VariantFactory(product__vendor=abeille, price_cents=550, weight_grams=400)
    add_to_cart(cart=cart, variant_id=scarf.id, quantity=1)
    add_to_cart(cart=cart, variant_id=honey.id, quantity=2)
    add_to_cart(cart=cart, variant_id=jam.id, quantity=3)

    summary = summarize_cart(cart)

    assert [group.vendor.name for group in summary.groups] == [
        "abeilles du Sidobre",
        "Zèbre tricots",
    ]
    first, second = summary.groups
    assert [view.variant.id for view in first.lines] == [honey.id, jam.id]
    assert (first.subtotal_cents, first.weight_grams) == (2 * 900 + 3 * 550, 2 * 600 + 3 * 400)
    assert (second.subtotal_cents, second.weight_grams) == (4500, 200)
    assert summary.goods_cents == 4500 + 1800 + 1650
    assert summary.weight_grams == 200 + 2400
    assert summary.item_count == 6
    assert not summary.has_problems


def test_summary_uses_a_constant_number_of_queries(cart):
    def queries_for_summary() -> int:
        statements = []

        def count(*args):
            statements.append(args)

        engine = db.session.get_bind().engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            summarize_cart(cart)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(statements)

    add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=1)
    small = queries_for_summary()
    for _ in range(6):
        product = ProductFactory()
        add_to_cart(cart=cart, variant_id=VariantFactory(product=product).id, quantity=1)
    assert queries_for_summary() == small <= 2


def test_merge_keeps_every_line_and_adds_up_quantities_capped_at_stock(db_session):
    user = UserFactory()
    account = get_or_create_cart(user=user, token=None)
    anonymous = get_or_create_cart(user=None, token=None)
    shared = VariantFactory(stock=4, product__name="Chaussettes", size="39-42")
    plenty = VariantFactory(stock=10)
    only_anonymous = VariantFactory()
    only_account = VariantFactory()
    add_to_cart(cart=account, variant_id=shared.id, quantity=3)
    add_to_cart(cart=account, variant_id=plenty.id, quantity=1)
    add_to_cart(cart=account, variant_id=only_account.id, quantity=1)
    add_to_cart(cart=anonymous, variant_id=shared.id, quantity=2)
    add_to_cart(cart=anonymous, variant_id=plenty.id, quantity=2)
    add_to_cart(cart=anonymous, variant_id=only_anonymous.id, quantity=2)
    anonymous_id = anonymous.id

    notices: list[str] = []
    merged = merge_carts(anonymous=anonymous, into=account, notices=notices)

    quantities = {view.variant.id: view.quantity for view in summarize_cart(merged).lines}
    assert quantities == {shared.id: 4, plenty.id: 3, only_account.id: 1, only_anonymous.id: 2}
    assert notices == [
        "« Chaussettes (39-42) » : il ne reste que 4 exemplaires, la quantité a été ajustée."
    ]
    assert db.session.get(Cart, anonymous_id) is None


def test_merge_of_a_sold_out_variant_keeps_the_line_for_the_customer_to_see(db_session):
    account = CartFactory(user_id=UserFactory().id)
    anonymous = CartFactory()
    variant = VariantFactory(stock=0)
    CartLineFactory(cart=account, variant=variant, quantity=1)
    CartLineFactory(cart=anonymous, variant=variant, quantity=2)
    notices: list[str] = []
    merge_carts(anonymous=anonymous, into=account, notices=notices)
    [view] = summarize_cart(account).lines
    assert (view.quantity, view.problem) == (2, LineProblem.SOLD_OUT)
    assert len(notices) == 1 and "épuisé" in notices[0]


def test_clear_cart_and_item_count(db_session):
    user = db.session.get(User, UserFactory().id)
    cart = get_or_create_cart(user=user, token=None)
    add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=2)
    add_to_cart(cart=cart, variant_id=VariantFactory().id, quantity=3)
    assert count_cart_items(user=user, token=None) == 5
    assert count_cart_items(user=None, token=cart.token) == 0  # an account cart is not anonymous
    clear_cart(cart=cart)
    assert count_cart_items(user=user, token=None) == 0
    assert summarize_cart(cart).is_empty


def test_only_anonymous_carts_left_untouched_for_long_are_deleted(db_session):
    now = utcnow()
    stale = CartLineFactory(cart__updated_at=now - timedelta(days=61)).cart
    recent = CartFactory(updated_at=now - timedelta(days=59))
    account = CartFactory(user_id=UserFactory().id, updated_at=now - timedelta(days=400))
    stale_id = stale.id

    assert delete_abandoned_carts(now=now) == 1

    db.session.expire_all()
    assert db.session.get(Cart, stale_id) is None
    assert db.session.get(Cart, recent.id) is not None
    assert db.session.get(Cart, account.id) is not None
    assert db.session.scalars(select(CartLine)).all() == []
