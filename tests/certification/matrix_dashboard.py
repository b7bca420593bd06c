"""Authorization matrix rows: dashboard pages (see tests/test_authorization_matrix.py)."""

ROWS: list = []
