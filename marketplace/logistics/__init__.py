"""The running of Pickup slots and Delivery rounds: cut-off, lists, driver, shop counter.

It orchestrates `delivery` (where and when) and `orders` (what and for whom), as `checkout`
would: neither of those imports this package, so no import cycle forms.
"""
