"""randcheck."""
