"""A Customer's rights over their data: download it, delete the account (orders are kept)."""
