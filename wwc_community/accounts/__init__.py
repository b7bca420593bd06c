"""Members: sign-up, verification, sign-in, roles, approval and suspension."""
