"""A member fills in their profile, then finds a peer in a city of the same size who knows
results-driven contracting, in a real browser.

Every page the journey reaches is checked with axe-core (WCAG 2.1 A and AA).
"""

import re

import pytest

from tests.browser.steps import expect
from tests.factories import PASSWORD, make_city, make_member, make_organisation
from wwc_community.accounts.models import Member, Role
from wwc_community.directory.models import member_expertise
from wwc_community.directory.services import ensure_starting_topics, list_topics
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


def heading(page):
    return page.get_by_role("heading", level=1)


def give_expertise(member: Member, topics: dict, *slugs: str) -> None:
    db.session.execute(
        member_expertise.insert(),
        [{"member_id": member.id, "topic_id": topics[slug].id} for slug in slugs],
    )
    db.session.commit()


@pytest.fixture
def community(live_app):
    """Jordan in Springfield, IL; peers in cities of other sizes and at a partner."""
    ensure_starting_topics(db.session)
    db.session.commit()
    topics = {topic.slug: topic for topic in list_topics(db.session)}
    springfield = make_city("Springfield", "IL", 114_394)
    norman = make_city("Norman", "OK", 128_097)
    tulsa = make_city("Tulsa", "OK", 411_867)
    lab = make_organisation(
        "Results Lab",
        website="https://results.example.org",
        description="Helps cities buy outcomes, not activities.",
    )
    jordan = make_member(city=springfield, display_name="Jordan Lee")
    priya = make_member(city=norman, display_name="Priya Raman")
    priya.bio = "I rewrote our **street-lighting contract** around outcomes."
    priya.bio_html = (
        "<p>I rewrote our <strong>street-lighting contract</strong> around outcomes.</p>"
    )
    tom = make_member(city=tulsa, display_name="Tom Alvarez")
    rosa = make_member(Role.PARTNER, organisation=lab, display_name="Rosa Diaz")
    db.session.commit()
    give_expertise(priya, topics, "results-driven-contracting", "performance-and-analytics")
    give_expertise(tom, topics, "results-driven-contracting")
    give_expertise(rosa, topics, "results-driven-contracting", "evaluations")
    return {"jordan": jordan, "priya": priya}


