"""French "de" before a name, as a reader expects it."""
import pytest

from marketplace.core.grammar import of_name


@pytest.mark.parametrize(("name", "expected"), [
    ("Le Tissage de l'Agout", "du Tissage de l'Agout"),
    ("Les Ateliers", "des Ateliers"),
    ("La Ferme du Sidobre", "de la Ferme du Sidobre"),
    ("L'Atelier bleu", "de l'Atelier bleu"),
    ("Anglès Miel", "d'Anglès Miel"),
    ("Écharpes du Thoré", "d'Écharpes du Thoré"),
    ("Humbert et fils", "d'Humbert et fils"),
    ("Rucher d'Anglès", "de Rucher d'Anglès"),
    ("Marie Salvan", "de Marie Salvan"),
])
def test_french_contracts_and_elides(name, expected):
    assert of_name(name, "fr") == expected


def test_english_keeps_the_name_as_written():
    assert of_name("Le Tissage de l'Agout", "en") == "of Le Tissage de l'Agout"
