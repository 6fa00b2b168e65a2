"""French grammar that a translated string cannot carry alone: "de" before a name."""
import unicodedata

#: Articles that merge with "de": "de Le Tissage" is "du Tissage", "de Les Ateliers" "des".
_CONTRACTED = {"le ": "du ", "les ": "des "}
_VOWELS = set("aeiouyh")


def _starts_with_vowel(name: str) -> bool:
    first = unicodedata.normalize("NFKD", name[:1]).casefold()[:1]
    return first in _VOWELS


def of_name(name: str, locale: str) -> str:
    """ "of <name>" in the page's language: "du Tissage de l'Agout", "d'Anglès", "de Marie",
    "de la Ferme", "de l'Atelier"; "of Le Tissage de l'Agout" in English."""
    if locale != "fr":
        return f"of {name}"
    lowered = name.casefold()
    for article, merged in _CONTRACTED.items():
        if lowered.startswith(article):
            return merged + name[len(article):]
    if lowered.startswith(("la ", "l'", "l’")):
        return "de " + name[:1].lower() + name[1:]
    if _starts_with_vowel(name):
        return "d'" + name
    return "de " + name
