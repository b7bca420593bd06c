"""Certification criteria as tags: typed as codes on the ask, question edit, library entry
and event forms, shown as links to the criterion pages on the thread, entry and event
pages; unknown codes, too many codes and no active framework refused with nothing saved."""

import pytest
from sqlalchemy import func, select

from tests.certification.factories import make_framework
from tests.conftest import post_form
from tests.discussions.factories import make_thread
from tests.events.factories import make_event
from tests.factories import make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.certification import tagging
from wwc_community.core.errors import Invalid, NotPermitted
from wwc_community.discussions.models import Thread
from wwc_community.events.models import Event
from wwc_community.extensions import db
from wwc_community.library.models import Practice


def html(response) -> str:
    return response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def tagged_codes(kind: str, owner_id: int) -> list[str]:
    return [c.code for c in tagging.criteria_of(db.session, kind, [owner_id]).get(owner_id, [])]


@pytest.fixture
def open_data(app):
    return make_topic("Open Data")


def question(criteria: str, **changes) -> dict:
    return {
        "title": "How do you run a data inventory?",
        "body": "We have 40 departments.",
        "topics": ["open-data"],
        "city": "",
        "criteria": criteria,
        **changes,
    }


def thread_address(thread) -> str:
    return f"/discussions/{thread.id}-{thread.slug}"


# Threads ------------------------------------------------------------------------------------


def test_asking_with_codes_tags_the_thread_and_its_page_links_each_criterion(
    client, sign_in_as, framework, open_data
):
    sign_in_as("practitioner")
    response = post_form(client, "/discussions/new", question("dg1, OD2;DG1"))
    assert response.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert tagged_codes("thread", thread.id) == ["DG1", "OD2"]
    page = html(client.get(thread_address(thread)))
    assert 'href="/certification/DG1"' in page and "DG1 · Criterion DG1" in page
    assert 'href="/certification/OD2"' in page and "OD2 · Criterion OD2" in page
    assert page.count('href="/certification/DG1"') == 1


def test_an_unknown_code_is_shown_on_the_field_and_no_thread_is_created(
    client, sign_in_as, framework, open_data
):
    sign_in_as("practitioner")
    response = post_form(client, "/discussions/new", question("DG1, zz9"))
    assert response.status_code == 400
    page = html(response)
    assert "There is no criterion ZZ9" in page
    assert 'id="criteria-error"' in page
    assert 'value="DG1, zz9"' in page  # what was typed comes back
    assert count(Thread) == 0


def test_an_empty_field_posts_the_question_without_tags(client, sign_in_as, open_data):
    # No active framework either: an empty field needs none.
    sign_in_as("practitioner")
    response = post_form(client, "/discussions/new", question(""))
    assert response.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert tagged_codes("thread", thread.id) == []
    assert "Certification criteria:" not in html(client.get(thread_address(thread)))


def test_without_an_active_framework_codes_are_refused_with_the_reason(
    client, sign_in_as, open_data
):
    sign_in_as("practitioner")
    response = post_form(client, "/discussions/new", question("DG1"))
    assert response.status_code == 400
    assert "until an admin activates a certification framework" in html(response)
    assert count(Thread) == 0


def test_more_than_five_codes_are_refused(client, sign_in_as, framework, open_data):
    sign_in_as("practitioner")
    response = post_form(client, "/discussions/new", question("DG1 DG2 DG3 DG4 DG5 OD1"))
    assert response.status_code == 400
    assert "Tag at most 5 criteria." in html(response)
    assert count(Thread) == 0
    with pytest.raises(Invalid, match="at most 5"):
        tagging.criteria_for_codes(db.session, ["DG1", "DG2", "DG3", "DG4", "DG5", "OD1"])


def test_the_ask_page_fills_in_codes_from_its_address(client, sign_in_as, framework, open_data):
    sign_in_as("practitioner")
    page = html(client.get("/discussions/new?criteria=dg1"))
    assert "Certification criteria" in page
    assert 'value="DG1"' in page
    assert 'value="Springfield, IL"' in page  # the other defaults still apply
    page = html(client.get("/discussions/new?criteria=OD3&title=Data+inventory+steps"))
    assert 'value="OD3"' in page and 'value="Data inventory steps"' in page


