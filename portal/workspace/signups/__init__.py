"""Sign-up requests of organisations, decided by coordinators and admins."""
