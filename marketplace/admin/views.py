"""The admin area: a dashboard, and the screens for Pickup slots, Delivery zones and rounds.

Every route of this blueprint is for Admins only (checked once, before any view runs).
"""

from collections.abc import Callable
from datetime import timedelta

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from marketplace.accounts.policies import admin_required
from marketplace.core.models import utcnow
from marketplace.core.outbox import count_unfinished, unfinished_messages
from marketplace.core.pagination import parse_page_number
from marketplace.core.web import never_stored, render_form
from marketplace.delivery import services as delivery
from marketplace.delivery.errors import DeliveryError, DeliveryErrorCode
from marketplace.delivery.models import DeliveryRound, DeliveryZone, PickupSlot
from marketplace.extensions import db
from marketplace.orders.services import list_round_stops

from .forms import (
    DeliveryRoundForm,
    DeliveryZoneForm,
    PickupSlotForm,
    grams_to_kilograms,
    kilograms_to_grams,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.after_request(never_stored)

#: The dashboard's entries: (endpoint, title, what it is for). Other domains add theirs; an
#: entry whose endpoint is not registered is left out.
SECTIONS = [
    (
        "admin.pickup_slots",
        _l("Créneaux de retrait"),
        _l("Horaires et places au magasin de la halle."),
    ),
    ("admin.delivery_zones", _l("Zones de livraison"), _l("Codes postaux desservis et frais.")),
    (
        "admin.delivery_rounds",
        _l("Tournées de livraison"),
        _l("Dates, clôtures et capacité du camion."),
    ),
    (
        "delivery.plans",
        _l("Tournées et créneaux réguliers"),
        _l("Jours, horaires, clôtures et capacités : les dates sont créées d'avance."),
    ),
    (
        "logistics.driver_rounds",
        _l("Tournées du jour"),
        _l("La page du chauffeur : arrêts dans l'ordre, livré ou échec."),
    ),
    ("logistics.counter", _l("Comptoir de retrait"), _l("Retrouver une commande et la remettre.")),
    (
        "logistics.report",
        _l("Bilan des tournées"),
        _l("Frais encaissés, arrêts, kilos, ateliers servis et échecs, par mois."),
    ),
    (
        "content_admin.pages",
        _l("Pages légales et coopérative"),
        _l("CGV, mentions légales, données personnelles, contact, adresse et horaires."),
    ),
    (
        "payments.admin_payments",
        _l("Paiements"),
        _l("Retrouver une commande pour la rembourser ; litiges et remboursements en échec."),
    ),
]

PER_PAGE = 50


@bp.before_request
@admin_required
def require_admin() -> None:
    """Anonymous visitors go to the login page; logged-in non-Admins get a 403."""


@bp.app_context_processor
def inject_admin_sections() -> dict:
    """Every domain's admin screens share the admin frame and its navigation."""
    return {"admin_sections": _available_sections}


def _available_sections() -> list[tuple[str, str, str]]:
    return [entry for entry in SECTIONS if entry[0] in current_app.view_functions]


@bp.get("/")
def dashboard():
    now = utcnow()
    # Background work that did not go through: waiting to be sent, or sent and not done a
    # minute later (failing and retried, or lost by the broker and about to be resent).
    late = now - timedelta(seconds=current_app.config["OUTBOX_LATE_AFTER_SECONDS"])
    return render_template(
        "admin/dashboard.html",
        unfinished_messages=unfinished_messages(sent_before=late, limit=10),
        unfinished_counts=count_unfinished(sent_before=late),
        slots=delivery.list_pickup_slots(now=now, per_page=5),
        rounds=delivery.list_delivery_rounds(now=now, per_page=5),
    )


# --- Pickup slots ----------------------------------------------------------------------------


@bp.get("/pickup-slots")
def pickup_slots():
    past = request.args.get("past") == "1"
    page = delivery.list_pickup_slots(
        now=utcnow(), past=past, page=parse_page_number(request.args.get("page")), per_page=PER_PAGE
    )
    return render_template("admin/pickup_slots.html", slots=page, past=past)


def _slot_values(form: PickupSlotForm) -> dict:
    starts_at = delivery.hub_time_to_utc(form.day.data, form.starts_at.data)
    return {
        "starts_at": starts_at,
        "ends_at": delivery.hub_time_to_utc(form.day.data, form.ends_at.data),
        "cutoff_at": starts_at - timedelta(hours=form.cutoff_hours.data or 0),
        "capacity": form.capacity.data,
        "fee_cents": form.fee.data,
    }


def _show_delivery_error(form, error: DeliveryError, fields: dict) -> None:  # noqa: ANN001
    """Put a refusal next to the field it is about, or above the form."""
    field = fields.get(error.code)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def _save(form, save: Callable[[], object], *, fields: dict, done: str, back_to: str):  # noqa: ANN001
    """Run one delivery service and go back to the list, or put the refusal on the form
    (None: the caller shows the form again, which rolls the request back)."""
    try:
        save()
    except DeliveryError as error:
        _show_delivery_error(form, error, fields)
        return None
    flash(done, "success")
    return redirect(url_for(back_to))


@bp.route("/pickup-slots/new", methods=["GET", "POST"])
def new_pickup_slot():
    form = PickupSlotForm()
    if request.method == "GET":
        form.capacity.data = 20
        form.fee.data = 0
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.create_pickup_slot(**_slot_values(form)),
            fields={
                DeliveryErrorCode.INVALID_SCHEDULE: form.ends_at,
                DeliveryErrorCode.IN_THE_PAST: form.day,
            },
            done=_("Créneau de retrait créé."),
            back_to="admin.pickup_slots",
        )
        if response is not None:
            return response
    return render_form("admin/pickup_slot_form.html", form, slot=None)


