"""Authorization matrix rows: admin pages (see tests/test_authorization_matrix.py)."""

ROWS: list = []
