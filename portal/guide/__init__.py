"""The guided route (``/trouver``): a few questions, one per screen, then the normal results with the
filters the answers call for (deduction.py), widened until they find courses (widening.py), and a
sentence on the results page saying why (note.py)."""
