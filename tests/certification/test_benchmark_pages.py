"""The benchmark pages every member sees: the framework and one criterion's page, with
everything tagged with it and the cities that met it."""

import pytest

from tests.certification.factories import load_starter_framework, make_framework
from tests.certification.matrix_benchmark import city_that_met, ensure_framework, meet
from tests.discussions.factories import make_thread
from tests.events.factories import make_event
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.certification import tagging
from wwc_community.extensions import db


def page(client, path="/certification"):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def tag(kind, item, *codes, actor):
    getattr(tagging, f"tag_{kind}")(db.session, actor, item, list(codes))
    db.session.commit()


# The overview ---------------------------------------------------------------------------------


def test_overview_shows_the_levels_areas_and_criteria(framework, sign_in_as):
    client = sign_in_as("partner")

    status, html = page(client)

    assert status == 200
    assert "<h1>Test benchmark</h1>" in html
    assert "A benchmark made for a test." in html
    assert "Silver: 51% of criteria met" in html
    assert "Gold: 67% of criteria met" in html
    assert "Platinum: 84% of criteria met" in html
    assert "Area DG" in html and "Area OD" in html
    assert '<a href="/certification/DG1">DG1</a>' in html
    assert "Criterion OD5" in html
    assert "3 items, 2 needed" in html
    assert "Sample framework" not in html


def test_a_threshold_with_a_tenth_is_written_with_it(sign_in_as, members):
    make_framework(thresholds=(505, 675, 840))

    _, html = page(sign_in_as("practitioner"))

    assert "Silver: 50.5% of criteria met" in html
    assert "Gold: 67.5% of criteria met" in html


def test_the_sample_framework_says_admins_replace_it(sign_in_as, members):
    load_starter_framework()

    status, html = page(sign_in_as("practitioner"))

    assert status == 200
    assert "Sample framework:" in html
    assert "admins replace it with the official text" in html


def test_a_city_member_sees_their_city_score_and_assessment_link(
    framework, sign_in_as, members, city
):
    meet(city, members["practitioner"], ["DG1", "DG2", "OD1"], shares=False)

    _, html = page(sign_in_as("practitioner"))

    assert "Springfield, IL" in html
    assert "30%" in html and "(3 of 10)" in html
    assert "3 more criteria met would reach Silver" in html
    assert 'href="/cities/springfield-il/assessment"' in html


def test_members_without_a_city_see_no_score_box(framework, sign_in_as):
    _, html = page(sign_in_as("partner"))

    assert "/assessment" not in html
    assert "/certification/cohort" not in html
    assert "/certification/frameworks" not in html


def test_coordinators_see_the_cohort_and_insights_links(framework, sign_in_as):
    _, html = page(sign_in_as("coordinator"))

    assert 'href="/certification/cohort"' in html
    assert 'href="/certification/insights"' in html
    assert 'href="/certification/frameworks"' not in html


def test_admins_see_the_frameworks_link(framework, sign_in_as):
    _, html = page(sign_in_as("admin"))

    assert 'href="/certification/frameworks"' in html
    assert 'href="/certification/cohort"' in html


def test_without_an_active_framework_the_page_says_an_admin_must_load_one(sign_in_as):
    status, html = page(sign_in_as("practitioner"))

    assert status == 200
    assert "No certification framework is loaded yet. An admin must load one" in html


def test_the_overview_makes_a_bounded_number_of_queries(sign_in_as, members, city):
    make_framework(criteria_per_area=2)
    client = sign_in_as("practitioner")
    few = queries_for(client, "/certification")
    make_framework(areas=("DG", "OD", "PA", "EV"), criteria_per_area=8, items=6)
    meet(city, members["practitioner"], ["DG1", "PA2"])

    assert queries_for(client, "/certification") == few


# A criterion's page ---------------------------------------------------------------------------


def test_a_criterion_page_shows_its_checklist_and_how_to_ask(framework, sign_in_as):
    status, html = page(sign_in_as("practitioner"), "/certification/DG2")

    assert status == 200
    assert "<h1>DG2: Criterion DG2</h1>" in html
    assert "Area DG" in html
    assert "What DG2 asks of a city." in html
    assert "at least 2 of these 3 items" in html
    assert "Item 3 of DG2" in html
    assert "A policy document and its adoption date." in html
    assert '<a href="/discussions/new?criteria=DG2">Ask a question about DG2</a>' in html


