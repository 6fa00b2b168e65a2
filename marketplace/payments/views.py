"""Web entry points of the payments domain."""
from flask import Blueprint

bp = Blueprint("payments", __name__)
