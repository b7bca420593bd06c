"""`flask seed-demo --scale large|small`: after the demo content, a generated community of
national size (or a hundredth of it) in a few minutes, and the search index rebuilt.

The stages run one after the other, each with a progress bar, and each commits at its
end: the search rebuild reads what is committed, and a stage that fails leaves the ones
before it in place. The same seed writes the same community (dates move with the day).
Generated members sign in as member<N>@bulk.demo.wwc.example with the demo password."""

import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

import click
from flask import current_app
from sqlalchemy import func, select, text

from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.accounts.passwords import hash_password
from wwc_community.core.database import utcnow
from wwc_community.core.large_demo_bulk import Bulk, Community
from wwc_community.core.large_demo_discussions import add_discussions
from wwc_community.core.large_demo_events import add_events
from wwc_community.core.large_demo_library import add_library
from wwc_community.core.large_demo_people import (
    BULK_EMAIL_DOMAIN,
    add_members,
    add_organisations,
    bulk_email,
    bulk_members_exist,
    load_people,
)
from wwc_community.core.large_demo_text import DemoText, Writer
from wwc_community.core.large_demo_words import TOPIC_WORDS
from wwc_community.directory.models import Topic
from wwc_community.extensions import db
from wwc_community.search.indexer import apply_pending, count_to_rebuild, rebuild

SEED = 2026


@dataclass(frozen=True)
class Scale:
    """How much each stage generates."""

    members: int
    organisations: int
    threads: int
    answers: int
    comments: int
    practices: int
    events: int
    registrations: int
    # Rendered answer paragraphs per topic; the other pools of text follow from it.
    text_pool: int


SCALES = {
    "large": Scale(
        members=3_000,
        organisations=36,
        threads=30_000,
        answers=110_000,
        comments=40_000,
        practices=3_000,
        events=1_500,
        registrations=60_000,
        text_pool=1_000,
    ),
    "small": Scale(
        members=30,
        organisations=4,
        threads=300,
        answers=1_100,
        comments=400,
        practices=30,
        events=15,
        registrations=600,
        text_pool=24,
    ),
}


def seed_large_demo(scale_name: str, password: str, echo: Callable[[str], None] = click.echo):
    """Generate the community of `scale_name` beside the demo content, rebuild the
    search index, and print what was made and how long each stage took."""
    session = db.session
    if bulk_members_exist(session):
        echo(f"Generated community: already there ({bulk_email(1)} exists); nothing added.")
        return
    scale = SCALES[scale_name]
    if session.get_bind().dialect.name == "sqlite":
        # Inserting into big indexes in no particular order thrashes SQLite's default
        # 2 MB page cache: 256 MB keeps them in memory for this connection.
        session.execute(text("PRAGMA cache_size=-262144"))
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    rng = random.Random(SEED)
    with _stage(seconds, "text", echo):
        writer = Writer(rng)
        demo_text = DemoText(writer, scale.text_pool)
    topic_ids = {
        topic.name: topic.id
        for topic in session.scalars(select(Topic).order_by(Topic.name))
        if topic.name in TOPIC_WORDS
    }
    if not topic_ids:
        raise click.ClickException("No starting topics: run plain `flask seed-demo` first.")
    community = Community(rng, utcnow(), demo_text, topic_ids)
    bulk = Bulk(session)

    with _stage(seconds, "members", echo):
        counts["organisations"] = add_organisations(bulk, community, scale.organisations)
        counts["members"] = add_members(bulk, community, scale.members, hash_password(password))
        _commit(bulk)
        load_people(session, community)
    with _stage(seconds, "library", echo), _bar(scale.practices, "Library") as progress:
        counts |= add_library(bulk, community, scale.practices, progress)
        _commit(bulk)
    with _stage(seconds, "discussions", echo), _bar(scale.threads, "Discussions") as progress:
        counts |= add_discussions(
            bulk, community, scale.threads, scale.answers, scale.comments, progress
        )
        _commit(bulk)
    with _stage(seconds, "events", echo), _bar(scale.events, "Events") as progress:
        counts |= add_events(bulk, community, scale.events, scale.registrations, progress)
        _commit(bulk)
    if session.get_bind().dialect.name == "postgresql":
        with _stage(seconds, "vacuum analyze", echo):
            # The planner's statistics still describe the nearly empty tables, and no
            # page is marked all-visible yet, so index-only scans would visit the table
            # for every row: do now what autovacuum would do later. VACUUM cannot run
            # inside a transaction, hence a connection of its own in autocommit.
            session.commit()
            engine = session.get_bind()
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    with _stage(seconds, "search index", echo):
        app = current_app._get_current_object()
        counts["documents"] = count_to_rebuild(app)
        with _bar(counts["documents"], "Search index") as progress:
            rebuild(app, progress=progress)
        apply_pending(app)
    counts["texts rendered"] = demo_text.rendered
    _summary(session, scale_name, counts, seconds, password, echo)


def _commit(bulk: Bulk) -> None:
    bulk.align_sequences()
    bulk.session.commit()


@contextmanager
def _stage(seconds: dict[str, float], name: str, echo: Callable[[str], None]):
    started = time.perf_counter()
    yield
    seconds[name] = time.perf_counter() - started
    echo(f"  {name}: {seconds[name]:.1f} s")


@contextmanager
def _bar(length: int, label: str):
    with click.progressbar(length=length, label=label, show_pos=True) as bar:
        yield bar.update


def _summary(session, scale_name, counts, seconds, password, echo) -> None:
    cities = session.scalar(
        select(func.count(func.distinct(Member.city_id))).where(
            Member.email.like(f"%@{BULK_EMAIL_DOMAIN}"), Member.status == MemberStatus.ACTIVE
        )
    )
    echo(f"Generated community ({scale_name}):")
    echo(
        f"  {counts['members']:,} members in {cities:,} cities, "
        f"{counts['organisations']:,} more partner organisations"
    )
    echo(
        f"  {counts['threads']:,} threads with {counts['answers']:,} answers, "
        f"{counts['comments']:,} comments, {counts['votes']:,} votes, "
        f"{counts['follows']:,} follows"
    )
    echo(
        f"  {counts['practices']:,} practices ({counts['published']:,} published) with "
        f"{counts['adaptations']:,} adaptations, {counts['helpful']:,} helpful marks, "
        f"{counts['bookmarks']:,} bookmarks"
    )
    echo(
        f"  {counts['events']:,} events ({counts['upcoming_open']:,} upcoming with room) "
        f"with {counts['registrations']:,} registrations ({counts['waitlisted']:,} waitlisted)"
    )
    echo(
        f"  {counts['documents']:,} search documents; "
        f"{counts['texts rendered']:,} distinct texts rendered"
    )
    echo("Seconds per stage: " + ", ".join(f"{name} {s:.1f}" for name, s in seconds.items()))
    echo(f"Total: {sum(seconds.values()):.1f} s")
    echo(f"Generated members sign in as {bulk_email(1)} (and onwards) with {password}")
