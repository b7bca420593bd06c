"""Certification from end to end in a real browser: a city member ticks a criterion's
checklist until it is met, sees the score and the level preview change, finds on the
dashboard a peer who met a remaining gap, and asks them, which opens a thread tagged
with the criterion and tells the peer. Coordinators open the cohort view and the program
insights, admins the framework versions. axe-core checks every certification page."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.certification.factories import load_starter_framework
from tests.factories import make_city, make_member, make_topic
from wwc_community.accounts.models import Role
from wwc_community.certification import services
from wwc_community.certification.models import Criterion
from wwc_community.extensions import db

pytestmark = pytest.mark.browser


def _meet(member, city, code):
    framework = services.require_active_framework(db.session)
    criterion = services.criterion_in(db.session, framework, code)
    services.save_progress(
        db.session, member, city, code, [item.id for item in criterion.items], "", 0
    )


@pytest.fixture
def people(live_app):
    make_topic("Open Data")
    make_topic("Data Governance and Management")
    framework = load_starter_framework()
    home = make_city("Racine", "WI", 77_816)
    elsewhere = make_city("Boise", "ID", 235_684)
    analyst = make_member(city=home, display_name="Dana Whitfield")
    peer = make_member(city=elsewhere, display_name="Rafael Ortiz")
    codes = db.session.scalars(
        db.select(Criterion.code)
        .where(Criterion.framework_id == framework.id, Criterion.code.not_in(["DG1", "OD1"]))
        .order_by(Criterion.position)
    ).all()
    # Racine is one criterion short of silver (20 of 40); Boise met OD1 and shares it.
    for code in codes[:20]:
        _meet(analyst, home, code)
    _meet(peer, elsewhere, "OD1")
    services.set_sharing(db.session, peer, elsewhere, True)
    db.session.commit()
    return {
        "home": home,
        "analyst": analyst,
        "peer": peer,
        "coordinator": make_member(Role.COORDINATOR, display_name="Casey Coordinator"),
        "admin": make_member(Role.ADMIN, display_name="Alex Admin"),
    }


def test_a_city_meets_a_criterion_and_asks_a_peer_about_a_gap(
    page, browser, live_server, assert_accessible, people
):
    slug = people["home"].slug
    sign_in(page, people["analyst"].email)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Certification").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page, "benchmark overview")
    page.goto("/certification/OD1")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OD1")
    assert_accessible(page, "criterion page")

    page.goto(f"/cities/{slug}/assessment")
    expect(page.locator(".score-panel")).to_contain_text("20 of 40")
    expect(page.locator(".score-panel")).to_contain_text("Not certified")
    assert_accessible(page, "assessment overview")

    # Ticking one item of DG1 starts it; ticking enough meets it and reaches silver.
    page.goto(f"/cities/{slug}/assessment/DG1")
    expect(page.locator("#level-preview")).to_contain_text(
        "If DG1 is met: 52% of criteria, Silver."
    )
    assert_accessible(page, "assessment criterion, not started")
    boxes = page.locator("input[name=items]")
    boxes.nth(0).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Saved DG1")
    expect(page.locator(".status-pill")).to_have_text("In progress")
    expect(page.locator(".score-panel")).to_contain_text("Not certified")
    assert_accessible(page, "assessment criterion, in progress")
    for index in range(boxes.count()):
        boxes.nth(index).check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".flashes")).to_contain_text("Your score now reaches Silver.")
    expect(page.locator(".status-pill")).to_have_text("Met")
    expect(page.locator(".score-panel")).to_contain_text("21 of 40")
    expect(page.locator(".score-panel")).to_contain_text("Level reached: Silver")
    expect(page.locator("#level-preview")).to_contain_text(
        "If DG1 stopped being met: 50% of criteria, no level reached."
    )
    assert_accessible(page, "assessment criterion, met")

    # The dashboard shows the new score and, for the open gap OD1, the peer who met it.
    page.goto(f"/cities/{slug}/assessment/dashboard")
    expect(page.get_by_role("img", name="Criteria met by practice area")).to_be_visible()
    open_data = page.locator("details", has=page.locator("summary", has_text="Open Data"))
    if open_data.get_attribute("open") is None:
        open_data.locator("summary").click()
    ask = page.get_by_role("link", name="Ask Rafael Ortiz about OD1")
    expect(ask).to_be_visible()
    assert_accessible(page, "dashboard")
    ask.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ask Rafael Ortiz about OD1")
    assert_accessible(page, "ask a peer")
    page.get_by_label("Your question").fill("How did Boise pick its first open datasets?")
    page.get_by_label("Details").fill("We are drafting our release list and want to learn.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.locator(".flashes")).to_contain_text("Rafael Ortiz is told")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "How did Boise pick its first open datasets?"
    )
    expect(page.locator("main")).to_contain_text("OD1")
    assert_accessible(page, "the new thread")

    # The peer finds the question among their notifications.
    context = browser.new_context(base_url=live_server, locale="en-US")
    try:
        peer_page = context.new_page()
        sign_in(peer_page, people["peer"].email)
        peer_page.goto("/notifications")
        expect(peer_page.locator("main")).to_contain_text("Dana Whitfield")
    finally:
        context.close()


def test_coordinators_and_admins_pages_are_accessible(page, assert_accessible, people):
    sign_in(page, people["admin"].email)
    for path, label in (
        ("/certification/cohort", "cohort view"),
        ("/certification/insights", "program insights"),
        ("/certification/frameworks", "framework versions"),
    ):
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page, label)
    page.goto("/certification/cohort")
    expect(page.locator("main")).to_contain_text("Racine")
