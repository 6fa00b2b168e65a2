"""Web entry points of the delivery domain."""
from flask import Blueprint

bp = Blueprint("delivery", __name__)