@bp.route("/pickup-slots/<int:slot_id>/edit", methods=["GET", "POST"])
def edit_pickup_slot(slot_id: int):
    slot = db.get_or_404(PickupSlot, slot_id)
    form = PickupSlotForm()
    if request.method == "GET":
        starts_at = delivery.utc_to_hub_time(slot.starts_at)
        form.day.data = starts_at.date()
        form.starts_at.data = starts_at.time()
        form.ends_at.data = delivery.utc_to_hub_time(slot.ends_at).time()
        form.capacity.data = slot.capacity
        form.fee.data = slot.fee_cents
        lead = slot.starts_at - slot.cutoff_at
        form.cutoff_hours.data = int(lead.total_seconds() // 3600)
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.update_pickup_slot(slot=slot, **_slot_values(form)),
            fields={
                DeliveryErrorCode.INVALID_SCHEDULE: form.ends_at,
                DeliveryErrorCode.CAPACITY_BELOW_BOOKED: form.capacity,
            },
            done=_("Créneau de retrait enregistré."),
            back_to="admin.pickup_slots",
        )
        if response is not None:
            return response
    return render_form("admin/pickup_slot_form.html", form, slot=slot)


# --- Delivery zones --------------------------------------------------------------------------


@bp.get("/delivery-zones")
def delivery_zones():
    return render_template("admin/delivery_zones.html", zones=delivery.list_delivery_zones())


def _zone_values(form: DeliveryZoneForm) -> dict:
    return {
        "name": form.name.data,
        "postcodes": form.postcodes.data,
        "fee_cents": form.fee.data,
        "free_threshold_cents": form.free_threshold.data,
    }


def _zone_errors(form: DeliveryZoneForm) -> dict:
    return {
        DeliveryErrorCode.INVALID_POSTCODE: form.postcodes,
        DeliveryErrorCode.ZONE_NAME_TAKEN: form.name,
    }


@bp.route("/delivery-zones/new", methods=["GET", "POST"])
def new_delivery_zone():
    form = DeliveryZoneForm()
    if request.method == "GET":
        form.fee.data = 500
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.create_delivery_zone(**_zone_values(form)),
            fields=_zone_errors(form),
            done=_("Zone de livraison créée."),
            back_to="admin.delivery_zones",
        )
        if response is not None:
            return response
    return render_form("admin/delivery_zone_form.html", form, zone=None)


