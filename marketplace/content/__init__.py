"""The cooperative's public information: legal pages, contact details and the pickup place."""
