"""Web entry points of the hub's operations.

- Admins: each round's and slot's run sheet (drop-off check-in, reminders, stop order,
  cancellation) and its printable lists.
- Drivers and counter staff (`Role.HUB_STAFF`, and Admins): the driver's phone page and the
  shop counter.
- Customers: moving their booking to another date, from their Order page.
"""
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from marketplace.accounts.policies import admin_required, hub_staff_required
from marketplace.core.models import utcnow
from marketplace.core.transactions import errors_redirect_to
from marketplace.core.web import never_stored
from marketplace.delivery import services as delivery
from marketplace.delivery.models import DeliveryRound, PickupSlot, RoundStop
from marketplace.delivery.states import (
    RUN_STATUS_LABELS,
    STOP_STATUS_LABELS,
    RunStatus,
    StopStatus,
)
from marketplace.extensions import db
from marketplace.orders.models import DeliveryMethod, Order, VendorOrder
from marketplace.orders.services import (
    describe_delivery,
    find_customer_order,
    find_order_by_token,
)
from marketplace.orders.states import VENDOR_ORDER_STATUS_LABELS, VendorOrderStatus
from marketplace.vendors.policies import vendor_member_required

from . import services as logistics
from .pdf import html_to_pdf

bp = Blueprint("logistics", __name__)
#: Every page here holds personal data or the back office: never stored by a browser or proxy.
bp.after_request(never_stored)


@bp.app_context_processor
def inject_labels() -> dict:
    return {
        "RunStatus": RunStatus,
        "StopStatus": StopStatus,
        "VendorOrderStatus": VendorOrderStatus,
        "run_status_label": lambda status: RUN_STATUS_LABELS[RunStatus(status)],
        "stop_status_label": lambda status: STOP_STATUS_LABELS.get(status, status),
        "parcel_status_label": lambda status: VENDOR_ORDER_STATUS_LABELS.get(status, status),
    }


def _round_target(error) -> str:  # noqa: ANN001
    return url_for("logistics.round_run", round_id=request.view_args["round_id"])


def _slot_target(error) -> str:  # noqa: ANN001
    return url_for("logistics.slot_run", slot_id=request.view_args["slot_id"])


def _back_to_round(round_id: int):  # noqa: ANN202
    return redirect(url_for("logistics.round_run", round_id=round_id), code=303)


def _back_to_slot(slot_id: int):  # noqa: ANN202
    return redirect(url_for("logistics.slot_run", slot_id=slot_id), code=303)


# --- Admin: a round's run sheet ----------------------------------------------------------------


@bp.get("/admin/delivery-rounds/<int:round_id>/run")
@admin_required
def round_run(round_id: int):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    return render_template(
        "logistics/round_run.html",
        delivery_round=delivery_round,
        loads=logistics.round_loads(delivery_round=delivery_round),
        stops=logistics.stop_sheets(delivery_round=delivery_round),
        deadline=logistics.drop_off_deadline(delivery_round=delivery_round),
    )


@bp.post("/admin/delivery-rounds/<int:round_id>/cancel")
@admin_required
@errors_redirect_to(_round_target)
def cancel_round(round_id: int):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    told = logistics.cancel_round_date(delivery_round=delivery_round)
    flash(_told(told), "success")
    return _back_to_round(round_id)


def _told(told: int) -> str:
    return ngettext(
        "Date annulée : %(num)d client prévenu par email.",
        "Date annulée : %(num)d clients prévenus par email.",
        told,
    )


def _round_vendor_order(round_id: int, vendor_order_id: int) -> VendorOrder:
    """A VendorOrder of an Order that holds a stop in this round; 404 otherwise."""
    vendor_order = db.session.scalar(
        db.select(VendorOrder)
        .join(RoundStop, RoundStop.order_id == VendorOrder.order_id)
        .where(VendorOrder.id == vendor_order_id, RoundStop.round_id == round_id)
    )
    if vendor_order is None:
        abort(404)
    return vendor_order


@bp.post("/admin/delivery-rounds/<int:round_id>/check-in/<int:vendor_order_id>")
@admin_required
@errors_redirect_to(_round_target)
def round_check_in(round_id: int, vendor_order_id: int):
    vendor_order = _round_vendor_order(round_id, vendor_order_id)
    logistics.check_in(vendor_order=vendor_order, actor=current_user)
    flash(_("%(number)s déposée aux Ateliers.", number=vendor_order.number), "success")
    return _back_to_round(round_id)


