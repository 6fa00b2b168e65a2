"""Email rendering and sending, always from tasks."""
