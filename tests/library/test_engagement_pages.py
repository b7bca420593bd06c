"""The members' side of the library in pages: the practice page's section for visitors
and members, saving and the Saved page, helpful marks, recording an adaptation and its
log, asking about an entry, and the entries listed on organisation, topic, city and
profile pages."""

import html
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.discussions.pages import no_repeated_ids, text_of
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.library.factories import make_practice
from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.discussions.models import Thread
from wwc_community.extensions import db
from wwc_community.library import engagement
from wwc_community.library.models import Adaptation, Bookmark, HelpfulMark, Practice


@pytest.fixture
def partners(app):
    return make_organisation("Evidence Partners")


@pytest.fixture
def springfield(app):
    return make_city("Springfield", "IL", 114_394)


@pytest.fixture
def entry(partners):
    return make_practice(partners, title="Open budget dashboards")


@pytest.fixture
def jordan(springfield):
    return make_member(city=springfield, display_name="Jordan Lee", email="jordan@example.gov")


@pytest.fixture
def signed_in(client, jordan):
    sign_in(client, jordan.email)
    return client


def plain(response) -> str:
    """The page's HTML with entities decoded and runs of whitespace made one space."""
    return " ".join(html.unescape(text_of(response)).split())


def page_of(client, practice) -> str:
    response = client.get(f"/library/{practice.slug}")
    assert response.status_code == 200
    return text_of(response)


def section_of(page: str) -> str:
    start = page.index('id="members"')
    return page[start:]


