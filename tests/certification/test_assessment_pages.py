"""A city's assessment pages as its members see them: the overview, a criterion's
checklist with the level preview, saving (and the conflict page), evidence, bad input,
and a bounded number of queries."""

import io
import re

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.factories import make_city, make_member
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.certification import services
from wwc_community.certification.models import (
    Assessment,
    ChecklistItem,
    Criterion,
    CriterionProgress,
    Evidence,
)
from wwc_community.extensions import db

pytestmark = pytest.mark.usefixtures("framework")

OVERVIEW = "/cities/springfield-il/assessment"
DG1 = f"{OVERVIEW}/DG1"


def item_ids(code: str) -> list[int]:
    return list(
        db.session.scalars(
            select(ChecklistItem.id)
            .join(Criterion, Criterion.id == ChecklistItem.criterion_id)
            .where(Criterion.code == code)
            .order_by(ChecklistItem.position)
        )
    )


def text_of(response) -> str:
    """The page's text with tags removed and spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)).split())


def version_in(response) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', response.get_data(as_text=True))[1]


def save(client, code: str, count: int, version: str, notes: str = ""):
    return post_form(
        client,
        f"{OVERVIEW}/{code}",
        {"items": [str(i) for i in item_ids(code)[:count]], "notes": notes, "version": version},
    )


def save_directly(member, city, code, count, version=0, notes=""):
    services.save_progress(db.session, member, city, code, item_ids(code)[:count], notes, version)
    db.session.commit()


@pytest.fixture
def practitioner(members, sign_in_as):
    sign_in_as("practitioner")
    return members["practitioner"]


def test_the_overview_of_an_empty_assessment_starts_nothing(client, practitioner):
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    page = text_of(response)
    assert "0% of criteria met (0 of 10)" in page
    assert "6 more criteria met would reach Silver" in page
    assert "Area DG" in page and "Area OD" in page
    assert "DG1 Criterion DG1 Not started 0 of 3 (2 needed) 0 Not yet" in page
    assert 'href="/cities/springfield-il/assessment/dashboard"' in response.get_data(as_text=True)
    assert "Let other members see which criteria we met (never notes or evidence)" in page
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_the_overview_shows_each_criterion_where_it_stands(client, practitioner, city):
    colleague = make_member(city=city, display_name="Dana Colleague")
    save_directly(colleague, city, "DG1", 2)
    save_directly(colleague, city, "DG2", 1)
    services.add_link_evidence(db.session, colleague, city, "DG2", "https://example.org/a", "")
    db.session.commit()
    page = text_of(client.get(OVERVIEW))
    assert "10% of criteria met (1 of 10)" in page
    assert "DG1 Criterion DG1 Met 2 of 3 (2 needed) 0 Dana Colleague," in page
    assert "DG2 Criterion DG2 In progress 1 of 3 (2 needed) 1 Dana Colleague," in page


def test_sharing_is_saved(client, practitioner, city):
    response = post_form(client, f"{OVERVIEW}/sharing", {"shares": "y"})
    assert response.status_code == 303
    page = text_of(client.get(OVERVIEW))
    assert "Other members can now see which criteria your city met." in page
    assert "Other members can see which criteria Springfield met." in page
    assert db.session.scalar(select(Assessment.shares_met_criteria))
    post_form(client, f"{OVERVIEW}/sharing", {})
    assert not db.session.scalar(select(Assessment.shares_met_criteria))


def test_the_criterion_page_offers_its_checklist_and_a_preview(client, practitioner):
    response = client.get(DG1)
    assert response.status_code == 200
    page = text_of(response)
    assert "DG1: Criterion DG1" in page
    assert "What DG1 asks of a city." in page
    assert "Evidence expected: A policy document and its adoption date." in page
    assert "Met when 2 of 3 items are ticked." in page
    assert "If DG1 is met: 10% of criteria, no level reached." in page
    assert "Item 1 of DG1" in page and "Item 3 of DG1" in page
    assert version_in(response) == "0"
    assert "Next criterion: DG2" in page
    assert "Previous criterion" not in page
    assert 'enctype="multipart/form-data"' in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Assessment)) == 0


def test_saving_a_criterion_until_it_is_met_and_reaches_a_level(client, practitioner, city):
    for code in ("DG1", "DG2", "DG3", "DG4", "DG5"):
        save_directly(practitioner, city, code, 2)
    page = text_of(client.get(f"{OVERVIEW}/OD1"))
    assert "If OD1 is met: 60% of criteria, Silver." in page

    response = save(client, "OD1", 1, "0", notes="Portal launched.")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/assessment/OD1")
    page = text_of(client.get(f"{OVERVIEW}/OD1"))
    assert "Saved OD1: in progress." in page
    assert "Ticked 1, changed the notes; in progress" in page

    response = save(client, "OD1", 2, "1", notes="Portal launched.")
    page = text_of(client.get(response.headers["Location"]))
    assert "Saved OD1: met." in page
    assert "Your score now reaches Silver." in page
    assert "60% of criteria met (6 of 10)" in page
    assert "If OD1 stopped being met: 50% of criteria, no level reached." in page


def test_a_second_save_from_an_old_form_shows_the_other_save(client, practitioner, city):
    drawn = client.get(DG1)
    colleague = make_member(city=city, display_name="Dana Colleague")
    save_directly(colleague, city, "DG1", 2, notes="Dana adopted the policy.")

    response = save(client, "DG1", 1, version_in(drawn), notes="My notes")
    assert response.status_code == 409
    page = text_of(response)
    assert "Someone else saved this criterion" in page
    assert "Dana Colleague saved DG1 at" in page
    assert "Dana adopted the policy." in page
    assert "My notes" not in page
    assert version_in(response) == "1"
    ticked = re.findall(r'value="(\d+)"[^>]*checked', response.get_data(as_text=True))
    assert ticked == [str(i) for i in item_ids("DG1")[:2]]

    # Saving again from the page shown works.
    again = save(client, "DG1", 3, version_in(response), notes="Both of ours.")
    assert again.status_code == 303
    assert db.session.scalar(select(CriterionProgress.notes)) == "Both of ours."


def test_bad_saves_are_refused_with_a_message(client, practitioner):
    response = post_form(
        client, DG1, {"items": [str(item_ids("DG2")[0])], "notes": "", "version": "0"}
    )
    assert response.status_code == 400
    assert "A ticked item is not on the checklist of DG1." in text_of(response)

    response = post_form(client, DG1, {"notes": "x" * 5001, "version": "0"})
    assert response.status_code == 400
    assert "Keep the notes under 5,000 characters." in text_of(response)

    response = post_form(client, DG1, {"notes": "", "version": "latest"})
    assert response.status_code == 400
    assert "without the version it was drawn from" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(CriterionProgress)) == 0


def test_an_unknown_criterion_is_not_found(client, practitioner):
    response = client.get(f"{OVERVIEW}/ZZ9")
    assert response.status_code == 404
    assert "There is no criterion ZZ9" in text_of(response)


def test_link_and_library_evidence(client, practitioner, organisation):
    response = post_form(
        client,
        f"{DG1}/evidence/link",
        {"url": "https://data.springfield.gov/policy", "label": "Open data policy"},
    )
    assert response.status_code == 303
    practice = make_practice(organisation, title="Data inventory toolkit")
    response = post_form(
        client, f"{DG1}/evidence/practice", {"practice": f"/library/{practice.slug}"}
    )
    assert response.status_code == 303
    page = client.get(DG1).get_data(as_text=True)
    assert 'href="https://data.springfield.gov/policy"' in page
    assert f'href="/library/{practice.slug}">Data inventory toolkit</a>' in page
    assert "In progress" in text_of(client.get(DG1))

    link_id = db.session.scalar(select(Evidence.id).where(Evidence.kind == "link"))
    response = post_form(client, f"{DG1}/evidence/{link_id}/delete")
    assert response.status_code == 303
    assert "Removed “Open data policy” from DG1." in text_of(client.get(DG1))
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 1


def test_bad_evidence_is_refused(client, practitioner, members):
    response = post_form(client, f"{DG1}/evidence/link", {"url": "ftp://example.org/x"})
    assert response.status_code == 400
    assert "Give a web address starting with https:// or http://." in text_of(response)

    response = post_form(client, f"{DG1}/evidence/practice", {"practice": "no-such-entry"})
    assert response.status_code == 400
    assert "Choose a published library entry" in text_of(response)

    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
    response = post_form(client, f"{DG1}/evidence/file", {"file": (io.BytesIO(png), "chart.png")})
    assert response.status_code == 400
    assert "This file looks like a PNG image." in text_of(response)

    program = b"MZ\x90\x00\x03" + b"\0" * 64
    response = post_form(
        client, f"{DG1}/evidence/file", {"file": (io.BytesIO(program), "setup.exe")}
    )
    assert response.status_code == 400
    assert "a Windows program" in text_of(response)
    assert db.session.scalar(select(func.count()).select_from(Evidence)) == 0

    other_city = make_city("Shelbyville", "IL", 65_000)
    theirs = services.add_link_evidence(
        db.session, members["coordinator"], other_city, "DG1", "https://example.org/", ""
    )
    db.session.commit()
    response = post_form(client, f"{DG1}/evidence/{theirs.id}/delete")
    assert response.status_code == 404
    assert client.get(f"{OVERVIEW}/evidence/{theirs.id}").status_code == 404


def test_file_evidence_is_uploaded_and_downloaded_by_the_city_only(app, client, practitioner, city):
    data = b"year,datasets\n2024,10\n2025,12\n"
    response = post_form(
        client, f"{DG1}/evidence/file", {"file": (io.BytesIO(data), "Datasets 2025.csv")}
    )
    assert response.status_code == 303
    page = client.get(DG1).get_data(as_text=True)
    evidence_id = db.session.scalar(select(Evidence.id))
    download = f"{OVERVIEW}/evidence/{evidence_id}"
    assert f'href="{download}"' in page

    response = client.get(download)
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert "Datasets 2025.csv" in response.headers["Content-Disposition"]
    response.close()

    outsider = make_member(city=make_city("Shelbyville", "IL", 65_000))
    other_client = app.test_client()
    sign_in(other_client, outsider.email)
    assert other_client.get(download).status_code == 403
    assert other_client.get(OVERVIEW).status_code == 403


def test_the_city_page_links_to_the_assessment_for_its_members(client, practitioner):
    page = client.get("/cities/springfield-il").get_data(as_text=True)
    assert "Certification self-assessment" in page


def test_no_active_framework_is_explained(client, practitioner):
    from wwc_community.certification.models import Framework

    db.session.execute(Framework.__table__.update().values(status="retired"))
    db.session.commit()
    response = client.get(OVERVIEW)
    assert response.status_code == 404
    assert "No certification framework is active yet." in text_of(response)


def test_the_overview_makes_as_many_queries_with_more_progress(client, practitioner, city):
    colleague = make_member(city=city)
    codes = ["DG1", "DG2", "DG3", "DG4", "DG5", "OD1", "OD2", "OD3", "OD4", "OD5"]
    for code in codes[:3]:
        save_directly(colleague, city, code, 2)
        services.add_link_evidence(db.session, colleague, city, code, "https://a.example/", "")
        db.session.commit()
    client.get(OVERVIEW)  # warm up
    with_three = queries_for(client, OVERVIEW)
    other = make_member(city=city)
    for code in codes[3:]:
        save_directly(other, city, code, 1)
        services.add_link_evidence(db.session, other, city, code, "https://b.example/", "")
        db.session.commit()
    assert queries_for(client, OVERVIEW) == with_three