@bp.post("/admin/delivery-rounds/<int:round_id>/remind/<int:vendor_id>")
@admin_required
@errors_redirect_to(_round_target)
def round_remind(round_id: int, vendor_id: int):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    sent = logistics.remind_vendor(
        loads=logistics.round_loads(delivery_round=delivery_round),
        vendor_id=vendor_id,
        run_key=logistics.round_run_key(delivery_round),
        deadline=logistics.drop_off_deadline(delivery_round=delivery_round),
        what=logistics.round_words(delivery_round),
        now=utcnow(),
    )
    flash(_("Rappel envoyé.") if sent else _("Rien à rappeler à cet atelier."),
          "success" if sent else "warning")
    return _back_to_round(round_id)


@bp.post("/admin/delivery-rounds/<int:round_id>/stops/<int:stop_id>/move")
@admin_required
@errors_redirect_to(_round_target)
def move_stop(round_id: int, stop_id: int):
    stop = db.session.scalar(
        db.select(RoundStop).where(RoundStop.id == stop_id, RoundStop.round_id == round_id)
    )
    if stop is None:
        abort(404)
    delivery.move_stop(stop=stop, offset=-1 if request.form.get("direction") == "up" else 1)
    return redirect(url_for("logistics.round_run", round_id=round_id) + "#stops", code=303)


@bp.post("/admin/delivery-rounds/<int:round_id>/route")
@admin_required
def reroute(round_id: int):
    """Order the stops again, nearest neighbour from the hub (undoes manual changes)."""
    logistics.route_stops(delivery_round=db.get_or_404(DeliveryRound, round_id))
    flash(_("Arrêts remis dans l'ordre du trajet le plus court."), "success")
    return redirect(url_for("logistics.round_run", round_id=round_id) + "#stops", code=303)


@bp.get("/admin/delivery-rounds/<int:round_id>/print/<sheet>")
@admin_required
def round_sheet(round_id: int, sheet: str):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    loads = logistics.round_loads(delivery_round=delivery_round)
    context = {
        "delivery_round": delivery_round,
        "slot": None,
        "what": logistics.round_words(delivery_round),
        "deadline": logistics.drop_off_deadline(delivery_round=delivery_round),
        "pdf_url": url_for("logistics.round_sheet_pdf", round_id=round_id, sheet=sheet,
                           vendor=request.args.get("vendor", type=int)),
    }
    if sheet == "loading":
        return render_template("logistics/sheet_loading.html", loads=loads, **context)
    if sheet == "stops":
        return render_template(
            "logistics/sheet_stops.html",
            stops=logistics.stop_sheets(delivery_round=delivery_round),
            **context,
        )
    if sheet == "pick":
        return render_template("logistics/sheet_pick.html", loads=_only_vendor(loads), **context)
    abort(404)


_SHEET_TITLES = {
    "loading": lambda: _("Liste de chargement"),
    "stops": lambda: _("Liste des arrêts"),
    "pick": lambda: _("Listes de préparation"),
}


def _pdf_response(sheet: str, *, filename: str, **context: object) -> Response:
    """The PDF copy of a list, from the same data as the printable page."""
    title = _SHEET_TITLES[sheet]()
    html = render_template("logistics/sheet_pdf.html", sheet=sheet, title=title, **context)
    response = make_response(html_to_pdf(html, title=title))
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
    return response


@bp.get("/admin/delivery-rounds/<int:round_id>/print/<sheet>.pdf")
@admin_required
def round_sheet_pdf(round_id: int, sheet: str):
    if sheet not in _SHEET_TITLES:
        abort(404)
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    loads = logistics.round_loads(delivery_round=delivery_round)
    return _pdf_response(
        sheet,
        filename=f"tournee-{delivery_round.delivery_date.isoformat()}-{round_id}-{sheet}",
        loads=_only_vendor(loads) if sheet == "pick" else loads,
        stops=logistics.stop_sheets(delivery_round=delivery_round) if sheet == "stops" else [],
        what=logistics.round_words(delivery_round),
        deadline=logistics.drop_off_deadline(delivery_round=delivery_round),
    )


@bp.get("/admin/pickup-slots/<int:slot_id>/print/<sheet>.pdf")
@admin_required
def slot_sheet_pdf(slot_id: int, sheet: str):
    if sheet not in ("loading", "pick"):
        abort(404)
    slot = db.get_or_404(PickupSlot, slot_id)
    loads = logistics.slot_loads(slot=slot)
    return _pdf_response(
        sheet,
        filename=f"retrait-{slot_id}-{sheet}",
        loads=_only_vendor(loads) if sheet == "pick" else loads,
        stops=[],
        what=logistics.slot_words(slot),
        deadline=logistics.drop_off_deadline(slot=slot),
    )


def _only_vendor(loads: list) -> list:
    """All pick lists, or one Vendor's (`?vendor=<id>`): exactly that Vendor's parcels."""
    vendor_id = request.args.get("vendor", type=int)
    if vendor_id is None:
        return loads
    load = logistics.pick_list(loads=loads, vendor_id=vendor_id)
    if load is None:
        abort(404)
    return [load]


