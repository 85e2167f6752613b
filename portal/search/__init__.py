"""The public search: one filter object, one query function, several faces."""
