"""What every stage of the large demo shares: bulk inserts with ids chosen up front, the
community the content is made by, and moments spread over time.

Rows go in through SQLAlchemy Core (`insert(table)` with lists of dicts, executemany in
chunks), so no ORM object is built, no flush runs and no search outbox row is written:
the search index is rebuilt from the database once everything is in. Ids are chosen
here, so that posts can point at their thread and comments at their answer without
reading anything back; on PostgreSQL the id sequences are moved past them afterwards."""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cached_property

from sqlalchemy import Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from wwc_community.core.large_demo_text import DemoText, Writer, ZipfChoice

CHUNK_ROWS = 2_000


class Bulk:
    """Inserts rows in chunks inside the session's transaction and counts them."""

    def __init__(self, session: Session):
        self.session = session
        self.next_ids: dict[str, int] = {}
        self.inserted: Counter[str] = Counter()

    def ids(self, table: Table, count: int) -> range:
        """`count` fresh ids for `table`, above every id it holds."""
        first = self.next_ids.get(table.name)
        if first is None:
            first = (self.session.scalar(select(func.max(table.c.id))) or 0) + 1
        self.next_ids[table.name] = first + count
        return range(first, first + count)

    def insert(self, table: Table, rows: list[dict]) -> None:
        connection = self.session.connection()
        for start in range(0, len(rows), CHUNK_ROWS):
            connection.execute(insert(table), rows[start : start + CHUNK_ROWS])
        self.inserted[table.name] += len(rows)

    def update_by_id(self, table: Table, rows: list[dict]) -> None:
        """Set columns by id: each row is {"row_id": ..., column: value, ...}."""
        if not rows:
            return
        columns = [name for name in rows[0] if name != "row_id"]
        statement = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .values({name: bindparam(name) for name in columns})
        )
        connection = self.session.connection()
        for start in range(0, len(rows), CHUNK_ROWS):
            connection.execute(statement, rows[start : start + CHUNK_ROWS])

    def align_sequences(self) -> None:
        """PostgreSQL hands out ids from a sequence, which ids given here do not move."""
        if self.session.get_bind().dialect.name != "postgresql":
            return
        for name in self.next_ids:
            self.session.execute(
                text(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), :last)"),
                {"last": self.next_ids[name] - 1},
            )


@dataclass(frozen=True)
class Person:
    """A member who takes part: what the stages need to know about them."""

    id: int
    city_id: int | None
    organisation_id: int | None
    joined_at: datetime


@dataclass
class Community:
    """The members and places the generated content is spread over, the topics, the
    random generator and the writer every stage draws from."""

    rng: random.Random
    now: datetime
    text: DemoText
    topic_ids: dict[str, int]
    # Every active practitioner and partner: they vote, register, mark and save.
    people: list[Person] = field(default_factory=list)
    # The generated members: they write the questions, answers and comments.
    authors: list[Person] = field(default_factory=list)
    coordinator_id: int | None = None
    organisation_ids: list[int] = field(default_factory=list)
    # Published practices, (id, topic name, when published), for questions about one.
    practices: list[tuple[int, str, datetime]] = field(default_factory=list)

    @property
    def writer(self) -> Writer:
        return self.text.writer

    def author_choice(self) -> ZipfChoice:
        """Generated members by how much they write: a few write a lot."""
        ranked = list(self.authors)
        self.rng.shuffle(ranked)
        return ZipfChoice(ranked, 0.7)

    @cached_property
    def topic_choice(self) -> ZipfChoice:
        """Topics by popularity (the same in every stage), the order shuffled by the seed."""
        names = sorted(self.topic_ids)
        self.rng.shuffle(names)
        return ZipfChoice(names, 0.6)

    def other_topics(self, topic: str) -> list[str]:
        """None, one or two more topics besides `topic`."""
        extra = self.rng.choices((0, 1, 2), weights=(50, 35, 15))[0]
        others = [name for name in self.topic_ids if name != topic]
        return self.rng.sample(others, min(extra, len(others)))

    def between(self, start: datetime, end: datetime) -> datetime:
        """A moment between `start` and `end` (`start` when the span is empty)."""
        span = (end - start).total_seconds()
        return start + timedelta(seconds=span * self.rng.random()) if span > 0 else start

    def since_joining(self, person: Person, start: datetime, end: datetime | None = None):
        """A moment between `start` (or when `person` joined, if later) and `end` (now)."""
        return self.between(max(start, person.joined_at), end or self.now)

    def joined_by(self, moment: datetime) -> list[Person]:
        """The people who had joined by `moment`."""
        return [person for person in self.people if person.joined_at <= moment]

    def after(self, start: datetime, mean_hours: float) -> datetime:
        """A moment some hours after `start` (exponentially spread), never after now."""
        moment = start + timedelta(hours=self.rng.expovariate(1 / mean_hours))
        if moment >= self.now:
            moment = self.between(start, self.now - timedelta(minutes=1))
        return moment


def allocate(rng: random.Random, total: int, weights: list[float]) -> list[int]:
    """Share `total` among the slots in proportion to `weights`, at random (a slot of
    weight 0 gets nothing)."""
    counts = [0] * len(weights)
    if total <= 0 or not any(weights):
        return counts
    for slot in rng.choices(range(len(weights)), weights=weights, k=total):
        counts[slot] += 1
    return counts
