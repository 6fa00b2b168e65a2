"""Web entry points of the vendors domain."""
from flask import Blueprint

bp = Blueprint("vendors", __name__)
