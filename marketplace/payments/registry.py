"""Chooses the payment gateway from configuration (`PAYMENT_GATEWAY`), one per app."""
from importlib import import_module

from flask import Flask, current_app

from .gateway import PaymentGateway

#: Gateway name -> "module:Class"; each class is built by its `from_app(app)` classmethod.
GATEWAYS = {
    "dev": "marketplace.payments.dev_gateway:DevGateway",
    "stripe": "marketplace.payments.stripe_gateway:StripeGateway",
}


def build_gateway(app: Flask, name: str) -> PaymentGateway:
    try:
        module_path, class_name = GATEWAYS[name].split(":")
    except KeyError:
        raise RuntimeError(f"Unknown PAYMENT_GATEWAY {name!r}") from None
    return getattr(import_module(module_path), class_name).from_app(app)


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The configured gateway (or the one named), built once per app and name.

    Services pass a Payment's own `gateway` name, so a Payment keeps talking to the
    provider that took it even after the configuration changes.
    """
    name = name or current_app.config["PAYMENT_GATEWAY"]
    built = current_app.extensions.setdefault("payment_gateways", {})
    if name not in built:
        built[name] = build_gateway(current_app, name)
    return built[name]
