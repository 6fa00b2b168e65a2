"""Form fields every domain shares: an amount of money typed in euros, held as cents."""
from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.widgets import TextInput

from .money import euros_text, parse_euros


class EurosField(Field):
    """A text box for euros ("12", "12,50", "1 200 €"); `data` is exact integer cents or None.

    Garbage and sub-cent amounts ("12,505") are refused with a message next to the field,
    never rounded.
    """

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else euros_text(self.data)

    def process_formdata(self, valuelist: list) -> None:
        self.data = None
        raw = valuelist[0].strip() if valuelist and isinstance(valuelist[0], str) else ""
        if not raw:
            return
        try:
            self.data = parse_euros(raw)
        except ValueError:
            raise ValueError(
                _l(
                    "« %(value)s » n'est pas un montant : écrivez des euros avec au plus deux "
                    "décimales, par exemple 12 ou 12,50.",
                    value=raw[:20],
                )
            ) from None
