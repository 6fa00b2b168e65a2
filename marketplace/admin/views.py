"""Web entry points of the admin domain."""
from flask import Blueprint

bp = Blueprint("admin", __name__)
