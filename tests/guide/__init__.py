"""Tests of the guided route (/trouver)."""
