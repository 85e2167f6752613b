"""The cadastre (issue 12): where the offer is and where it is missing. Reads the offer; the offer
core never imports it (tests/offer/test_layering.py)."""
