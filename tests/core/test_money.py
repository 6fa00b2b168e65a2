"""Euros typed in forms become exact cents, or are refused: never rounded, never floats."""
from decimal import Decimal

import pytest
from flask_wtf import FlaskForm
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from wtforms.validators import Optional

from marketplace.core.forms import EurosField
from marketplace.core.money import euros_text, parse_euros


@pytest.mark.parametrize(
    ("text", "cents"),
    [("12", 1200), ("12,50", 1250), ("12.5", 1250), ("0,29", 29), ("1 200 €", 120000),
     ("\u00a012,05\u00a0€", 1205), ("0", 0)],
)
def test_euros_become_exact_cents(text, cents):
    assert parse_euros(text) == cents


@pytest.mark.parametrize(
    "text", ["12,505", "abc", "-5", "1e3", "12,5,0", "", "€", "nan", "١٢", "0x10", "12,"]
)
def test_what_is_not_an_amount_in_euros_is_refused(text):
    with pytest.raises(ValueError, match="at most 2 decimals"):
        parse_euros(text)


@given(st.integers(min_value=0, max_value=99_999_999))
def test_cents_written_back_in_a_form_read_as_the_same_cents(cents):
    assert parse_euros(euros_text(cents)) == cents
    assert Decimal(euros_text(cents).replace(",", ".")) * 100 == cents


class _AmountForm(FlaskForm):
    amount = EurosField("Montant", validators=[Optional()])


@pytest.mark.parametrize(("posted", "cents"), [("12,50", 1250), ("", None), ("  ", None)])
def test_the_field_holds_cents(app, posted, cents):
    with app.test_request_context():
        form = _AmountForm(formdata=MultiDict({"amount": posted}), meta={"csrf": False})
        assert form.validate()
        assert form.amount.data == cents


def test_the_field_refuses_a_fraction_of_a_cent_next_to_itself(app):
    with app.test_request_context():
        form = _AmountForm(formdata=MultiDict({"amount": "12,505"}), meta={"csrf": False})
        assert not form.validate()
        assert form.amount.data is None
        assert "12,505" in str(form.amount.errors[0])
        assert form.amount._value() == "12,505"  # shown back as typed, to be corrected


def test_the_field_shows_stored_cents_as_french_euros(app):
    with app.test_request_context():
        form = _AmountForm(data={"amount": 450}, meta={"csrf": False})
        assert form.amount._value() == "4,50"