def stored(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# The practice page's section --------------------------------------------------------------


def test_visitors_see_the_counts_and_an_invitation_to_sign_in(client, entry, springfield):
    engagement.mark_helpful(db.session, make_member(city=springfield), entry)
    db.session.commit()
    section = section_of(page_of(client, entry))
    assert "Useful to 1 member in 1 city." in section
    assert "1 city of 100,000 to 250,000 residents" in section
    assert "Sign in</a> or" in section
    assert "Mark as helpful" not in section
    assert "aria-pressed" not in section
    assert "Discussions are for members only" in section


def test_pending_members_are_told_they_can_act_once_approved(client, entry, springfield):
    pending = make_member(status=MemberStatus.PENDING, city=springfield)
    sign_in(client, pending.email)
    section = section_of(page_of(client, entry))
    assert "Once your account is approved" in section
    assert "Mark as helpful" not in section


def test_a_member_sees_the_buttons_and_links(signed_in, entry):
    page = page_of(signed_in, entry)
    section = section_of(page)
    assert 'aria-pressed="false">Save' in section
    assert "Mark as helpful" in section
    assert "Record that Springfield adapted this" in section
    assert f'href="/discussions/new?practice={entry.slug}"' in section
    assert "No member has marked this entry helpful yet." in section
    no_repeated_ids(page)


def test_managers_viewing_a_draft_are_told_members_act_once_it_is_published(client, partners):
    draft = make_practice(partners, status="draft")
    partner = make_member(Role.PARTNER, organisation=partners)
    sign_in(client, partner.email)
    section = section_of(page_of(client, draft))
    assert "once it is published" in section
    assert "Mark as helpful" not in section


# Saving -----------------------------------------------------------------------------------


def test_saving_toggles_and_the_saved_page_lists_the_entry(signed_in, entry):
    response = post_form(signed_in, f"/library/{entry.slug}/save")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/library/{entry.slug}#members")
    assert 'aria-pressed="true">Save' in section_of(page_of(signed_in, entry))
    saved = text_of(signed_in.get("/library/saved"))
    assert "Open budget dashboards" in saved
    assert "Showing 1–1 of 1 saved entry" in saved

    response = post_form(signed_in, f"/library/{entry.slug}/unsave", {"next": "/library/saved"})
    assert response.headers["Location"] == "/library/saved"
    assert "You have not saved any library entries yet." in text_of(signed_in.get("/library/saved"))
    assert 'aria-pressed="false">Save' in section_of(page_of(signed_in, entry))


def test_the_saved_page_is_paged_and_hides_entries_no_longer_visible(app_with):
    client = app_with(PER_PAGE=2).test_client()
    partners = make_organisation("Evidence Partners")
    member = make_member(city=make_city("Norman", "OK", 128_097))
    practices = [make_practice(partners, title=f"Saved entry number {n}") for n in range(4)]
    for practice in practices:
        engagement.save_practice(db.session, member, practice)
    db.session.commit()
    from wwc_community.library.services import unpublish

    unpublish(db.session, make_member(Role.COORDINATOR), practices[0])
    db.session.commit()
    sign_in(client, member.email)
    first = plain(client.get("/library/saved"))
    assert "Showing 1–2 of 3 saved entries" in first
    assert "Page 1 of 2" in first
    second = plain(client.get("/library/saved?page=2"))
    assert "Saved entry number 1" in second
    assert "Saved entry number 0" not in first + second


def test_a_member_who_may_not_see_a_draft_cannot_save_it(signed_in, partners):
    draft = make_practice(partners, status="draft")
    assert post_form(signed_in, f"/library/{draft.slug}/save").status_code == 404
    assert stored(Bookmark) == 0


def test_a_partner_who_sees_a_draft_is_told_it_cannot_be_saved(client, partners):
    draft = make_practice(partners, status="draft")
    sign_in(client, make_member(Role.PARTNER, organisation=partners).email)
    response = post_form(client, f"/library/{draft.slug}/save", follow_redirects=True)
    assert "Only published entries can be saved" in text_of(response)
    assert stored(Bookmark) == 0


# Helpful ----------------------------------------------------------------------------------


def test_marking_helpful_twice_says_the_member_already_did(signed_in, entry):
    first = post_form(signed_in, f"/library/{entry.slug}/helpful", follow_redirects=True)
    assert "you marked this entry helpful" in text_of(first)
    second = post_form(signed_in, f"/library/{entry.slug}/helpful", follow_redirects=True)
    assert "You have already marked this entry helpful" in text_of(second)
    section = section_of(text_of(second))
    assert "Useful to 1 member in 1 city." in section
    assert "Take back your helpful mark" in section
    assert db.session.get(Practice, entry.id).helpful_count == 1

    taken_back = post_form(
        signed_in, f"/library/{entry.slug}/helpful/remove", follow_redirects=True
    )
    assert "Your helpful mark is taken back." in text_of(taken_back)
    assert stored(HelpfulMark) == 0
    db.session.expire_all()
    assert db.session.get(Practice, entry.id).helpful_count == 0


# Adaptations ------------------------------------------------------------------------------


def test_recording_an_adaptation_and_reading_the_log(signed_in, entry, springfield):
    form = signed_in.get(f"/library/{entry.slug}/adapt")
    assert form.status_code == 200
    assert "Springfield adapted “Open budget dashboards”" in text_of(form)
    no_repeated_ids(text_of(form))

    response = post_form(
        signed_in,
        f"/library/{entry.slug}/adapt",
        {"status": "in_place", "changes": "We used *ward* data.", "outcome": "Calls fell 12%."},
    )
    assert response.status_code == 303
    section = section_of(page_of(signed_in, entry))
    log = section[section.index("We adapted this") :]
    assert '<a href="/cities/springfield-il">Springfield, IL</a>' in log
    assert "In place" in log
    assert "<p>We used <em>ward</em> data.</p>" in log
    assert "<p>Calls fell 12%.</p>" in log
    assert "Jordan Lee" in log
    implemented = section[section.index("Cities that have it in place") :]
    assert "Springfield, IL" in implemented.split("We adapted this")[0]
    assert "Update Springfield's adaptation record" in section
    assert "1 city has recorded adapting it." in section


def test_visitors_read_the_log_without_the_names_of_members(client, entry, jordan):
    engagement.record_adaptation(
        db.session, jordan, entry, status="piloting", changes="Two wards first."
    )
    db.session.commit()
    section = section_of(page_of(client, entry))
    assert "Two wards first." in section
    assert "Piloting" in section
    assert "Jordan Lee" not in section


def test_a_second_member_of_the_city_sees_and_updates_the_record(client, entry, jordan):
    engagement.record_adaptation(
        db.session, jordan, entry, status="piloting", changes="Two wards first."
    )
    db.session.commit()
    colleague = make_member(city=jordan.city, display_name="Ana Ruiz")
    sign_in(client, colleague.email)
    form = text_of(client.get(f"/library/{entry.slug}/adapt"))
    assert "Springfield already has one, last updated by Jordan Lee" in form
    assert "Two wards first." in form
    response = post_form(
        client, f"/library/{entry.slug}/adapt", {"status": "in_place", "changes": "All wards."}
    )
    assert response.status_code == 303
    [record] = db.session.scalars(select(Adaptation)).all()
    assert (record.changes, record.member_id) == ("All wards.", colleague.id)
    assert db.session.get(Practice, entry.id).adaptation_count == 1


def test_an_adaptation_without_changes_is_shown_again_with_the_problem(signed_in, entry):
    response = post_form(
        signed_in, f"/library/{entry.slug}/adapt", {"status": "planning", "changes": " "}
    )
    assert response.status_code == 400
    assert "Write what your city changed." in text_of(response)
    assert 'aria-invalid="true"' in text_of(response)
    assert stored(Adaptation) == 0


def test_members_without_a_city_are_told_why_they_cannot_adapt(client, entry, partners):
    partner = make_member(Role.PARTNER, organisation=partners)
    sign_in(client, partner.email)
    assert "your profile does not name the city" in section_of(page_of(client, entry))
    page = client.get(f"/library/{entry.slug}/adapt")
    assert "does not name the city you work for" in text_of(page)
    response = post_form(
        client, f"/library/{entry.slug}/adapt", {"status": "planning", "changes": "Tried it."}
    )
    assert response.status_code == 400
    assert stored(Adaptation) == 0


def test_the_log_shows_five_and_links_to_every_adaptation(app_with):
    client = app_with(PER_PAGE=4).test_client()
    entry = make_practice(make_organisation("Evidence Partners"))
    for number in range(7):
        city = make_city(f"Town {number}", "TX", 50_000 + number)
        engagement.record_adaptation(
            db.session, make_member(city=city), entry, status="planning", changes=f"Note {number}"
        )
    db.session.commit()
    section = section_of(page_of(client, entry))
    assert len(re.findall(r'class="card adaptation"', section)) == 5
    assert "See all 7 cities' adaptations" in section
    all_of_them = plain(client.get(f"/library/{entry.slug}/adaptations"))
    assert "Showing 1–4 of 7 cities" in all_of_them
    assert "Note 6" in all_of_them  # the latest first


def test_a_draft_cannot_be_adapted(client, partners):
    draft = make_practice(partners, status="draft")
    coordinator = make_member(Role.COORDINATOR, city=make_city("Norman", "OK", 128_097))
    sign_in(client, coordinator.email)
    assert client.get(f"/library/{draft.slug}/adapt").status_code == 409
    assert (
        post_form(
            client, f"/library/{draft.slug}/adapt", {"status": "planning", "changes": "x"}
        ).status_code
        == 409
    )
    assert stored(Adaptation) == 0


# Asking about an entry --------------------------------------------------------------------


def test_asking_about_a_practice_links_the_thread(signed_in, entry):
    topic = make_topic("Open Data")
    form = text_of(signed_in.get(f"/discussions/new?practice={entry.slug}"))
    assert "About: <a" in form and "Open budget dashboards" in form
    response = post_form(
        signed_in,
        f"/discussions/new?practice={entry.slug}",
        {
            "title": "How did you choose what the dashboard shows?",
            "body": "We are starting one.",
            "topics": [topic.slug],
        },
    )
    assert response.status_code == 303
    thread = db.session.scalar(select(Thread))
    assert thread.practice_id == entry.id
    section = section_of(page_of(signed_in, entry))
    assert "How did you choose what the dashboard shows?" in section


def test_asking_about_an_unknown_or_unpublished_entry_is_not_found(signed_in, partners):
    draft = make_practice(partners, status="draft")
    assert signed_in.get("/discussions/new?practice=no-such-entry").status_code == 404
    assert signed_in.get(f"/discussions/new?practice={draft.slug}").status_code == 404


def test_the_practice_page_lists_five_questions_latest_activity_first(signed_in, entry, jordan):
    from tests.discussions.factories import make_thread

    for number in range(7):
        thread = make_thread(jordan, title=f"Question number {number} about it")
        db.session.get(Thread, thread.id).practice_id = entry.id
    db.session.commit()
    section = section_of(page_of(signed_in, entry))
    questions = section[section.index("Questions about this practice") :]
    assert questions.count('class="card thread-card"') == 5
    assert "Showing the 5 most recently active of 7 questions" in questions


# Directory pages --------------------------------------------------------------------------


def test_the_organisation_page_lists_its_published_entries(client, partners):
    make_practice(partners, title="Published guide to evidence")
    make_practice(partners, title="A draft nobody sees", status="draft")
    page = text_of(client.get(f"/orgs/{partners.slug}"))
    assert "Published guide to evidence" in page
    assert "A draft nobody sees" not in page
    assert f'href="/library?organisation={partners.slug}"' in page


def test_the_topic_page_lists_its_published_entries(client, partners):
    topic = make_topic("Open Data")
    make_practice(partners, title="Open data inventories", topics=[topic])
    make_practice(partners, title="Another topic's entry")
    page = text_of(client.get(f"/topics/{topic.slug}"))
    assert "Open data inventories" in page
    assert "Another topic's entry" not in page
    assert f'href="/library?topic={topic.slug}"' in page


def test_the_city_page_lists_what_it_adapted_with_the_status(client, entry, jordan, springfield):
    engagement.record_adaptation(db.session, jordan, entry, status="in_place", changes="Done.")
    db.session.commit()
    page = text_of(client.get(f"/cities/{springfield.slug}"))
    adapted = page[page.index("Practices Springfield adapted") :]
    assert "Open budget dashboards" in adapted
    assert "In place" in adapted


def test_a_profile_lists_what_the_member_published_and_adapted(signed_in, partners, entry):
    author = make_member(Role.PARTNER, organisation=partners, display_name="Pat Quinn")
    make_practice(partners, title="Pat's published guide", author=author)
    make_practice(partners, title="Pat's draft guide", author=author, status="draft")
    page = plain(signed_in.get(f"/people/{author.handle}"))
    assert "Pat's published guide" in page
    assert "Pat's draft guide" not in page
    assert "Practices published (1)" in page

    jordan = db.session.scalar(select(Member).where(Member.email == "jordan@example.gov"))
    engagement.record_adaptation(db.session, jordan, entry, status="piloting", changes="Pilot.")
    db.session.commit()
    page = plain(signed_in.get(f"/people/{jordan.handle}"))
    assert "Adaptations recorded (1)" in page
    assert "Open budget dashboards</a> in Springfield, IL" in page
