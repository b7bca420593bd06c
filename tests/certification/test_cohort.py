"""The coordinators' cohort view: every city's score, level and progress per area, the
criteria most often unmet, the level distribution, paging, sorting, the CSV export,
and a query count that does not grow with the cities."""

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.certification.factories import make_framework
from tests.factories import make_city
from tests.query_counts import queries_for
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    CriterionProgress,
    ProgressStatus,
)
from wwc_community.core.database import utcnow
from wwc_community.extensions import db

PAGE = "/certification/cohort"


def assess(framework, city, met=(), started=()):
    """An assessment of `city` with the criteria coded in `met` met and those in
    `started` in progress (rows made directly: the view only reads them)."""
    criteria = {
        criterion.code: criterion
        for criterion in db.session.scalars(
            select(Criterion).where(Criterion.framework_id == framework.id)
        )
    }
    assessment = Assessment(city_id=city.id, framework_id=framework.id, met_count=len(met))
    db.session.add(assessment)
    db.session.flush()
    for code in met:
        db.session.add(
            CriterionProgress(
                assessment_id=assessment.id,
                criterion_id=criteria[code].id,
                status=ProgressStatus.MET,
                met_at=utcnow(),
            )
        )
    for code in started:
        db.session.add(
            CriterionProgress(
                assessment_id=assessment.id,
                criterion_id=criteria[code].id,
                status=ProgressStatus.IN_PROGRESS,
            )
        )
    db.session.commit()
    return assessment


@pytest.fixture
def coordinator(client, members, sign_in_as):
    sign_in_as("coordinator")
    return client


@pytest.fixture
def three_cities(framework, city):
    """Springfield at gold (7 of 10), Tacoma at silver (6), Boise with nothing met (2
    started): DG5 and OD5 are met by nobody, OD4 by one city."""
    springfield = assess(framework, city, met=["DG1", "DG2", "DG3", "DG4", "OD1", "OD2", "OD3"])
    tacoma = assess(
        framework,
        make_city("Tacoma", "WA", 219_346),
        met=["DG1", "DG2", "DG3", "OD1", "OD2", "OD4"],
    )
    boise = assess(framework, make_city("Boise", "ID", 235_684), started=["DG1", "OD1"])
    return springfield, tacoma, boise


def rows_of(page: str) -> list[str]:
    """The city names in the cohort table, in order."""
    table = page.split('<section aria-labelledby="cities-heading">')[1].split("</table>")[0]
    return [
        cell.split('">', 1)[1].split("</a>")[0]
        for cell in table.split('<th scope="row"><a href="/cities/')[1:]
    ]


