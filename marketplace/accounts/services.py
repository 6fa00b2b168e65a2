"""Accounts services."""
