"""Authorization matrix rows: cohort pages (see tests/test_authorization_matrix.py)."""

ROWS: list = []
