"""Checkout: the steps from the cart to a placed Order and its payment (cart, delivery, orders
and payments meet here, and only here)."""
