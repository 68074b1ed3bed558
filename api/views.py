"""Read-only open data API views (filled in below)."""
