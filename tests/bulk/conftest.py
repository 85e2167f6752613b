"""The bulk tests use the workspace's people (the role × route matrix with their offer, signed in)."""
from tests.workspace.conftest import coordinator, operator_a, people  # noqa: F401
