"""Scheduled jobs: one command (``flask --app wsgi jobs run``, called by cron every few minutes)
runs what is due, each job at most once at a time even when several servers call it together,
and records every run."""
