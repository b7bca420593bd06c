"""Password rules and hashing (argon2id)."""

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MAX_LENGTH = 256


@lru_cache(maxsize=8)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    """argon2id with the parameters the configuration asks for."""
    config = current_app.config
    return _hasher_for(
        config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST"], config["ARGON2_PARALLELISM"]
    )


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Passwords long enough to pass the length rule that attackers try first."""
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, min_length: int, email: str = "") -> list[str]:
    """Every reason `password` is not acceptable, as messages for the member."""
    problems = []
    if len(password) < min_length:
        problems.append(f"Use at least {min_length} characters (this one has {len(password)}).")
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    lowered = password.lower()
    if lowered in common_passwords():
        problems.append(
            "This password is on the list of passwords attackers try first. "
            "Choose a less common one."
        )
    elif password and len(set(password)) == 1:
        problems.append("Use more than one repeated character.")
    local_part = email.split("@", 1)[0].lower()
    if email and (lowered == email.lower() or (len(local_part) >= 4 and lowered == local_part)):
        problems.append("Do not use your e-mail address as your password.")
    return problems


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher().hash(password)


def check_password(password_hash: str, password: str) -> bool:
    """True when `password` matches `password_hash`."""
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with older parameters and should be replaced."""
    return _hasher().check_needs_rehash(password_hash)
