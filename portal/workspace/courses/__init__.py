"""A course of the workspace: its form, its pages, its writes, its history."""