def test_the_cohort_lists_each_city_with_score_level_and_area_progress(coordinator, three_cities):
    response = coordinator.get(PAGE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>Certification cohort</h1>" in page
    assert "Cities (3)" in page
    # By score, highest first.
    assert rows_of(page) == ["Springfield", "Tacoma", "Boise"]
    assert 'href="/cities/springfield-il/assessment"' in page
    assert '70% <span class="muted">(7/10)</span>' in page
    assert '60% <span class="muted">(6/10)</span>' in page
    assert '0% <span class="muted">(0/10)</span>' in page
    springfield_row = page.split("springfield-il/assessment")[1].split("</tr>")[0]
    assert "<td>Gold</td>" in springfield_row
    assert ">4/5</td>" in springfield_row and ">3/5</td>" in springfield_row
    assert "100,000 to 250,000" in springfield_row
    tacoma_row = page.split("tacoma-wa/assessment")[1].split("</tr>")[0]
    assert "<td>Silver</td>" in tacoma_row
    assert ">3/5</td>" in tacoma_row
    boise_row = page.split("boise-id/assessment")[1].split("</tr>")[0]
    assert "<td>Not certified</td>" in boise_row
    assert boise_row.count(">0/5</td>") == 2


def test_sorting_by_name(coordinator, three_cities):
    page = coordinator.get(f"{PAGE}?sort=name").get_data(as_text=True)
    assert rows_of(page) == ["Boise", "Springfield", "Tacoma"]
    assert 'aria-current="true">City name</a>' in page
    # Anything else sorts by score.
    page = coordinator.get(f"{PAGE}?sort=whatever").get_data(as_text=True)
    assert rows_of(page) == ["Springfield", "Tacoma", "Boise"]


def test_the_criteria_most_often_unmet_come_first_with_the_cities_missing_them(
    coordinator, three_cities
):
    page = coordinator.get(PAGE).get_data(as_text=True)
    section = page.split('id="unmet-heading"')[1].split("</section>")[0]
    codes = [part.split('"')[0] for part in section.split('<a href="/certification/')[1:]]
    # Met by nobody: DG5, OD5; by one city: DG4, OD3, OD4; by two: the rest. Ties in
    # framework order.
    assert codes == ["DG5", "OD5", "DG4", "OD3", "OD4", "DG1", "DG2", "DG3", "OD1", "OD2"]
    dg5 = section.split('href="/certification/DG5"')[1].split("</tr>")[0]
    assert "Criterion DG5" in dg5
    assert ">3 of 3</td>" in dg5
    od4 = section.split('href="/certification/OD4"')[1].split("</tr>")[0]
    assert ">2 of 3</td>" in od4


def test_a_criterion_every_city_met_is_not_a_gap(coordinator, framework, city):
    assess(framework, city, met=["DG1", "DG2"])
    assess(framework, make_city("Tacoma", "WA", 219_346), met=["DG1"])
    page = coordinator.get(PAGE).get_data(as_text=True)
    section = page.split('id="unmet-heading"')[1].split("</section>")[0]
    assert 'href="/certification/DG1"' not in section
    assert ">1 of 2</td>" in section.split('href="/certification/DG2"')[1].split("</tr>")[0]


def test_only_ten_criteria_are_listed_as_most_often_unmet(coordinator, framework, city):
    many = make_framework(areas=("AA", "BB", "CC"), activate=True)
    assess(many, city)
    page = coordinator.get(PAGE).get_data(as_text=True)
    section = page.split('id="unmet-heading"')[1].split("</section>")[0]
    assert section.count('<a href="/certification/') == 10


def test_the_level_distribution_counts_cities_per_level(coordinator, three_cities):
    page = coordinator.get(PAGE).get_data(as_text=True)
    section = page.split('id="levels-heading"')[1].split("</section>")[0]
    counts = {
        level: section.split(f'<th scope="row">{level}</th><td class="number">')[1].split("<")[0]
        for level in ("Not certified", "Silver", "Gold", "Platinum")
    }
    assert counts == {"Not certified": "1", "Silver": "1", "Gold": "1", "Platinum": "0"}


def test_without_assessments_the_page_says_so(coordinator, framework):
    page = coordinator.get(PAGE).get_data(as_text=True)
    assert "No city has started an assessment against this version yet" in page
    assert "<table" not in page


def test_without_an_active_framework_the_page_says_so(coordinator):
    page = coordinator.get(PAGE).get_data(as_text=True)
    assert "No certification framework is active yet" in page
    assert coordinator.get(f"{PAGE}.csv").status_code == 404


def test_assessments_of_a_retired_version_are_not_in_the_cohort(coordinator, framework, city):
    assess(framework, city, met=["DG1"])
    make_framework(version="next-1")
    page = coordinator.get(PAGE).get_data(as_text=True)
    assert "No city has started an assessment against this version yet" in page


def test_fifty_cities_per_page(coordinator, framework):
    for number in range(51):
        assess(framework, make_city(f"Town {number:02d}", "TX", 40_000))
    first = coordinator.get(f"{PAGE}?sort=name").get_data(as_text=True)
    assert len(rows_of(first)) == 50
    assert "Showing 1–50 of 51 cities" in first
    second = coordinator.get(f"{PAGE}?sort=name&page=2").get_data(as_text=True)
    assert rows_of(second) == ["Town 50"]


def test_last_updated_is_the_latest_save(coordinator, framework, city):
    assessment = assess(framework, city, met=["DG1"])
    assessment.updated_at = utcnow() - timedelta(days=400)
    progress = db.session.scalar(select(CriterionProgress))
    progress.updated_at = utcnow().replace(year=2031, month=3, day=14)
    db.session.commit()
    page = coordinator.get(PAGE).get_data(as_text=True)
    assert "Mar 14, 2031" in page


def test_the_query_count_does_not_grow_with_the_cities(coordinator, framework, city):
    assess(framework, city, met=["DG1", "OD2"])
    for number in range(2):
        assess(framework, make_city(f"Town {number}", "OR", 50_000), met=["DG2"])
    with_three = queries_for(coordinator, PAGE)
    for number in range(2, 11):
        assess(framework, make_city(f"Town {number}", "OR", 50_000), met=["DG1"], started=["OD1"])
    with_twelve = queries_for(coordinator, PAGE)
    assert with_twelve == with_three
    assert with_three <= 14


def test_the_csv_has_every_city_with_one_column_per_area(coordinator, three_cities):
    response = coordinator.get(f"{PAGE}.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    assert ".csv" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "City",
        "State",
        "Population band",
        "Score (%)",
        "Criteria met",
        "Criteria",
        "Level",
    ]
    assert rows[0][7:9] == ["DG: Area DG (of 5)", "OD: Area OD (of 5)"]
    assert rows[0][9] == "Last updated"
    assert rows[1][:9] == [
        "Springfield",
        "IL",
        "100,000 to 250,000",
        "70.0",
        "7",
        "10",
        "Gold",
        "4",
        "3",
    ]
    assert [row[0] for row in rows[1:]] == ["Springfield", "Tacoma", "Boise"]


def test_the_csv_neutralises_formulas(coordinator, framework):
    assess(framework, make_city("=HYPERLINK(1)", "IL", 50_000, slug="formula-city"))
    rows = list(
        csv.reader(io.StringIO(coordinator.get(f"{PAGE}.csv").get_data().decode("utf-8-sig")))
    )
    assert rows[1][0] == "'=HYPERLINK(1)"


def test_the_csv_has_all_rows_beyond_one_page(coordinator, framework):
    for number in range(55):
        assess(framework, make_city(f"Town {number:02d}", "TX", 40_000))
    text = coordinator.get(f"{PAGE}.csv").get_data().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 56


@pytest.mark.parametrize("role", ["practitioner", "partner"])
def test_members_who_are_not_coordinators_are_refused(client, members, sign_in_as, role, framework):
    sign_in_as(role)
    assert client.get(PAGE).status_code == 403
    assert client.get(f"{PAGE}.csv").status_code == 403


def test_admins_see_the_cohort(client, members, sign_in_as, three_cities):
    sign_in_as("admin")
    assert "Cities (3)" in client.get(PAGE).get_data(as_text=True)