# --- Admin: a Pickup slot's run sheet ----------------------------------------------------------


@bp.get("/admin/pickup-slots/<int:slot_id>/run")
@admin_required
def slot_run(slot_id: int):
    slot = db.get_or_404(PickupSlot, slot_id)
    return render_template(
        "logistics/slot_run.html",
        slot=slot,
        loads=logistics.slot_loads(slot=slot),
        deadline=logistics.drop_off_deadline(slot=slot),
    )


@bp.post("/admin/pickup-slots/<int:slot_id>/cancel")
@admin_required
@errors_redirect_to(_slot_target)
def cancel_slot(slot_id: int):
    told = logistics.cancel_slot_date(slot=db.get_or_404(PickupSlot, slot_id))
    flash(_told(told), "success")
    return _back_to_slot(slot_id)


@bp.post("/admin/pickup-slots/<int:slot_id>/check-in/<int:vendor_order_id>")
@admin_required
@errors_redirect_to(_slot_target)
def slot_check_in(slot_id: int, vendor_order_id: int):
    vendor_order = db.session.scalar(
        db.select(VendorOrder)
        .join(Order, Order.id == VendorOrder.order_id)
        .where(VendorOrder.id == vendor_order_id, Order.pickup_slot_id == slot_id)
    )
    if vendor_order is None:
        abort(404)
    logistics.check_in(vendor_order=vendor_order, actor=current_user)
    flash(_("%(number)s déposée aux Ateliers.", number=vendor_order.number), "success")
    return _back_to_slot(slot_id)


@bp.post("/admin/pickup-slots/<int:slot_id>/remind/<int:vendor_id>")
@admin_required
@errors_redirect_to(_slot_target)
def slot_remind(slot_id: int, vendor_id: int):
    slot = db.get_or_404(PickupSlot, slot_id)
    sent = logistics.remind_vendor(
        loads=logistics.slot_loads(slot=slot),
        vendor_id=vendor_id,
        run_key=logistics.slot_run_key(slot),
        deadline=logistics.drop_off_deadline(slot=slot),
        what=logistics.slot_words(slot),
        now=utcnow(),
    )
    flash(_("Rappel envoyé.") if sent else _("Rien à rappeler à cet atelier."),
          "success" if sent else "warning")
    return _back_to_slot(slot_id)


@bp.get("/admin/pickup-slots/<int:slot_id>/print/<sheet>")
@admin_required
def slot_sheet(slot_id: int, sheet: str):
    slot = db.get_or_404(PickupSlot, slot_id)
    loads = logistics.slot_loads(slot=slot)
    context = {
        "delivery_round": None,
        "slot": slot,
        "what": logistics.slot_words(slot),
        "deadline": logistics.drop_off_deadline(slot=slot),
        "pdf_url": url_for("logistics.slot_sheet_pdf", slot_id=slot_id, sheet=sheet,
                           vendor=request.args.get("vendor", type=int)),
    }
    if sheet == "loading":
        return render_template("logistics/sheet_loading.html", loads=loads, **context)
    if sheet == "pick":
        return render_template("logistics/sheet_pick.html", loads=_only_vendor(loads), **context)
    abort(404)


@bp.get("/admin/delivery-report")
@admin_required
def report():
    """Fees, stops, kilograms, Vendors served and failed deliveries per round, for a month."""
    today = delivery.utc_to_hub_time(utcnow()).date()
    try:
        year, month = (int(part) for part in request.args.get("month", "").split("-"))
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    reports = logistics.month_report(year=year, month=month)
    previous = (year - (month == 1), (month - 2) % 12 + 1)
    following = (year + (month == 12), month % 12 + 1)
    return render_template(
        "logistics/report.html",
        reports=reports,
        month=date(year, month, 1),
        previous=f"{previous[0]:04d}-{previous[1]:02d}",
        following=f"{following[0]:04d}-{following[1]:02d}",
    )


# --- Vendors ------------------------------------------------------------------------------------


@bp.get("/vendor/pick-lists")
@vendor_member_required
def vendor_pick_lists():
    """What the Vendor must bring to the hub for the closed rounds and slots ahead."""
    return render_template(
        "logistics/vendor_pick_lists.html",
        runs=logistics.vendor_pick_lists(vendor=g.vendor, now=utcnow()),
    )


# --- Drivers ------------------------------------------------------------------------------------


@bp.get("/hub/rounds")
@hub_staff_required
def driver_rounds():
    """Rounds closed for orders and not yet in the past: the ones a driver may be out on."""
    today = delivery.utc_to_hub_time(utcnow()).date()
    rounds = db.session.scalars(
        db.select(DeliveryRound)
        .where(DeliveryRound.status == RunStatus.CLOSED, DeliveryRound.delivery_date >= today)
        .order_by(DeliveryRound.delivery_date, DeliveryRound.id)
        .limit(20)
    ).all()
    return render_template("logistics/driver_rounds.html", rounds=rounds, today=today)


