"""What helps a city close a gap: the library entries, threads and events tagged with a
criterion, and peers (members of cities that met it and share that).

INTERFACE STUB written by the lead; the benchmark-pages helper implements it. Both
functions answer for many codes at once with a bounded number of queries, whatever the
number of codes, and show each viewer only what they may see."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session


@dataclass
class Related:
    """Published library entries, visible threads and upcoming published events tagged
    with one criterion code (any framework version), newest or soonest first."""

    practices: list = field(default_factory=list)
    threads: list = field(default_factory=list)
    events: list = field(default_factory=list)


@dataclass
class Peer:
    """An active member of a city that met the criterion and shares its met criteria."""

    member: object
    city: object
    met_at: datetime | None


def related_by_code(
    session: Session, viewer, codes: list[str], per_code: int = 3
) -> dict[str, Related]:
    """Code -> Related, at most `per_code` of each kind per code."""
    raise NotImplementedError


def peers_by_code(
    session: Session,
    viewer,
    codes: list[str],
    exclude_city_id: int | None = None,
    per_code: int = 3,
) -> dict[str, list[Peer]]:
    """Code -> up to `per_code` peers (never the viewer, never members of
    `exclude_city_id`), the member who last saved the criterion as met first."""
    raise NotImplementedError
