"""Storefront pages: home, listings, product pages, search."""
from flask import Blueprint, render_template

bp = Blueprint("catalog", __name__)


@bp.get("/")
def home():
    return render_template("catalog/home.html")


@bp.get("/search")
def search():
    return render_template("catalog/home.html")
