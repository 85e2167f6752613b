"""Backups of the whole database and their restore (issue 13, item 8)."""
