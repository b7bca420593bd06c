"""Authorization matrix rows: benchmark pages (see tests/test_authorization_matrix.py)."""

ROWS: list = []
