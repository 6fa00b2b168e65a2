"""PDF copies of the printable lists: the only module that imports fpdf2 (pure Python).

The markup comes from a template (`logistics/sheet_pdf.html`, the simple HTML subset fpdf2's
`write_html` reads: headings, paragraphs, tables of plain-text cells). fpdf2's built-in fonts
cover Latin-1, which holds French but for a few typographic signs, replaced here.
"""
from fpdf import FPDF

_TYPOGRAPHY = str.maketrans({
    "—": "-", "–": "-", "’": "'", "‘": "'", "“": '"', "”": '"', "…": "...", "œ": "oe",
    "Œ": "OE", "☐": "[  ]", "\u202f": " ", "\u2009": " ", "€": "EUR",
})


def latin1(text: str) -> str:
    """The text in the built-in fonts' Latin-1, typographic signs spelt plainly."""
    return text.translate(_TYPOGRAPHY).encode("latin-1", "replace").decode("latin-1")


def html_to_pdf(html: str, *, title: str) -> bytes:
    """An A4 landscape PDF of the HTML (fpdf2's subset)."""
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_title(latin1(title))
    pdf.set_creator("Les Ateliers")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("helvetica", size=9)
    pdf.write_html(latin1(html))
    return bytes(pdf.output())
