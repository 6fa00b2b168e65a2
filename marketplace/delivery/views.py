"""Web entry points of the delivery domain: the Admins' recurring round and pickup plans."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from marketplace.accounts.policies import admin_required
from marketplace.core.models import utcnow
from marketplace.core.transactions import errors_redirect_to
from marketplace.core.web import never_stored, render_form
from marketplace.extensions import db

from . import services as delivery
from .errors import DeliveryError
from .forms import WEEKDAYS, PickupPlanForm, RoundPlanForm
from .models import DeliveryZone, PickupPlan, RoundPlan

bp = Blueprint("delivery", __name__, url_prefix="/admin/plans")
#: Every page here holds personal data or the back office: never stored by a browser or proxy.
bp.after_request(never_stored)


@bp.before_request
@admin_required
def require_admin() -> None:
    """Plans are for Admins only."""


@bp.get("/")
def plans():
    return render_template(
        "delivery/plans.html",
        round_plans=delivery.list_round_plans(),
        pickup_plans=delivery.list_pickup_plans(),
        weeks=delivery.PLAN_WEEKS_AHEAD,
    )


@bp.post("/run")
@errors_redirect_to("delivery.plans")
def run_planner():
    """Create the coming weeks' dates now instead of waiting for the hourly task."""
    rounds, slots = delivery.plan_ahead(now=utcnow())
    flash(_("%(rounds)d tournées et %(slots)d créneaux créés.", rounds=rounds, slots=slots),
          "success")
    return redirect(url_for("delivery.plans"), code=303)


def _round_plan_form() -> RoundPlanForm:
    form = RoundPlanForm()
    form.zone_id.choices = [
        SelectChoice(zone.id, zone.name) for zone in delivery.list_delivery_zones()
    ]
    return form


def _save(form, action, done: str):  # noqa: ANN001, ANN202
    try:
        action()
    except DeliveryError as error:
        # The form comes back with an error: the request answers 422 and is rolled back.
        form.form_errors.append(error.message)
        return None
    flash(done, "success")
    return redirect(url_for("delivery.plans"), code=303)


def _round_plan_values(form: RoundPlanForm) -> dict:
    return {
        "zone": db.get_or_404(DeliveryZone, form.zone_id.data),
        "weekdays": form.weekdays.data,
        "departure_time": form.departure_time.data,
        "cutoff_days_before": form.cutoff_days_before.data,
        "cutoff_time": form.cutoff_time.data,
        "capacity_stops": form.capacity_stops.data,
        "capacity_grams": form.capacity_kg.data * 1000,
    }


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round_plan():
    form = _round_plan_form()
    if not form.zone_id.choices:
        flash(_("Créez d'abord une zone de livraison."), "warning")
        return redirect(url_for("admin.new_delivery_zone"))
    if form.validate_on_submit():
        response = _save(form, lambda: delivery.create_round_plan(**_round_plan_values(form)),
                         _("Tournée régulière créée."))
        if response is not None:
            return response
    return render_form("delivery/round_plan_form.html", form, plan=None)


@bp.route("/rounds/<int:plan_id>", methods=["GET", "POST"])
def edit_round_plan(plan_id: int):
    plan = db.get_or_404(RoundPlan, plan_id)
    form = _round_plan_form()
    if request.method == "GET":
        form.process(
            obj=plan, zone_id=plan.zone_id, capacity_kg=plan.capacity_grams // 1000,
        )
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.update_round_plan(
                plan=plan, active=form.active.data, **_round_plan_values(form)
            ),
            _("Tournée régulière enregistrée."),
        )
        if response is not None:
            return response
    return render_form("delivery/round_plan_form.html", form, plan=plan)


def _pickup_plan_values(form: PickupPlanForm) -> dict:
    return {
        "name": form.name.data,
        "weekdays": form.weekdays.data,
        "start_time": form.start_time.data,
        "end_time": form.end_time.data,
        "capacity": form.capacity.data,
        "fee_cents": form.fee.data,
        "cutoff_hours_before": form.cutoff_hours_before.data,
    }


@bp.route("/pickup/new", methods=["GET", "POST"])
def new_pickup_plan():
    form = PickupPlanForm()
    if form.validate_on_submit():
        response = _save(form, lambda: delivery.create_pickup_plan(**_pickup_plan_values(form)),
                         _("Créneau régulier créé."))
        if response is not None:
            return response
    return render_form("delivery/pickup_plan_form.html", form, plan=None)


@bp.route("/pickup/<int:plan_id>", methods=["GET", "POST"])
def edit_pickup_plan(plan_id: int):
    plan = db.get_or_404(PickupPlan, plan_id)
    form = PickupPlanForm()
    if request.method == "GET":
        form.process(obj=plan, fee=plan.fee_cents)
    if form.validate_on_submit():
        response = _save(
            form,
            lambda: delivery.update_pickup_plan(
                plan=plan, active=form.active.data, **_pickup_plan_values(form)
            ),
            _("Créneau régulier enregistré."),
        )
        if response is not None:
            return response
    return render_form("delivery/pickup_plan_form.html", form, plan=plan)


@bp.app_template_filter("weekday_name")
def weekday_name(day: int) -> str:
    """0 -> "lundi" (in the reader's language)."""
    return str(dict(WEEKDAYS)[day])
