"""Places and distances, offline."""
