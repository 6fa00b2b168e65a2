"""Export and deletion of a Customer's personal data.

What the privacy page promises: the export holds everything kept about the person; deletion
erases the name, email, addresses and cart, and keeps past Orders (accounting law asks for
ten years) with no link to an account. The Order keeps its own copy of the email and address,
as an invoice does.
"""
import secrets
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from marketplace.accounts.models import User
from marketplace.accounts.services import end_sessions, hash_password
from marketplace.cart.models import Cart
from marketplace.extensions import db
from marketplace.orders.models import Order, VendorOrder
from marketplace.orders.states import OrderStatus
from marketplace.vendors.models import VendorMember

from .errors import PrivacyError, PrivacyErrorCode

#: Orders whose goods, payment or refund are still on their way.
IN_PROGRESS = (OrderStatus.AWAITING_PAYMENT, OrderStatus.PAID, OrderStatus.PARTIALLY_FULFILLED)


def export_personal_data(*, user: User, now: datetime) -> dict:
    """Everything kept about the person, as plain data for a JSON file."""
    orders = db.session.scalars(
        select(Order)
        .where(Order.customer_id == user.id)
        .options(selectinload(Order.vendor_orders).selectinload(VendorOrder.lines),
                 selectinload(Order.vendor_orders).joinedload(VendorOrder.vendor))
        .order_by(Order.placed_at)
    ).all()
    carts = db.session.scalars(
        select(Cart).where(Cart.user_id == user.id).options(selectinload(Cart.lines))
    ).all()
    return {
        "exported_at": now.isoformat(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "language": user.locale,
            "created_at": user.created_at.isoformat() if user.created_at else None,
        },
        "addresses": [
            {"label": a.label, "full_name": a.full_name, "line1": a.line1, "line2": a.line2,
             "postcode": a.postcode, "city": a.city, "country": a.country, "phone": a.phone,
             "is_default": a.is_default}
            for a in user.addresses
        ],
        "carts": [
            [{"variant_id": line.variant_id, "quantity": line.quantity} for line in cart.lines]
            for cart in carts
        ],
        "orders": [_order_data(order) for order in orders],
    }


def _order_data(order: Order) -> dict:
    return {
        "number": order.number,
        "placed_at": order.placed_at.isoformat(),
        "status": order.status,
        "email": order.email,
        "address": order.address,
        "delivery_method": order.delivery_method,
        "total_cents": order.total_cents,
        "parts": [
            {
                "vendor": vendor_order.vendor.name,
                "status": vendor_order.status,
                "lines": [
                    {"product": line.product_name, "variant": line.variant_label,
                     "quantity": line.quantity, "unit_price_cents": line.unit_price_cents,
                     "total_cents": line.total_cents}
                    for line in vendor_order.lines
                ],
            }
            for vendor_order in order.vendor_orders
        ],
    }


def orders_in_progress(*, user: User) -> list[str]:
    return list(db.session.scalars(
        select(Order.number)
        .where(Order.customer_id == user.id, Order.status.in_(IN_PROGRESS))
        .order_by(Order.number)
    ))


def delete_account(*, user: User) -> None:
    """Erase the person's data and close the account; the caller checked the password.

    Refused while an Order is in progress, while the person acts for a Vendor, and for an
    Admin: each leaves something someone still needs.
    """
    if user.is_admin:
        raise PrivacyError(PrivacyErrorCode.ADMIN_ACCOUNT)
    if db.session.scalar(select(VendorMember.id).where(VendorMember.user_id == user.id).limit(1)):
        raise PrivacyError(PrivacyErrorCode.ACTS_FOR_A_VENDOR)
    if numbers := orders_in_progress(user=user):
        raise PrivacyError(PrivacyErrorCode.ORDERS_IN_PROGRESS, numbers=numbers)

    db.session.execute(update(Order).where(Order.customer_id == user.id).values(customer_id=None))
    for cart in db.session.scalars(select(Cart).where(Cart.user_id == user.id)):
        db.session.delete(cart)  # its lines go with it
    user.addresses.clear()
    # The row stays (events and refunds name who acted), holding nothing about the person.
    user.email = f"deleted-{user.id}@invalid"
    user.full_name = ""
    user.locale = None
    user.active = False
    user.password_hash = hash_password(secrets.token_urlsafe(32))  # nobody knows it
    end_sessions(user=user)
