"""Cross-cutting building blocks: base models, money, outbox, errors, pagination."""
