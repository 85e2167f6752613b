"""The offer: operators, sites, courses and their entries."""
