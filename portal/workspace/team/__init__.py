"""An operator's team: accounts, invitations, a colleague who leaves."""
