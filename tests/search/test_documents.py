"""What each document holds, read back through a real index: the words a member could
find it by, and who may find it."""

import pytest
from whoosh.qparser import QueryParser
from whoosh.query import Term

from tests.discussions.factories import make_answer, make_thread
from tests.factories import make_city, make_member, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.discussions.moderation import hide_post
from wwc_community.discussions.services import accept_answer, delete_own_post, post_comment
from wwc_community.extensions import db
from wwc_community.library.services import (
    PracticeFields,
    get_editable_practice,
    save_practice,
)
from wwc_community.search.engine import get_searcher
from wwc_community.search.schema import MEMBERS, PUBLIC, build_schema, organisation_token


def found(app, words: str, field: str = "body") -> set[str]:
    """The doc_ids whose `field` matches `words`."""
    query = QueryParser(field, build_schema()).parse(words)
    return {hit["doc_id"] for hit in get_searcher(app).search(query, limit=None)}


def stored(app, key: str) -> dict | None:
    return get_searcher(app).document(doc_id=key)


def visible_to(app, token: str) -> set[str]:
    return {
        hit["doc_id"] for hit in get_searcher(app).search(Term("visibility", token), limit=None)
    }


@pytest.fixture
def asker(app):
    city = make_city("Tulsa", "OK", 413_066)
    return make_member(Role.PRACTITIONER, city=city, display_name="Asa Asker")


def test_a_thread_is_found_by_its_question_answers_and_comments(app, asker, indexed):
    city = asker.city
    thread = make_thread(
        asker,
        title="Evaluations of sidewalk repairs",
        body="We want a randomised rollout.",
        topics=[make_topic("Transportation")],
        city=city,
    )
    helper = make_member(Role.PRACTITIONER, city=city)
    answer = make_answer(thread, helper, "Try a stepped wedge design.")
    post_comment(db.session, asker, thread, answer, "Which contractor handled it?")
    db.session.commit()
    indexed()
    key = f"thread:{thread.id}"
    assert found(app, "sidewalk", "title") == {key}
    assert found(app, "randomised") == {key}
    assert found(app, "wedge") == {key}
    assert found(app, "contractor") == {key}
    assert found(app, "evaluation", "title") == {key}  # stemming
    document = stored(app, key)
    assert document["city"] == "tulsa-ok" and document["state"] == "OK"
    assert document["band"] == "250k-1m"
    assert document["topics"] == "transportation"
    assert document["accepted"] is False
    assert key in visible_to(app, MEMBERS)
    assert visible_to(app, PUBLIC) == set()


def test_hidden_and_removed_posts_and_their_comments_leave_the_thread(app, asker, members, indexed):
    thread = make_thread(asker, body="Plain question.")
    helper = make_member(Role.PRACTITIONER, city=asker.city)
    hidden = make_answer(thread, helper, "Buy my consultancy services.")
    post_comment(db.session, asker, thread, hidden, "Is this an advertisement?")
    removed = make_answer(thread, helper, "A regrettable tangent about llamas.")
    kept = make_answer(thread, make_member(Role.PRACTITIONER), "Publish the budget data.")
    indexed()
    assert found(app, "consultancy") == {f"thread:{thread.id}"}

    hide_post(db.session, members["coordinator"], hidden, "Advertising")
    delete_own_post(db.session, helper, removed)
    db.session.commit()
    indexed()
    assert found(app, "consultancy") == set()
    assert found(app, "advertisement") == set()  # the comment under the hidden answer
    assert found(app, "llamas") == set()
    assert found(app, "budget") == {f"thread:{thread.id}"}
    assert kept.id


def test_an_accepted_answer_and_votes_raise_a_threads_popularity(app, asker, indexed):
    thread = make_thread(asker)
    answer = make_answer(thread, make_member(Role.PRACTITIONER))
    indexed()
    assert stored(app, f"thread:{thread.id}")["popularity"] == 0
    accept_answer(db.session, asker, thread, answer)
    db.session.commit()
    indexed()
    document = stored(app, f"thread:{thread.id}")
    assert document["accepted"] is True and document["popularity"] == 10


def test_a_draft_is_only_for_its_organisation_and_public_once_published(app, organisation, indexed):
    from wwc_community.library.services import get_editable_practice, publish

    draft = make_practice(
        organisation, title="Outcome contracts for shelters", status="draft", body="Draft words."
    )
    indexed()
    key = f"practice:{draft.id}"
    assert visible_to(app, organisation_token(organisation.id)) == {key}
    assert visible_to(app, PUBLIC) == set()
    author = make_member(Role.PARTNER, organisation=organisation)
    publish(db.session, author, get_editable_practice(db.session, author, draft.slug))
    db.session.commit()
    indexed()
    assert visible_to(app, PUBLIC) == {key}
    assert visible_to(app, organisation_token(organisation.id)) == set()
    document = stored(app, key)
    assert document["organisation"] == organisation.slug


def test_a_practice_is_found_by_its_evidence_and_attachment_text(app, organisation, indexed):
    from wwc_community.library.attachments import attach_file

    practice = make_practice(
        organisation,
        title="Results-driven contracting",
        summary="Pay for outcomes.",
        problem="Homelessness persisted.",
        status="draft",
    )
    author = make_member(Role.PARTNER, organisation=organisation)
    attach_file(
        db.session, author, practice, "figures.csv", b"measure,value\nshelter nights,1200\n"
    )
    db.session.commit()
    indexed()
    key = f"practice:{practice.id}"
    assert found(app, "homelessness") == {key}
    assert found(app, "shelter") == {key}  # from the attachment

    topic = make_topic("Contracting")
    fields = PracticeFields(title="Results-driven contracting", topics=[topic], summary="Later.")
    editable = get_editable_practice(db.session, author, practice.slug)
    save_practice(db.session, author, editable, fields)
    db.session.commit()
    indexed()
    assert found(app, "outcomes") == set()


def test_only_active_members_are_in_the_index(app, asker, indexed):
    pending = make_member(Role.PRACTITIONER, MemberStatus.PENDING, display_name="Pat Pending")
    indexed()
    assert found(app, "asker", "title") == {f"member:{asker.id}"}
    assert found(app, "pending", "title") == set()

    asker.status = MemberStatus.SUSPENDED
    pending.status = MemberStatus.ACTIVE
    db.session.commit()
    indexed()
    assert found(app, "asker", "title") == set()
    assert found(app, "pending", "title") == {f"member:{pending.id}"}


def test_a_profile_is_found_by_job_bio_and_expertise(app, indexed):
    member = make_member(Role.PRACTITIONER, display_name="Quinn Analyst")
    topic = make_topic("Open Data")
    db.session.refresh(member, ["expertise"])
    member.bio = "I run the city's open data portal."
    member.expertise.append(topic)
    db.session.commit()
    indexed()
    key = f"member:{member.id}"
    assert found(app, "portal") == {key}
    assert stored(app, key)["topics"] == "open-data"
    assert visible_to(app, MEMBERS) >= {key}


def test_a_deleted_thread_leaves_the_index(app, asker, indexed):
    thread = make_thread(asker, title="Short lived question")
    indexed()
    db.session.delete(thread)
    db.session.commit()
    indexed()
    assert found(app, "lived", "title") == set()
