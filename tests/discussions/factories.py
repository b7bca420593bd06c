"""Threads and answers for tests, made through the discussion services."""

from itertools import count

from tests.factories import make_topic
from wwc_community.discussions.services import ask_question, post_answer
from wwc_community.extensions import db

_sequence = count(1)


def make_thread(author, *, title=None, body="How did you set this up?", topics=None, city=None):
    """A question asked by `author`, on a topic of its own unless `topics` are given."""
    number = next(_sequence)
    thread = ask_question(
        db.session,
        author,
        title or f"How do cities run question number {number}?",
        body,
        topics if topics is not None else [make_topic(f"Discussion Topic {number}")],
        city,
    )
    db.session.commit()
    return thread


def make_answer(thread, author, body="We started with a small pilot."):
    post = post_answer(db.session, author, thread, body)
    db.session.commit()
    return post
