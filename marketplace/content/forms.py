"""Forms of the Admins' screens for the legal pages and the hub's details."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Regexp

#: A long page (the terms of sale are about 6,000 characters) with room to grow.
BODY_MAX = 40_000


class PageForm(FlaskForm):
    title_fr = StringField(_l("Titre (français)"), validators=[DataRequired(), Length(max=160)])
    body_fr = TextAreaField(
        _l("Texte (français)"),
        validators=[DataRequired(), Length(max=BODY_MAX)],
        description=_l("En Markdown : # titre, ## sous-titre, - liste, [lien](/adresse), "
                       "tableaux. Le HTML est affiché tel quel, jamais exécuté."),
    )
    title_en = StringField(_l("Titre (anglais)"), validators=[DataRequired(), Length(max=160)])
    body_en = TextAreaField(
        _l("Texte (anglais)"), validators=[DataRequired(), Length(max=BODY_MAX)]
    )


def _required(label: str, max_length: int = 200) -> StringField:
    return StringField(label, validators=[DataRequired(), Length(max=max_length)])


class HubDetailsForm(FlaskForm):
    name = _required(_l("Nom affiché"), 80)
    legal_name = _required(_l("Raison sociale"))
    legal_form = _required(_l("Forme juridique"))
    siret = StringField(
        _l("SIRET"),
        validators=[DataRequired(), Regexp(r"^\d{14}$", message=_l("14 chiffres, sans espace."))],
    )
    vat_number = StringField(
        _l("Numéro de TVA intracommunautaire"),
        validators=[DataRequired(),
                    Regexp(r"^FR[0-9A-Z]{2}\d{9}$", message=_l("Par exemple FR52912345678."))],
    )
    rcs = _required(_l("Immatriculation (RCS)"))
    street = _required(_l("Adresse de la boutique"))
    postcode = StringField(
        _l("Code postal"),
        validators=[DataRequired(), Regexp(r"^\d{5}$", message=_l("5 chiffres."))],
    )
    city = _required(_l("Commune"), 80)
    phone = _required(_l("Téléphone"), 30)
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    opening_hours_fr = _required(_l("Horaires d'ouverture (français)"))
    opening_hours_en = _required(_l("Horaires d'ouverture (anglais)"))
    publication_director = _required(_l("Directeur de la publication"))
    host = _required(_l("Hébergeur (nom et adresse)"), 300)
    mediator = _required(_l("Médiateur de la consommation (nom et adresse)"), 300)
