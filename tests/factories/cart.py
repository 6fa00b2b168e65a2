"""Factories for Carts and their lines."""

import factory

from marketplace.cart.models import Cart, CartLine
from marketplace.cart.services import new_cart_token

from .base import ModelFactory
from .catalog import VariantFactory


class CartFactory(ModelFactory):
    """An anonymous cart; pass `user_id=` for an account's cart."""

    class Meta:
        model = Cart

    token = factory.LazyFunction(new_cart_token)
    user_id = None


class CartLineFactory(ModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 1
    seen_price_cents = factory.LazyAttribute(lambda line: line.variant.price_cents)