def test_editing_a_question_changes_then_clears_its_criteria(
    client, sign_in_as, members, framework, open_data
):
    thread = make_thread(members["practitioner"], topics=[open_data])
    tagging.tag_thread(db.session, members["practitioner"], thread, ["DG1"])
    db.session.commit()
    sign_in_as("practitioner")
    address = f"/discussions/{thread.id}/edit"
    assert 'value="DG1"' in html(client.get(address))
    unchanged = {"title": thread.title, "body": thread.body}

    response = post_form(client, address, {**unchanged, "criteria": "od1, dg3"})
    assert response.status_code == 303
    assert tagged_codes("thread", thread.id) == ["DG3", "OD1"]
    page = html(client.get(thread_address(thread)))
    assert "Your changes are saved." in page and "DG3 · Criterion DG3" in page
    assert "DG1 · Criterion DG1" not in page

    response = post_form(client, address, {**unchanged, "criteria": "ZZ9"})
    assert response.status_code == 400
    assert "There is no criterion ZZ9" in html(response)
    assert tagged_codes("thread", thread.id) == ["DG3", "OD1"]

    response = post_form(client, address, {**unchanged, "criteria": ""})
    assert response.status_code == 303
    assert tagged_codes("thread", thread.id) == []
    assert "Certification criteria:" not in html(client.get(thread_address(thread)))


def test_only_the_asker_and_coordinators_tag_a_thread(app, members, framework):
    thread = make_thread(members["practitioner"])
    other = make_member(Role.PRACTITIONER)
    with pytest.raises(NotPermitted):
        tagging.tag_thread(db.session, other, thread, ["DG1"])
    with pytest.raises(NotPermitted):
        tagging.tag_thread(db.session, members["partner"], thread, ["DG1"])
    tagging.tag_thread(db.session, members["coordinator"], thread, ["OD4"])
    db.session.commit()
    assert tagged_codes("thread", thread.id) == ["OD4"]


def test_the_thread_page_loads_its_criteria_in_a_bounded_number_of_queries(
    client, sign_in_as, members, framework
):
    thread = make_thread(members["practitioner"])
    sign_in_as("practitioner")
    address = thread_address(thread)
    tagging.tag_thread(db.session, members["practitioner"], thread, ["DG1"])
    db.session.commit()
    queries_for(client, address)  # the first visit records the read
    one = queries_for(client, address)
    tagging.tag_thread(db.session, members["practitioner"], thread, ["DG1", "DG2", "OD1", "OD5"])
    db.session.commit()
    assert queries_for(client, address) == one


# Library entries ----------------------------------------------------------------------------


def entry(topic, criteria: str, **changes) -> dict:
    return {
        "title": "Publishing 311 data every night",
        "kind": "guide",
        "summary": "Cities publish their 311 requests as open data.",
        "topics": [topic.slug],
        "body": "Export, then publish.",
        "evaluation_design": "",
        "criteria": criteria,
        "save": "1",
        **changes,
    }


def test_a_partner_tags_their_organisations_entry_and_its_page_shows_it(
    client, sign_in_as, framework, open_data
):
    sign_in_as("partner")
    response = post_form(client, "/library/new", entry(open_data, "od3, DG2"))
    assert response.status_code == 303
    practice = db.session.scalar(select(Practice))
    assert tagged_codes("practice", practice.id) == ["DG2", "OD3"]
    page = html(client.get(f"/library/{practice.slug}"))
    assert 'href="/certification/DG2"' in page and "DG2 · Criterion DG2" in page
    assert "OD3 · Criterion OD3" in page
    assert 'value="DG2, OD3"' in html(client.get(f"/library/{practice.slug}/edit"))