@bp.route("/delivery-zones/<int:zone_id>/edit", methods=["GET", "POST"])
def edit_delivery_zone(zone_id: int):
    zone = db.get_or_404(DeliveryZone, zone_id)
    form = DeliveryZoneForm()
    if request.method == "GET":
        form.name.data = zone.name
        form.postcodes.data = ", ".join(zone.postcodes or [])
        form.fee.data = zone.fee_cents
        form.free_threshold.data = zone.free_threshold_cents
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.update_delivery_zone(zone=zone, **_zone_values(form)),
            fields=_zone_errors(form),
            done=_("Zone de livraison enregistrée."),
            back_to="admin.delivery_zones",
        )
        if response is not None:
            return response
    return render_form("admin/delivery_zone_form.html", form, zone=zone)


# --- Delivery rounds -------------------------------------------------------------------------


@bp.get("/delivery-rounds")
def delivery_rounds():
    past = request.args.get("past") == "1"
    page = delivery.list_delivery_rounds(
        now=utcnow(), past=past, page=parse_page_number(request.args.get("page")), per_page=PER_PAGE
    )
    return render_template("admin/delivery_rounds.html", rounds=page, past=past)


def _round_form() -> DeliveryRoundForm:
    form = DeliveryRoundForm()
    form.zone_id.choices = [(zone.id, zone.name) for zone in delivery.list_delivery_zones()]
    return form


def _round_values(form: DeliveryRoundForm) -> dict:
    return {
        "zone": db.get_or_404(DeliveryZone, form.zone_id.data),
        "delivery_date": form.delivery_date.data,
        "cutoff_at": delivery.hub_time_to_utc(form.cutoff_day.data, form.cutoff_time.data),
        "capacity_stops": form.capacity_stops.data,
        "capacity_grams": kilograms_to_grams(form.capacity_kg.data),
    }


def _round_errors(form: DeliveryRoundForm) -> dict:
    return {
        DeliveryErrorCode.INVALID_SCHEDULE: form.cutoff_day,
        DeliveryErrorCode.ROUND_HAS_BOOKINGS: form.zone_id,
    }


@bp.route("/delivery-rounds/new", methods=["GET", "POST"])
def new_delivery_round():
    form = _round_form()
    if not form.zone_id.choices:
        flash(_("Créez d'abord une zone de livraison."), "warning")
        return redirect(url_for("admin.new_delivery_zone"))
    if request.method == "GET":
        form.capacity_stops.data = 20
        form.capacity_kg.data = grams_to_kilograms(300_000)
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.create_delivery_round(**_round_values(form)),
            fields=_round_errors(form),
            done=_("Tournée de livraison créée."),
            back_to="admin.delivery_rounds",
        )
        if response is not None:
            return response
    return render_form("admin/delivery_round_form.html", form, delivery_round=None, stops=[])


@bp.route("/delivery-rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_delivery_round(round_id: int):
    delivery_round = db.get_or_404(DeliveryRound, round_id)
    form = _round_form()
    if request.method == "GET":
        cutoff_at = delivery.utc_to_hub_time(delivery_round.cutoff_at)
        form.zone_id.data = delivery_round.zone_id
        form.delivery_date.data = delivery_round.delivery_date
        form.cutoff_day.data = cutoff_at.date()
        form.cutoff_time.data = cutoff_at.time()
        form.capacity_stops.data = delivery_round.capacity_stops
        form.capacity_kg.data = grams_to_kilograms(delivery_round.capacity_grams)
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.update_delivery_round(
                delivery_round=delivery_round, **_round_values(form)
            ),
            fields={
                **_round_errors(form),
                DeliveryErrorCode.CAPACITY_BELOW_BOOKED: form.capacity_stops,
            },
            done=_("Tournée de livraison enregistrée."),
            back_to="admin.delivery_rounds",
        )
        if response is not None:
            return response
    return render_form(
        "admin/delivery_round_form.html",
        form,
        delivery_round=delivery_round,
        stops=list_round_stops(delivery_round=delivery_round),
    )
