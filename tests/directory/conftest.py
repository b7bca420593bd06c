"""Fixtures for the directory's tests: the starting topics and a second city."""

import pytest

from tests.factories import make_city
from wwc_community.directory.models import Topic, member_expertise
from wwc_community.directory.services import ensure_starting_topics, list_topics
from wwc_community.extensions import db


@pytest.fixture
def topics(app) -> dict[str, Topic]:
    """The foundational practice areas, by slug."""
    ensure_starting_topics(db.session)
    db.session.commit()
    return {topic.slug: topic for topic in list_topics(db.session)}


@pytest.fixture
def tulsa(app):
    return make_city("Tulsa", "OK", 411_867)


def add_expertise(member, *topics: Topic) -> None:
    """Give a member expertise directly (the profile form has tests of its own)."""
    db.session.execute(
        member_expertise.insert(),
        [{"member_id": member.id, "topic_id": topic.id} for topic in topics],
    )
    db.session.commit()