def test_codes_are_read_in_any_case(framework, sign_in_as):
    status, html = page(sign_in_as("practitioner"), "/certification/od3")

    assert status == 200
    assert "<h1>OD3: Criterion OD3</h1>" in html


def test_an_unknown_code_is_not_found_and_says_so(framework, sign_in_as):
    status, html = page(sign_in_as("practitioner"), "/certification/ZZ9")

    assert status == 404
    assert "There is no criterion ZZ9" in html


def test_a_criterion_page_lists_what_is_tagged_with_it(
    framework, sign_in_as, members, organisation
):
    coordinator = members["coordinator"]
    tag(
        "practice",
        make_practice(organisation, title="Writing a data policy"),
        "DG1",
        actor=coordinator,
    )
    tag(
        "practice",
        make_practice(organisation, title="A draft about policies", status="draft"),
        "DG1",
        actor=coordinator,
    )
    tag(
        "thread",
        make_thread(members["partner"], title="Who owns data in your city?"),
        "DG1",
        actor=coordinator,
    )
    tag("event", make_event(title="Data policy clinic", is_public=False), "DG1", actor=coordinator)
    tag(
        "practice", make_practice(organisation, title="Open data portals"), "OD1", actor=coordinator
    )

    _, html = page(sign_in_as("practitioner"), "/certification/DG1")

    assert "Writing a data policy" in html
    assert "A draft about policies" not in html
    assert "Who owns data in your city?" in html
    assert "Data policy clinic" in html
    assert "Open data portals" not in html


def test_a_criterion_page_says_when_nothing_is_tagged(framework, sign_in_as):
    _, html = page(sign_in_as("practitioner"), "/certification/OD4")

    assert "No published library entry is tagged with OD4 yet." in html
    assert "No discussion is tagged with OD4 yet." in html
    assert "No upcoming event is tagged with OD4 yet." in html
    assert "No city that shares its progress has met OD4 yet." in html


def test_members_see_the_cities_that_met_it_and_share_that(sign_in_as, members):
    city_that_met(["DG1"], name="Sharetown", state="OR")
    city_that_met(["DG1"], name="Quiettown", state="ME", shares=False)

    _, html = page(sign_in_as("partner"), "/certification/DG1")

    assert '<a href="/cities/sharetown-or">Sharetown</a>' in html
    assert "<td>OR</td>" in html
    assert "<td>30,000 to 100,000</td>" in html
    assert "Quiettown" not in html
    assert "not shared" not in html


def test_coordinators_see_every_city_that_met_it_marked_when_not_shared(sign_in_as, members):
    city_that_met(["DG1"], name="Sharetown", state="OR")
    city_that_met(["DG1"], name="Quiettown", state="ME", shares=False)

    _, html = page(sign_in_as("coordinator"), "/certification/DG1")

    assert '<a href="/cities/sharetown-or">Sharetown</a>' in html
    quiet = '<a href="/cities/quiettown-me">Quiettown</a> <span class="badge badge-quiet">'
    assert f"{quiet}not shared</span>" in html


def test_a_criterion_page_offers_peers_to_ask(sign_in_as, members):
    _, (peer,) = city_that_met(["DG1"], name="Sharetown", state="OR")

    _, html = page(sign_in_as("practitioner"), "/certification/DG1")

    assert "Sharetown Peer 1" in html
    assert f'href="/certification/DG1/ask/{peer.handle}"' in html


def test_a_criterion_page_makes_a_bounded_number_of_queries(sign_in_as, members, organisation):
    ensure_framework()
    coordinator = members["coordinator"]
    city_that_met(["DG1"], name="Firsttown")
    tag("practice", make_practice(organisation), "DG1", actor=coordinator)
    tag("thread", make_thread(members["partner"]), "DG1", actor=coordinator)
    tag("event", make_event(is_public=True), "DG1", actor=coordinator)
    client = sign_in_as("coordinator")
    few = queries_for(client, "/certification/DG1")

    for number in range(4):
        city_that_met(["DG1"], name=f"Town{number}", peers=2, shares=number % 2 == 0)
        tag("practice", make_practice(organisation), "DG1", actor=coordinator)
        tag("thread", make_thread(members["partner"]), "DG1", actor=coordinator)
        tag("event", make_event(is_public=True), "DG1", actor=coordinator)

    assert queries_for(client, "/certification/DG1") == few


@pytest.mark.parametrize("path", ["/certification", "/certification/DG1"])
def test_the_pages_are_for_approved_members(framework, client, path):
    response = client.get(path)

    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]
