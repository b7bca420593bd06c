"""Attachments in a real browser: a partner attaches files to an entry with the form and
sees them listed, a refused file explains itself, a reader downloads one; every page is
checked with axe-core."""

import pytest

from tests.browser.steps import expect, sign_in
from tests.factories import make_member, make_organisation
from tests.fixtures.library import samples
from tests.library.factories import make_practice
from wwc_community.accounts.models import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def entry(live_app, tmp_path):
    """A published entry of a partner's organisation, and sample files on disk."""
    organisation = make_organisation("Civic Evidence Lab")
    partner = make_member(Role.PARTNER, organisation=organisation, display_name="Ana Ruiz")
    reader = make_member(Role.PRACTITIONER, display_name="Jordan Lee")
    practice = make_practice(organisation, title="Open data inventory guide", author=partner)
    guide = tmp_path / "Inventory guide.pdf"
    guide.write_bytes(samples.pdf_with_text("How to list every dataset your city holds"))
    contacts = tmp_path / "Contacts – Café.csv"
    contacts.write_text(samples.CSV_WITH_NAMES, encoding="utf-8")
    disguised = tmp_path / "budget.pdf"
    disguised.write_bytes(samples.HTML_PAGE)
    return {
        "partner": partner,
        "reader": reader,
        "practice": practice,
        "files": {"guide": guide, "contacts": contacts, "disguised": disguised},
    }


def test_a_partner_attaches_files_and_a_reader_downloads_one(page, assert_accessible, entry):
    files = entry["files"]
    sign_in(page, entry["partner"].email)
    page.goto(f"/library/{entry['practice'].slug}")
    section = page.locator("#attachments")
    expect(section).to_contain_text("No files are attached to this entry yet.")
    assert_accessible(page, "practice page with the upload form")

    page.get_by_label("File to attach").set_input_files(str(files["guide"]))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".flashes")).to_contain_text("“Inventory guide.pdf” is attached.")
    page.get_by_label("File to attach").set_input_files(str(files["contacts"]))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".flashes")).to_contain_text("“Contacts – Café.csv” is attached.")
    expect(section).to_contain_text("Inventory guide.pdf (PDF document,")
    expect(section).to_contain_text("Contacts – Café.csv (CSV table,")

    page.get_by_label("File to attach").set_input_files(str(files["disguised"]))
    page.get_by_role("button", name="Attach the file").click()
    expect(page.locator(".flashes")).to_contain_text("This file looks like an HTML page.")
    expect(section.get_by_role("listitem")).to_have_count(2)
    assert_accessible(page, "practice page with attachments and a refusal")

    page.get_by_role("button", name="Remove Contacts – Café.csv").click()
    expect(page.locator(".flashes")).to_contain_text("“Contacts – Café.csv” is removed.")
    expect(section.get_by_role("listitem")).to_have_count(1)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, entry["reader"].email)
    page.goto(f"/library/{entry['practice'].slug}")
    expect(section.get_by_label("File to attach")).to_have_count(0)
    assert_accessible(page, "practice page as a reader")
    with page.expect_download() as started:
        section.get_by_role("link", name="Download Inventory guide.pdf").click()
    download = started.value
    assert download.suggested_filename == "Inventory guide.pdf"
    assert download.path().read_bytes() == files["guide"].read_bytes()
