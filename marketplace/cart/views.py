"""Web entry points of the cart domain."""
from flask import Blueprint

bp = Blueprint("cart", __name__)
