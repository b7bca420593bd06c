"""Library entries for tests, made through the publishing services."""

from itertools import count

from tests.factories import make_member, make_topic
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.library.models import PracticeStatus
from wwc_community.library.services import (
    PracticeFields,
    create_draft,
    publish,
    unpublish,
)

_sequence = count(1)


def make_practice(
    organisation,
    *,
    title=None,
    status="published",
    topics=None,
    design=None,
    author=None,
    **fields,
):
    """An entry of `organisation`, written by `author` (a new partner of the organisation
    unless given), on a topic of its own unless `topics` are given, then published (or
    published and unpublished, or left a draft) as `status` says. Other keyword
    arguments are PracticeFields: summary, body, kind, results (ResultRow), links
    (LinkRow), problem..."""
    number = next(_sequence)
    if author is None:
        author = make_member(Role.PARTNER, organisation=organisation)
    practice = create_draft(
        db.session,
        author,
        organisation,
        PracticeFields(
            title=title or f"How cities run practice number {number}",
            topics=topics if topics is not None else [make_topic(f"Library Topic {number}")],
            evaluation_design=design,
            **{"summary": f"A summary of practice {number}.", **fields},
        ),
    )
    if status in (PracticeStatus.PUBLISHED, PracticeStatus.UNPUBLISHED):
        publish(db.session, author, practice)
    if status == PracticeStatus.UNPUBLISHED:
        unpublish(db.session, author, practice)
    db.session.commit()
    return practice
