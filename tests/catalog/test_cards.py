"""Product cards as written for every grid of goods (listings, search, home, other goods)."""
from marketplace.catalog.cards import product_grid
from marketplace.catalog.services import CoverImage, ProductCard


def _card(**fields) -> ProductCard:
    values = dict(
        id=7,
        slug="pull-marin",
        name="Pull marin",
        vendor_name="Filature Rouanet",
        from_price_cents=8900,
        made_at_hub=False,
        available_stock=12,
        low_stock_threshold=3,
        price_count=1,
        cover_image=CoverImage("products/pull.jpg", "", 800, 600),
    )
    return ProductCard(**{**values, **fields})


def _grid(*cards: ProductCard, locale: str = "fr") -> str:
    return str(
        product_grid(
            cards, heading="h2", locale=locale, product_path="/products/", media_path="/media/"
        )
    )


def test_a_card_shows_name_vendor_price_stock_and_picture(app):
    with app.test_request_context("/"):
        html = _grid(_card())

    assert '<a class="product-card__link" href="/products/pull-marin">Pull marin</a>' in html
    assert '<p class="product-card__vendor">Filature Rouanet</p>' in html
    assert "89,00\u00a0€" in html
    assert 'src="/media/products/pull.jpg" alt="Pull marin" width="800" height="600"' in html
    assert "stock-badge--in-stock" in html and "product-card--sold-out" not in html


def test_names_and_addresses_are_escaped(app):
    tricky = _card(
        name='Pull "marin" <rayé> & d\'Anglès',
        vendor_name="<script>alert(1)</script>",
        slug="pull marin?x=1",
        cover_image=None,
    )
    with app.test_request_context("/"):
        html = _grid(tricky)

    assert "<rayé>" not in html and "<script>" not in html
    assert "Pull &quot;marin&quot; &lt;rayé&gt; &amp; d&#x27;Anglès" in html
    assert 'href="/products/pull%20marin%3Fx%3D1"' in html
    assert 'aria-label="Pull &quot;marin&quot; &lt;rayé&gt; &amp; d&#x27;Anglès"' in html


def test_several_prices_low_stock_sold_out_and_hub_made(app):
    cards = (
        _card(id=1, price_count=2, available_stock=2, made_at_hub=True),
        _card(id=2, available_stock=0),
        _card(id=3, price_count=0),
    )
    with app.test_request_context("/"):
        html = _grid(*cards)

    assert "dès 89,00\u00a0€" in html
    assert "Plus que 2" in html
    assert "Fait à la coopérative" in html
    assert html.count("product-card--sold-out") == 1
    assert "Bientôt disponible" in html
