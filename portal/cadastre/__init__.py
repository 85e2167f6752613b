"""The cadastre (issue 12): where the offer is, where it is missing, when one can start."""
