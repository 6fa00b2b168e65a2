"""Web entry points of the orders domain."""
from flask import Blueprint

bp = Blueprint("orders", __name__)
