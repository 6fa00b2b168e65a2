"""Web entry points of the ledger domain."""
from flask import Blueprint

bp = Blueprint("ledger", __name__)