def test_edit_profile_then_find_a_peer_with_two_filters(page, community, assert_accessible):
    check = assert_accessible
    jordan, priya = community["jordan"], community["priya"]

    page.goto("/auth/login")
    page.get_by_label("E-mail address").fill(jordan.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".flashes")).to_contain_text("Signed in as Jordan Lee")

    # The profile as it starts, then the form to edit it.
    page.goto(f"/people/{jordan.handle}")
    expect(heading(page)).to_have_text("Jordan Lee")
    expect(page.get_by_role("main")).to_contain_text("You have not written a bio yet")
    check(page, "own profile, empty")
    page.get_by_role("link", name="Edit your profile").click()
    expect(heading(page)).to_have_text("Edit your profile")
    expect(page.get_by_label("City", exact=True)).to_have_value("Springfield, IL")
    check(page, "profile form")

    # A handle that breaks the rules comes back with the error tied to its field.
    page.get_by_label("Handle").fill("Jo!")
    page.get_by_role("button", name="Save the profile").click()
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_label("Handle")).to_have_attribute("aria-invalid", "true")
    check(page, "profile form with an error")
    page.get_by_role("alert").get_by_role("link", name=re.compile("^Handle")).click()
    expect(page.get_by_label("Handle")).to_be_focused()

    page.get_by_label("Handle").fill("jordan-lee-springfield")
    page.get_by_label("Job title").fill("Budget analyst")
    page.get_by_label("Department").fill("Office of Budget and Management")
    page.get_by_label("Evaluations").check()
    page.get_by_label("Results-Driven Contracting").check()
    page.get_by_label("About you").fill(
        "I build the **capital budget** models.\n\n- contract reviews\n- cost studies"
    )
    page.get_by_role("button", name="Preview the bio").click()
    preview = page.get_by_role("region", name="Preview of your bio")
    expect(preview.locator("strong")).to_have_text("capital budget")
    expect(preview.get_by_role("listitem")).to_have_count(2)
    # Nothing is saved by a preview; the form keeps what was typed.
    expect(page.get_by_label("Results-Driven Contracting")).to_be_checked()
    expect(page.get_by_label("Handle")).to_have_value("jordan-lee-springfield")
    check(page, "profile form with the bio preview")

    page.get_by_role("button", name="Save the profile").click()
    expect(page.locator(".flashes")).to_contain_text("Your profile is saved.")
    assert page.url.endswith("/people/jordan-lee-springfield")
    expect(page.get_by_role("main")).to_contain_text(
        "Budget analyst, Office of Budget and Management"
    )
    expect(page.get_by_role("link", name="Results-Driven Contracting")).to_be_visible()
    expect(page.locator(".prose strong")).to_have_text("capital budget")
    check(page, "own profile, filled in")

    # Who in a city of 100,000 to 250,000 knows results-driven contracting?
    page.goto("/people")
    expect(heading(page)).to_have_text("Member directory")
    check(page, "member directory")
    page.get_by_label("City population").select_option(label="100,000 to 250,000")
    page.get_by_label("Expertise").select_option(label="Results-Driven Contracting")
    page.get_by_role("button", name="Show members").click()
    results = page.locator(".member-card")
    expect(results).to_have_count(2)
    expect(results.get_by_role("link", name="Priya Raman")).to_be_visible()
    expect(results.get_by_role("link", name="Jordan Lee")).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Tom Alvarez")
    check(page, "member directory, two filters")

    # One filter too many: the empty state offers to drop each.
    page.get_by_label("Role").select_option(label="Partner")
    page.get_by_role("button", name="Show members").click()
    expect(page.get_by_role("main")).to_contain_text("No member matches all of these filters")
    check(page, "member directory, empty state")
    page.get_by_role("link", name="Every role, not only partners").click()
    expect(results).to_have_count(2)

    results.get_by_role("link", name="Priya Raman").click()
    expect(heading(page)).to_have_text("Priya Raman")
    expect(page.locator(".prose strong")).to_have_text("street-lighting contract")
    expect(page.get_by_role("link", name="Norman, OK")).to_be_visible()
    expect(page.get_by_role("link", name="Edit your profile")).to_have_count(0)
    check(page, "a peer's profile")
    assert page.url.endswith(f"/people/{priya.handle}")

    page.get_by_role("link", name="Results-Driven Contracting").click()
    expect(heading(page)).to_have_text("Results-Driven Contracting")
    expect(page.get_by_role("main")).to_contain_text("4 members know this area")
    check(page, "topic page")

    page.goto("/orgs/results-lab")
    expect(heading(page)).to_have_text("Results Lab")
    expect(page.get_by_role("link", name="Rosa Diaz")).to_be_visible()
    check(page, "organisation page, seen by a member")

    # Answers to what the directory cannot use.
    response = page.goto("/people?topic=astrology")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("There is no topic “astrology”")
    check(page, "member directory, unknown topic")
    response = page.goto("/people?page=9")
    assert response.status == 404
    page.get_by_role("link", name="Go to the last page").click()
    expect(page.locator(".member-card").first).to_be_visible()

    db.session.commit()  # a fresh read: the server changed the member
    saved = db.session.get(Member, jordan.id)
    assert (saved.handle, saved.job_title) == ("jordan-lee-springfield", "Budget analyst")


def test_public_organisation_and_topic_pages(page, community, assert_accessible):
    page.goto("/orgs/results-lab")
    expect(heading(page)).to_have_text("Results Lab")
    expect(page.get_by_role("main")).to_contain_text("1 member works for Results Lab")
    expect(page.get_by_role("main")).not_to_contain_text("Rosa Diaz")
    assert_accessible(page, "organisation page, seen by a visitor")
    page.goto("/topics/evaluations")
    expect(page.get_by_role("main")).to_contain_text("1 member knows this area")
    assert_accessible(page, "topic page, seen by a visitor")
    page.goto("/people")
    expect(heading(page)).to_have_text("Sign in")
