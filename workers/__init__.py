"""Celery workers: thin tasks that reload rows by id and call one service."""