def test_an_unknown_code_saves_no_entry(client, sign_in_as, framework, open_data):
    sign_in_as("partner")
    response = post_form(client, "/library/new", entry(open_data, "ZZ9"))
    assert response.status_code == 400
    assert "There is no criterion ZZ9" in html(response)
    assert count(Practice) == 0


def test_editing_a_published_entry_with_an_unknown_code_changes_nothing(
    client, sign_in_as, members, organisation, framework, open_data
):
    practice = make_practice(organisation, topics=[open_data], author=members["partner"])
    tagging.tag_practice(db.session, members["partner"], practice, ["DG1"])
    db.session.commit()
    sign_in_as("partner")
    address = f"/library/{practice.slug}/edit"
    changed = entry(open_data, "DG1, ZZ9", title="A new title for this entry")
    response = post_form(client, address, changed)
    assert response.status_code == 400
    assert "There is no criterion ZZ9" in html(response)
    db.session.expire_all()
    assert db.session.get(Practice, practice.id).title != "A new title for this entry"
    assert tagged_codes("practice", practice.id) == ["DG1"]

    response = post_form(client, address, {**changed, "criteria": ""})
    assert response.status_code == 303
    assert tagged_codes("practice", practice.id) == []


def test_only_those_who_manage_an_entry_tag_it(app, members, framework):
    practice = make_practice(make_organisation("Another Lab"))
    for role in ("practitioner", "partner"):
        with pytest.raises(NotPermitted):
            tagging.tag_practice(db.session, members[role], practice, ["DG1"])
    tagging.tag_practice(db.session, members["coordinator"], practice, ["DG1"])
    db.session.commit()
    assert tagged_codes("practice", practice.id) == ["DG1"]


# Events -------------------------------------------------------------------------------------


def event_fields(criteria: str, **changes) -> dict:
    return {
        "title": "Open data office hours",
        "event_type": "webinar",
        "description": "Bring your questions.",
        "time_zone": "America/Chicago",
        "starts_date": "2030-07-14",
        "starts_time": "10:00",
        "ends_date": "2030-07-14",
        "ends_time": "11:30",
        "is_online": "y",
        "join_url": "https://meet.example.org/office-hours",
        "capacity": "20",
        "criteria": criteria,
        **changes,
    }


def test_a_coordinator_tags_an_event_through_its_form(client, sign_in_as, framework):
    sign_in_as("coordinator")
    assert "Certification criteria" in html(client.get("/events/new"))
    response = post_form(client, "/events/new", event_fields("Od5"))
    assert response.status_code == 303
    event = db.session.scalar(select(Event))
    assert tagged_codes("event", event.id) == ["OD5"]
    page = html(client.get(f"/events/{event.slug}"))
    assert 'href="/certification/OD5"' in page and "OD5 · Criterion OD5" in page

    edit = f"/events/{event.slug}/edit"
    assert 'value="OD5"' in html(client.get(edit))
    response = post_form(client, edit, event_fields("DG4"))
    assert response.status_code == 303
    assert tagged_codes("event", event.id) == ["DG4"]


def test_an_unknown_code_creates_no_event(client, sign_in_as, framework):
    sign_in_as("coordinator")
    response = post_form(client, "/events/new", event_fields("ZZ9"))
    assert response.status_code == 400
    assert "There is no criterion ZZ9" in html(response)
    assert count(Event) == 0


def test_only_coordinators_tag_events(app, members, framework):
    event = make_event()
    with pytest.raises(NotPermitted):
        tagging.tag_event(db.session, members["partner"], event, ["DG1"])
    with pytest.raises(NotPermitted):
        tagging.tag_event(db.session, None, event, ["DG1"])


def test_tags_made_under_a_retired_version_still_show(client, sign_in_as, members, framework):
    # The pages match tags by criterion row, whatever the version that row belongs to.
    event = make_event(is_public=True)
    tagging.tag_event(db.session, members["coordinator"], event, ["DG1"])
    db.session.commit()
    make_framework()  # a new active version; the old one is retired
    assert "DG1 · Criterion DG1" in html(client.get(f"/events/{event.slug}"))
