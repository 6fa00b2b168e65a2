"""Form fields every domain shares (an amount of money typed in euros, held as cents), and
WTForms' own messages in the visitor's language."""
from babel import support
from flask import Flask, request
from flask_babel import get_locale, gettext
from wtforms import Field
from wtforms.i18n import messages_path
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
            # Not lazy: a lazy string counts as safe markup, and the value is the visitor's.
            raise ValueError(
                gettext(
                    "« %(value)s » n'est pas un montant : écrivez des euros avec au plus deux "
                    "décimales, par exemple 12 ou 12,50.",
                    value=raw[:20],
                )
            ) from None


def share_form_translations(app: Flask) -> None:
    """Load WTForms' own messages ("This field is required." and the like) once per language.

    Flask-WTF loads them (a .mo file, read and parsed) anew for every request that builds a
    form, and keeps them on the request; they are the same for every request in a language,
    so each process loads them once per language, and each request is handed a stand-in that
    picks the request's language only when a message is asked for (a request for a picture
    looks up neither the language nor the visitor).
    """
    loaded: dict[str, support.Translations] = {}

    @app.before_request
    def hand_over_form_translations() -> None:
        request.wtforms_translations = _FormTranslations(loaded)


class _FormTranslations:
    """WTForms' messages in the request's language, from `loaded` (language -> catalogue)."""

    def __init__(self, loaded: dict[str, support.Translations]) -> None:
        self._loaded = loaded

    def _current(self) -> support.Translations:
        locale = str(get_locale())
        if locale not in self._loaded:
            self._loaded[locale] = support.Translations.load(
                messages_path(), [locale], domain="wtforms"
            )
        return self._loaded[locale]

    def ugettext(self, string: str) -> str:
        return self._current().ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return self._current().ungettext(singular, plural, n)
