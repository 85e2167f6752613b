"""Reminders to operators: courses going stale, sessions whose registrations all closed."""
