"""Authorization matrix rows: assessment pages (see tests/test_authorization_matrix.py)."""

ROWS: list = []
