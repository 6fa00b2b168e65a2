"""Parts of pages written once per state and kept."""
from marketplace.core.fragments import KeptFragments


def _writer(text: str, calls: list[str]):
    def write() -> str:
        calls.append(text)
        return text

    return write


def test_a_fragment_is_written_once_per_key_and_while_its_anchors_stay(app):
    kept, calls = KeptFragments(), []
    categories, renewed = ["laine"], ["laine"]  # equal, yet two lists
    with app.test_request_context("/"):
        first = kept.get(("fr", 1), _writer("<p>Laine</p>", calls), anchors=(categories,))
        again = kept.get(("fr", 1), _writer("<p>other</p>", calls), anchors=(categories,))
        english = kept.get(("en", 1), _writer("<p>Wool</p>", calls), anchors=(categories,))
        refreshed = kept.get(("fr", 1), _writer("<p>Laines</p>", calls), anchors=(renewed,))

    assert (str(first), str(again), str(english), str(refreshed)) == (
        "<p>Laine</p>",
        "<p>Laine</p>",
        "<p>Wool</p>",
        "<p>Laines</p>",
    )
    assert calls == ["<p>Laine</p>", "<p>Wool</p>", "<p>Laines</p>"]


def test_fragments_are_kept_per_application_root(app):
    kept, calls = KeptFragments(), []
    with app.test_request_context("/", base_url="http://localhost/"):
        kept.get("header", _writer('<a href="/">', calls))
    with app.test_request_context("/", base_url="http://localhost/boutique/"):
        moved = kept.get("header", _writer('<a href="/boutique/">', calls))

    assert str(moved) == '<a href="/boutique/">'


def test_the_oldest_fragments_are_dropped_past_the_size(app):
    kept, calls = KeptFragments(size=2), []
    with app.test_request_context("/"):
        for number in (1, 2, 3, 1):
            kept.get(number, _writer(f"<p>{number}</p>", calls))

    assert calls == ["<p>1</p>", "<p>2</p>", "<p>3</p>", "<p>1</p>"]