@bp.get("/hub/rounds/<int:round_id>")
@hub_staff_required
def driver(round_id: int):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    stops = logistics.stop_sheets(delivery_round=delivery_round)
    next_stop = next((sheet for sheet in stops if sheet.stop.status == StopStatus.PENDING), None)
    return render_template(
        "logistics/driver.html", delivery_round=delivery_round, stops=stops, next_stop=next_stop
    )


def _driver_stop(round_id: int, stop_id: int) -> RoundStop:
    stop = db.session.scalar(
        db.select(RoundStop).where(RoundStop.id == stop_id, RoundStop.round_id == round_id)
    )
    if stop is None:
        abort(404)
    return stop


def _driver_target(error) -> str:  # noqa: ANN001
    return url_for("logistics.driver", round_id=request.view_args["round_id"])


@bp.post("/hub/rounds/<int:round_id>/stops/<int:stop_id>/delivered")
@hub_staff_required
@errors_redirect_to(_driver_target)
def stop_delivered(round_id: int, stop_id: int):
    stop = _driver_stop(round_id, stop_id)
    logistics.mark_stop_delivered(stop=stop, actor=current_user, now=utcnow())
    flash(_("Arrêt livré."), "success")
    return redirect(url_for("logistics.driver", round_id=round_id), code=303)


@bp.post("/hub/rounds/<int:round_id>/stops/<int:stop_id>/failed")
@hub_staff_required
@errors_redirect_to(_driver_target)
def stop_failed(round_id: int, stop_id: int):
    stop = _driver_stop(round_id, stop_id)
    reason = (request.form.get("reason") or "")[:500]
    logistics.mark_stop_failed(stop=stop, actor=current_user, reason=reason, now=utcnow())
    flash(_("Échec enregistré : le client va choisir une autre date."), "warning")
    return redirect(url_for("logistics.driver", round_id=round_id), code=303)


# --- Shop counter -------------------------------------------------------------------------------


@bp.get("/hub/counter")
@hub_staff_required
def counter():
    query = (request.args.get("q") or "").strip()[:100]
    orders = logistics.find_counter_orders(query=query) if query else []
    return render_template(
        "logistics/counter.html",
        query=query,
        results=[(order, logistics.counter_parcels(order=order)) for order in orders],
    )


@bp.post("/hub/counter/<number>/hand-over")
@hub_staff_required
@errors_redirect_to(lambda error: url_for("logistics.counter", q=request.view_args["number"]))
def hand_over(number: str):
    order = db.session.scalar(
        db.select(Order).where(
            Order.number == number, Order.delivery_method == DeliveryMethod.PICKUP
        )
    )
    if order is None:
        abort(404)
    handed = logistics.hand_over_order(order=order, actor=current_user)
    flash(_("Remis au client : %(num)d colis de la commande %(number)s.", num=handed,
            number=number), "success")
    return redirect(url_for("logistics.counter", q=number), code=303)


# --- Customers: another date ----------------------------------------------------------------------


def _move_page(order: Order | None, *, token: str | None):  # noqa: ANN202
    if order is None or order.delivery_method == DeliveryMethod.VENDOR_SHIPPING:
        abort(404)
    now = utcnow()
    if request.method == "POST":
        logistics.move_booking(
            order=order, target_id=request.form.get("target", type=int) or 0, now=now
        )
        flash(_("C'est noté : %(delivery)s.", delivery=describe_delivery(order=order)), "success")
        return redirect(_order_page(order, token), code=303)
    return render_template(
        "logistics/move.html",
        order=order,
        token=token,
        options=logistics.move_options(order=order, now=now),
        delivery_text=describe_delivery(order=order),
        back_url=_order_page(order, token),
    )


def _order_page(order: Order, token: str | None) -> str:
    if token:
        return url_for("orders.guest_order", number=order.number, token=token)
    return url_for("orders.customer_order", number=order.number)


@bp.route("/account/orders/<number>/delivery", methods=["GET", "POST"])
@login_required
@errors_redirect_to(lambda error: url_for("logistics.customer_move",
                                          number=request.view_args["number"]))
def customer_move(number: str):
    return _move_page(find_customer_order(customer=current_user, number=number), token=None)


@bp.route("/orders/<number>/delivery", methods=["GET", "POST"])
@errors_redirect_to(lambda error: url_for("logistics.guest_move", number=request.view_args[
    "number"], token=request.values.get("token")))
def guest_move(number: str):
    token = request.values.get("token")
    return _move_page(find_order_by_token(number=number, token=token), token=token)
