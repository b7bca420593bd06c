"""The library from end to end in a real browser: a partner writes, attaches a file to,
previews and publishes an entry; a practitioner finds it with two filters, downloads the
file, marks it helpful with the keyboard and records their city's adaptation. axe-core
checks every page a person works on along the way."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_city, make_member, make_organisation, make_topic
from tests.fixtures.library import samples
from tests.library.factories import make_practice
from wwc_community.accounts.models import Role

pytestmark = pytest.mark.browser

TITLE = "Publishing 311 requests every night"


@pytest.fixture
def people(live_app, tmp_path):
    """A partner of an organisation, a practitioner of a city, two topics, and entries
    the filters must leave out: one on the same topic of another type, one of the same
    type on another topic."""
    lab = make_organisation("Civic Evidence Lab")
    open_data = make_topic("Open Data")
    procurement = make_topic("Procurement")
    make_practice(lab, title="An open data inventory guide", kind="guide", topics=[open_data])
    make_practice(
        make_organisation("Open Procurement Lab"),
        title="Outcome-based contracts for job training",
        kind="case_study",
        topics=[procurement],
    )
    guide = tmp_path / "311 nightly export.pdf"
    guide.write_bytes(samples.pdf_with_text("Export the requests, then publish them."))
    return {
        "partner": make_member(Role.PARTNER, organisation=lab, display_name="Ana Ruiz"),
        "practitioner": make_member(
            Role.PRACTITIONER,
            city=make_city("Springfield", "IL", 114_394),
            display_name="Jordan Lee",
        ),
        "file": guide,
    }


def test_an_entry_goes_from_a_partner_s_draft_to_a_city_s_adaptation(
    page, assert_accessible, people
):
    # The partner writes a draft.
    sign_in(page, people["partner"].email)
    page.goto("/library/new")
    expect(page.get_by_role("heading", name="New library entry")).to_be_visible()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind of entry").select_option(label="Case study")
    page.get_by_label("Summary").fill("Cities publish every 311 request as open data.")
    page.get_by_label("Open Data").check()
    page.get_by_label("The practice in full").fill("## Steps\n\nExport, then **publish**.")
    page.get_by_label("Evaluation design").select_option(label="Before and after (pre/post)")
    page.get_by_label("Measure of result 1").fill("Days to close a request")
    page.get_by_label("Unit of result 1").fill("days")
    page.get_by_label("Baseline value of result 1").fill("12")
    page.get_by_label("Result value of result 1").fill("7")
    assert_accessible(page, "new entry form, filled in")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("note")).to_contain_text("This is a draft")

    # ...attaches a PDF to it...
    attachments = page.locator("#attachments")
    page.get_by_label("File to attach").set_input_files(str(people["file"]))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".flashes")).to_contain_text("“311 nightly export.pdf” is attached.")
    expect(attachments).to_contain_text("311 nightly export.pdf (PDF document,")

    # ...previews it from the edit form...
    page.get_by_role("link", name="Edit this entry").click()
    assert_accessible(page, "edit form of the draft")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview of the entry’s page")).to_be_visible()
    expect(page.locator(".preview")).to_contain_text("Export, then publish.")
    expect(page.locator(".preview table")).to_contain_text("−5 days")
    assert_accessible(page, "edit form with a preview")
    page.get_by_role("button", name="Save the draft").click()

    # ...and publishes it.
    page.get_by_role("button", name="Publish this entry").click()
    expect(page.locator(".flashes")).to_contain_text("The entry is published.")
    expect(page.get_by_text("This is a draft")).to_have_count(0)
    expect(page.get_by_role("main")).to_contain_text("Promising")
    expect(attachments.get_by_role("link", name="Download 311 nightly export.pdf")).to_be_visible()
    assert_accessible(page, "published practice page, partner")
    page.get_by_role("button", name="Sign out").click()

    # A practitioner narrows the library to Open Data case studies.
    sign_in(page, people["practitioner"].email)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.get_by_role("heading", level=1, name="Library")).to_be_visible()
    page.get_by_label("Topic").select_option(label="Open Data")
    page.get_by_label("Type").select_option(label="Case study")
    page.get_by_label("Sort by").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Show entries")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".filter-summary")).to_contain_text(
        "Showing case studies on Open Data, newest first."
    )
    expect(page.get_by_label("Topic")).to_have_value("open-data")
    expect(page.get_by_label("Type")).to_have_value("case_study")
    expect(page.locator(".practice-card")).to_have_count(1)
    expect(page.get_by_role("link", name="An open data inventory guide")).to_have_count(0)
    expect(page.get_by_role("link", name="Outcome-based contracts for job training")).to_have_count(
        0
    )
    assert_accessible(page, "library list, filtered by topic and type")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # ...downloads the attached file, byte for byte...
    with page.expect_download() as started:
        attachments.get_by_role("link", name="Download 311 nightly export.pdf").click()
    download = started.value
    assert download.suggested_filename == "311 nightly export.pdf"
    assert download.path().read_bytes() == people["file"].read_bytes()

    # ...marks it helpful with the keyboard...
    members = page.locator("#members")
    expect(members).to_contain_text("No member has marked this entry helpful yet.")
    page.get_by_role("button", name="Mark as helpful").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text("you marked this entry helpful")
    expect(members).to_contain_text("Useful to 1 member in 1 city.")
    expect(members.get_by_role("button", name="Take back your helpful mark")).to_be_visible()

    # ...and records what Springfield adapted.
    expect(members).to_contain_text("No city has recorded an adaptation yet.")
    page.get_by_role("link", name="Record that Springfield adapted this").click()
    assert_accessible(page, "adaptation form")
    page.get_by_label("Piloting").check()
    page.get_by_label("What your city changed").fill("Only requests about *potholes* at first.")
    page.get_by_role("button", name="Save Springfield's adaptation").click()
    expect(page.locator(".flashes")).to_contain_text("Springfield's adaptation is recorded.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    log = page.locator("section[aria-labelledby='adaptations-heading']")
    expect(log.get_by_role("link", name="Springfield, IL")).to_be_visible()
    expect(log.locator(".adaptation").first).to_contain_text("Piloting")
    expect(log.locator(".adaptation").first).to_contain_text("Only requests about potholes")
    expect(members).to_contain_text("Useful to 1 member in 1 city.")
    assert_accessible(page, "practice page after marking helpful and adapting")
