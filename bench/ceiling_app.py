"""Ceiling: a bare Flask 3 storefront page over our own tables, under the same gunicorn setup.

Adapted from the cooperative's reference ceiling page (shared/bench/ceiling_app.py): only the
two SQL strings and the connection settings changed, so that it reads the catalogue that the
benchmark fills. It is the fastest honest page Flask can serve for the same content.

/hello              plain 'Hello, World!' (no DB, no template)
/category/<id>      one SQL query (SQLAlchemy Core, pooled psycopg 3 connection) for 20
                    products of a category + Jinja2 page
/category-raw/<id>  same page, raw psycopg 3 with one persistent connection per worker
/product/<id>       one SQL query for one product + Jinja2 page
"""

import os

import psycopg
from flask import Flask, abort
from sqlalchemy import create_engine

DATABASE = os.environ.get("CEILING_DATABASE", "bench_catalog")
DSN = f"host=127.0.0.1 dbname={DATABASE} user=postgres"
app = Flask(__name__)
engine = create_engine(
    f"postgresql+psycopg://postgres@127.0.0.1/{DATABASE}",
    pool_size=2,
    max_overflow=0,
    pool_pre_ping=False,
)

# Our schema: stock lives on the Variants, prices are integer cents, "public" means an active
# Product of an approved Vendor.
LIST_SQL = (
    "SELECT p.id, p.name AS title, p.slug, p.from_price_cents / 100.0 AS price,"
    " 'EUR' AS currency,"
    " (SELECT coalesce(sum(v.stock), 0) FROM variants v WHERE v.product_id = p.id AND v.active)"
    " AS num_in_stock, vd.name AS partner, c.name AS category"
    " FROM products p JOIN vendors vd ON vd.id = p.vendor_id"
    " JOIN categories c ON c.id = p.category_id"
    " WHERE p.category_id = %(cat)s AND p.status = 'active' AND vd.status = 'approved'"
    " ORDER BY p.id LIMIT 20"
)
DETAIL_SQL = (
    "SELECT p.id, p.name AS title, p.slug, p.description,"
    " (SELECT min(v.sku) FROM variants v WHERE v.product_id = p.id) AS upc,"
    " p.from_price_cents / 100.0 AS price, 'EUR' AS currency,"
    " (SELECT coalesce(sum(v.stock), 0) FROM variants v WHERE v.product_id = p.id AND v.active)"
    " AS num_in_stock, vd.name AS partner, c.id AS category_id, c.name AS category"
    " FROM products p JOIN vendors vd ON vd.id = p.vendor_id"
    " JOIN categories c ON c.id = p.category_id"
    " WHERE p.id = %(pid)s AND p.status = 'active' AND vd.status = 'approved'"
)

BASE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %} | Shop</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/static/site.css"></head>
<body><header><a href="/">Shop</a><form action="/search" method="get"><input name="q" type="search" placeholder="Search"></form>
<a href="/basket/">Basket</a></header>
<main>{% block content %}{% endblock %}</main><footer>&copy; Shop</footer></body></html>"""  # noqa: E501

LIST_TMPL = app.jinja_env.from_string(
    BASE.replace("{% block title %}{% endblock %}", "{{ category }}").replace(
        "{% block content %}{% endblock %}",
        """<h1>{{ category }}</h1>
<ol class="products">{% for p in products %}
<li class="product"><h3><a href="/product/{{ p.id }}/{{ p.slug }}" title="{{ p.title }}">{{ p.title }}</a></h3>
<p class="price">{{ p.currency }} {{ "%.2f"|format(p.price) }}</p>
<p class="{{ 'instock' if p.num_in_stock > 0 else 'outofstock' }}">{{ 'In stock' if p.num_in_stock > 0 else 'Out of stock' }}</p>
<p class="vendor">Sold by {{ p.partner }}</p>
<form action="/basket/add/{{ p.id }}/" method="post"><input type="hidden" name="quantity" value="1"><button type="submit">Add to basket</button></form>
</li>{% endfor %}</ol>""",  # noqa: E501
    )
)

DETAIL_TMPL = app.jinja_env.from_string(
    BASE.replace("{% block title %}{% endblock %}", "{{ p.title }}").replace(
        "{% block content %}{% endblock %}",
        """<nav><a href="/category/{{ p.category_id }}">{{ p.category }}</a></nav>
<article><h1>{{ p.title }}</h1><p class="price">{{ p.currency }} {{ "%.2f"|format(p.price) }}</p>
<p>{{ 'In stock (%d available)'|format(p.num_in_stock) if p.num_in_stock > 0 else 'Out of stock' }}</p>
<p class="vendor">Sold by {{ p.partner }}</p><p>UPC: {{ p.upc }}</p><div class="description">{{ p.description }}</div>
<form action="/basket/add/{{ p.id }}/" method="post"><input type="number" name="quantity" value="1"><button type="submit">Add to basket</button></form>
</article>""",  # noqa: E501
    )
)

_raw_conn = None


def raw_conn():
    global _raw_conn
    if _raw_conn is None or _raw_conn.closed:
        _raw_conn = psycopg.connect(DSN, autocommit=True)
    return _raw_conn


@app.get("/")
@app.get("/hello")
def hello():
    return "Hello, World!"


@app.get("/category/<int:cat>")
def category(cat):
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(LIST_SQL, {"cat": cat}).mappings().all()
    if not rows:
        abort(404)
    return LIST_TMPL.render(category=rows[0]["category"], products=rows)


@app.get("/category-raw/<int:cat>")
def category_raw(cat):
    with raw_conn().cursor(row_factory=psycopg.rows.dict_row) as cur:
        rows = cur.execute(LIST_SQL, {"cat": cat}).fetchall()
    if not rows:
        abort(404)
    return LIST_TMPL.render(category=rows[0]["category"], products=rows)


@app.get("/product/<int:pid>")
def product(pid):
    with engine.connect() as conn:
        row = conn.exec_driver_sql(DETAIL_SQL, {"pid": pid}).mappings().first()
    if row is None:
        abort(404)
    return DETAIL_TMPL.render(p=row)
