"""Vendors domain."""
