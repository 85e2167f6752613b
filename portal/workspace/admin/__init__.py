"""The admins' page of accounts: disable, enable, reset a lost second factor."""
