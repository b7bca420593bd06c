"""A city's certification dashboard: progress by area (chart and table), progress over
time, and the open gaps with the entries, threads, events and peers that help."""

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import insert, select

from tests.certification.factories import make_framework
from tests.discussions.factories import make_thread
from tests.events.factories import make_event
from tests.factories import make_city, make_member
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.certification import dashboard, services
from wwc_community.certification.frameworks import OPERATOR, retire_framework
from wwc_community.certification.models import (
    ChecklistItem,
    Criterion,
    CriterionProgress,
    ScoreSnapshot,
    event_criterion,
    practice_criterion,
    thread_criterion,
)
from wwc_community.core.database import utcnow
from wwc_community.extensions import db

SVG = "{http://www.w3.org/2000/svg}"


# Helpers --------------------------------------------------------------------------------


def items_of(code: str) -> list[int]:
    framework = services.require_active_framework(db.session)
    return list(
        db.session.scalars(
            select(ChecklistItem.id)
            .join(Criterion, Criterion.id == ChecklistItem.criterion_id)
            .where(Criterion.framework_id == framework.id, Criterion.code == code)
            .order_by(ChecklistItem.position)
        )
    )


def version_of(city, code: str) -> int:
    framework = services.require_active_framework(db.session)
    assessment = services.assessment_of(db.session, city, framework)
    if assessment is None:
        return 0
    criterion = services.criterion_in(db.session, framework, code)
    progress = services.progress_of(db.session, assessment, criterion)
    return progress.version if progress else 0


def tick(member, city, code: str, count: int) -> None:
    """Tick the first `count` checklist items of `code` (2 of 3 meet it)."""
    services.save_progress(
        db.session, member, city, code, items_of(code)[:count], "", version_of(city, code)
    )
    db.session.commit()


def meet(member, city, *codes: str) -> None:
    for code in codes:
        tick(member, city, code, 2)


def criterion_id(code: str) -> int:
    framework = services.require_active_framework(db.session)
    return services.criterion_in(db.session, framework, code).id


def tag(table, owner_id: int, code: str) -> None:
    owner_column = next(column.name for column in table.c if column.name != "criterion_id")
    db.session.execute(
        insert(table).values({owner_column: owner_id, "criterion_id": criterion_id(code)})
    )
    db.session.commit()


def peer_city(name: str, *codes: str, shares: bool = True, peer_name: str = "Dana Peer"):
    """Another city whose member met `codes`, sharing its met criteria (unless told)."""
    other = make_city(name, "IL", 70_000)
    peer = make_member(city=other, display_name=peer_name)
    meet(peer, other, *codes)
    services.set_sharing(db.session, peer, other, shares)
    db.session.commit()
    return other, peer


def page_of(client, city) -> str:
    response = client.get(f"/cities/{city.slug}/assessment/dashboard")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.get_data(as_text=True)


def svgs_in(html: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", html, re.S)]


def svg_texts(svg: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in svg.iter(f"{SVG}text")]


def table_rows(html: str, caption: str) -> list[list[str]]:
    """The body rows of the table with this caption, as cell texts."""
    table = re.search(
        rf"<table[^>]*>\s*<caption>{re.escape(caption)}</caption>(.*?)</table>", html, re.S
    )
    assert table, f"no table captioned {caption}"
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(1), re.S).group(1)
    return [
        [
            unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def practitioner(members):
    return members["practitioner"]


# The data functions ---------------------------------------------------------------------


def test_area_progress_counts_met_in_progress_and_not_started_per_area(
    framework, city, practitioner
):
    meet(practitioner, city, "DG1", "DG2", "OD5")
    tick(practitioner, city, "DG3", 1)
    assessment = services.assessment_of(db.session, city, framework)

    rows = dashboard.area_progress(db.session, framework, assessment)

    assert [
        (row.area.code, row.met, row.in_progress, row.not_started, row.total) for row in rows
    ] == [
        ("DG", 2, 1, 2, 5),
        ("OD", 1, 0, 4, 5),
    ]
    assert [row.percent_label for row in rows] == ["40%", "20%"]


def test_area_progress_without_an_assessment_counts_every_criterion_as_not_started(
    framework,
):
    rows = dashboard.area_progress(db.session, framework, None)
    assert [(row.met, row.in_progress, row.not_started, row.total) for row in rows] == [
        (0, 0, 5, 5),
        (0, 0, 5, 5),
    ]


def test_area_progress_ignores_other_cities_progress(framework, city, practitioner):
    other, _ = peer_city("Shelbyville", "DG1", "OD1")
    meet(practitioner, city, "OD2")
    assessment = services.assessment_of(db.session, city, framework)
    rows = dashboard.area_progress(db.session, framework, assessment)
    assert [(row.met, row.total) for row in rows] == [(0, 5), (1, 5)]


def test_open_gaps_are_the_criteria_not_met_in_framework_order(framework, city, practitioner):
    meet(practitioner, city, "DG1", "OD2")
    tick(practitioner, city, "DG2", 1)
    assessment = services.assessment_of(db.session, city, framework)

    gaps = dashboard.open_gaps(db.session, framework, assessment)

    assert [gap.criterion.code for gap in gaps] == [
        "DG2", "DG3", "DG4", "DG5", "OD1", "OD3", "OD4", "OD5",
    ]  # fmt: skip
    assert gaps[0].status == "in_progress" and gaps[0].progress is not None
    assert gaps[1].status == "not_started" and gaps[1].progress is None
    groups = dashboard.group_gaps(gaps)
    assert [(group.area.code, len(group.gaps)) for group in groups] == [("DG", 4), ("OD", 4)]


def test_score_history_is_every_change_oldest_first(framework, city, practitioner):
    assert dashboard.score_history(db.session, None) == []
    meet(practitioner, city, "DG1", "DG2")
    tick(practitioner, city, "DG1", 1)
    assessment = services.assessment_of(db.session, city, framework)
    assert [snapshot.met_count for snapshot in dashboard.score_history(db.session, assessment)] == [
        1,
        2,
        1,
    ]


# The page -------------------------------------------------------------------------------


def test_member_sees_score_link_back_and_area_chart_with_the_tables_numbers(
    framework, city, practitioner, sign_in_as, client
):
    meet(practitioner, city, "DG1", "DG2", "OD1")
    tick(practitioner, city, "OD2", 1)
    sign_in_as("practitioner")

    html = page_of(client, city)

    assert "<h1>Certification dashboard: Springfield, IL</h1>" in html
    assert 'id="score-heading"' in html and "(3 of 10)" in html
    assert f'href="/cities/{city.slug}/assessment"' in html
    area_svg = svgs_in(html)[0]
    assert area_svg.get("role") == "img"
    title_id, desc_id = area_svg.get("aria-labelledby").split()
    assert area_svg.find(f"{SVG}title").get("id") == title_id
    assert area_svg.find(f"{SVG}desc").get("id") == desc_id
    assert "Area DG: 2 of 5 met (40%)" in area_svg.find(f"{SVG}desc").text
    rows = table_rows(html, "Criteria by practice area and status")
    assert rows == [
        ["Area DG", "2", "0", "3", "5", "40%"],
        ["Area OD", "1", "1", "3", "5", "20%"],
    ]
    assert svg_texts(area_svg) == [
        text
        for name, met, _, _, total, percent in rows
        for text in (name, f"{met} of {total} met ({percent})")
    ]


def test_page_has_no_scripts_or_inline_styles(framework, city, practitioner, sign_in_as, client):
    meet(practitioner, city, "DG1")
    sign_in_as("practitioner")
    html = page_of(client, city)
    main = html.split("<main", 1)[1]
    assert "<script" not in main
    assert " style=" not in main


def test_progress_over_time_shows_a_chart_and_a_table_of_the_snapshots(
    framework, city, practitioner, sign_in_as, client
):
    meet(practitioner, city, "DG1", "DG2", "DG3", "DG4", "DG5", "OD1")
    sign_in_as("practitioner")

    html = page_of(client, city)

    history_svg = svgs_in(html)[1]
    assert (
        history_svg.find(f"{SVG}title").text == "Share of criteria met over time, Springfield, IL"
    )
    labels = svg_texts(history_svg)
    assert {"Silver 51%", "Gold 67%", "Platinum 84%", "60%"} <= set(labels)
    rows = table_rows(html, "Each change of the score, oldest first")
    assert [row[1:] for row in rows] == [
        ["1 of 10", "10%", "Not certified"],
        ["2 of 10", "20%", "Not certified"],
        ["3 of 10", "30%", "Not certified"],
        ["4 of 10", "40%", "Not certified"],
        ["5 of 10", "50%", "Not certified"],
        ["6 of 10", "60%", "Silver"],
    ]
    assert len(list(history_svg.iter(f"{SVG}circle"))) == len(rows)


def test_progress_over_time_with_one_snapshot(framework, city, practitioner, sign_in_as, client):
    meet(practitioner, city, "OD3")
    sign_in_as("practitioner")
    html = page_of(client, city)
    history_svg = svgs_in(html)[1]
    assert len(list(history_svg.iter(f"{SVG}circle"))) == 1
    assert [row[1:] for row in table_rows(html, "Each change of the score, oldest first")] == [
        ["1 of 10", "10%", "Not certified"]
    ]


def test_before_any_change_progress_over_time_is_a_sentence_not_an_empty_chart(
    framework, city, sign_in_as, client
):
    sign_in_as("practitioner")
    html = page_of(client, city)
    assert "No score changes yet" in html
    assert len(svgs_in(html)) == 1
    assert "Each change of the score" not in html
    assert table_rows(html, "Criteria by practice area and status")[0] == [
        "Area DG", "0", "0", "5", "5", "0%",
    ]  # fmt: skip


def test_open_gaps_are_grouped_by_area_and_link_to_their_criterion(
    framework, city, practitioner, sign_in_as, client
):
    meet(practitioner, city, "DG1", "OD1", "OD2", "OD3", "OD4")
    tick(practitioner, city, "DG2", 1)
    sign_in_as("practitioner")

    html = page_of(client, city)

    assert "5 criteria not met yet" in html
    assert "Area DG: 4 open gaps" in html
    assert "Area OD: 1 open gap<" in html
    assert f'href="/cities/{city.slug}/assessment/DG2">DG2: Criterion DG2</a>' in html
    assert f'href="/cities/{city.slug}/assessment/DG1"' not in html
    gap = html.split('id="gap-DG2"', 1)[1].split("</li>", 1)[0]
    assert "In progress" in gap
    assert "Nothing is tagged with DG2 yet" in gap


def test_a_city_that_met_everything_has_no_open_gaps(
    framework, city, practitioner, sign_in_as, client
):
    meet(practitioner, city, *[f"{area}{n}" for area in ("DG", "OD") for n in range(1, 6)])
    sign_in_as("practitioner")
    html = page_of(client, city)
    assert "There are no open gaps." in html
    assert "Platinum" in html


def test_a_gap_lists_tagged_entries_threads_events_and_peers_with_an_ask_button(
    framework, city, organisation, practitioner, sign_in_as, client
):
    meet(practitioner, city, "DG1")
    other, peer = peer_city("Shelbyville", "DG2", peer_name="Dana <Peer>")
    practice = make_practice(organisation, title="Open data & inventories guide")
    thread = make_thread(peer, title="How did you write your data inventory policy?")
    event = make_event(title="Data inventory office hours", is_public=True)
    past = make_event(title="Last years workshop", starts_at=utcnow() - timedelta(days=30))
    tag(practice_criterion, practice.id, "DG2")
    tag(thread_criterion, thread.id, "DG2")
    tag(event_criterion, event.id, "DG2")
    tag(event_criterion, past.id, "DG2")
    sign_in_as("practitioner")

    html = page_of(client, city)

    gap = html.split('id="gap-DG2"', 1)[1].split('<li class="gap"', 1)[0]
    assert f'href="/library/{practice.slug}">Open data &amp; inventories guide</a>' in gap
    assert f'href="/discussions/{thread.id}-{thread.slug}">' in gap
    assert "How did you write your data inventory policy?" in gap
    assert f'href="/events/{event.slug}">Data inventory office hours</a>' in gap
    assert "Last years workshop" not in gap
    assert f'href="/people/{peer.handle}">Dana &lt;Peer&gt;</a>, Analyst' in gap
    assert "Shelbyville, IL" in gap
    assert f'href="/certification/DG2/ask/{peer.handle}">Ask Dana &lt;Peer&gt; about DG2</a>' in gap
    # Only the gap it is tagged with lists it.
    other_gap = html.split('id="gap-DG3"', 1)[1].split('<li class="gap"', 1)[0]
    assert "Open data &amp; inventories guide" not in other_gap
    assert "Ask Dana" not in other_gap


def test_peers_come_only_from_cities_that_share_and_never_from_the_own_city(
    framework, city, practitioner, sign_in_as, client
):
    peer_city("Shelbyville", "DG2", shares=False, peer_name="Quiet Peer")
    colleague = make_member(city=city, display_name="Own Colleague")
    meet(colleague, city, "DG3")
    services.set_sharing(db.session, colleague, city, True)
    db.session.commit()
    sign_in_as("practitioner")
    html = page_of(client, city)
    assert "Quiet Peer" not in html
    assert "Ask Own Colleague" not in html


def test_at_most_three_of_each_kind_per_gap(
    framework, city, organisation, practitioner, sign_in_as, client
):
    for number in range(5):
        _, peer = peer_city(f"Peer Town {number}", "OD1", peer_name=f"Peer Person {number}")
        tag(practice_criterion, make_practice(organisation).id, "OD1")
    sign_in_as("practitioner")
    html = page_of(client, city)
    gap = html.split('id="gap-OD1"', 1)[1].split('<li class="gap"', 1)[0]
    assert gap.count("/ask/") == 3
    assert gap.count('href="/library/') == 3


# Who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["practitioner", "coordinator", "admin"])
def test_own_members_and_coordinators_open_the_dashboard(framework, city, sign_in_as, client, role):
    sign_in_as(role)
    assert client.get(f"/cities/{city.slug}/assessment/dashboard").status_code == 200


def test_members_of_another_city_are_refused(framework, sign_in_as, client):
    other = make_city("Shelbyville", "IL", 70_000)
    sign_in_as("practitioner")
    response = client.get(f"/cities/{other.slug}/assessment/dashboard")
    assert response.status_code == 403
    assert "Only members from Shelbyville" in response.get_data(as_text=True)


def test_partners_are_refused(framework, city, sign_in_as, client):
    sign_in_as("partner")
    assert client.get(f"/cities/{city.slug}/assessment/dashboard").status_code == 403


def test_visitors_are_sent_to_sign_in(framework, city, client):
    response = client.get(f"/cities/{city.slug}/assessment/dashboard")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_an_unknown_city_is_not_found(framework, sign_in_as, client):
    sign_in_as("coordinator")
    assert client.get("/cities/atlantis-xx/assessment/dashboard").status_code == 404


def test_without_an_active_framework_the_page_says_so(city, sign_in_as, client):
    framework = make_framework()
    retire_framework(db.session, OPERATOR, framework)
    db.session.commit()
    sign_in_as("practitioner")
    response = client.get(f"/cities/{city.slug}/assessment/dashboard")
    assert response.status_code == 404
    assert "No certification framework is active yet" in response.get_data(as_text=True)


# Bounded queries ------------------------------------------------------------------------


def _helpful_things_for(code: str, organisation, author) -> None:
    """A tagged entry, thread and upcoming event for `code`, and a city to ask about it."""
    tag(practice_criterion, make_practice(organisation).id, code)
    tag(thread_criterion, make_thread(author).id, code)
    tag(event_criterion, make_event(is_public=True).id, code)


def test_query_count_does_not_grow_with_gaps_snapshots_or_areas(
    app, city, organisation, members, sign_in_as, client
):
    practitioner = members["practitioner"]
    sign_in_as("practitioner")

    # Small: one area of two criteria, one met, one snapshot, one gap with one of each.
    make_framework(areas=("DG",), criteria_per_area=2)
    meet(practitioner, city, "DG1")
    peer_city("Shelbyville", "DG2")
    _helpful_things_for("DG2", organisation, practitioner)
    small = queries_for(client, f"/cities/{city.slug}/assessment/dashboard")

    # Large: four areas of five criteria, many snapshots, many gaps, each with helpers.
    make_framework(areas=("DG", "OD", "PA", "EV"), criteria_per_area=5)
    meet(practitioner, city, "DG1", "OD1", "PA1")
    for _ in range(3):
        tick(practitioner, city, "EV1", 1)
        tick(practitioner, city, "EV1", 2)
    tick(practitioner, city, "DG2", 1)
    codes = ["DG2", "DG3", "OD2", "OD3", "PA2", "EV2", "EV3"]
    for number, code in enumerate(codes):
        peer_city(f"Peer Town {number}", code, "DG4", peer_name=f"Peer Person {number}")
        _helpful_things_for(code, organisation, practitioner)
    assessment = services.assessment_of(
        db.session, city, services.require_active_framework(db.session)
    )
    assert (
        db.session.scalar(
            select(db.func.count())
            .select_from(ScoreSnapshot)
            .where(ScoreSnapshot.assessment_id == assessment.id)
        )
        == 8
    )
    assert (
        db.session.scalar(
            select(db.func.count())
            .select_from(CriterionProgress)
            .where(CriterionProgress.assessment_id == assessment.id)
        )
        == 5
    )
    large = queries_for(client, f"/cities/{city.slug}/assessment/dashboard")

    assert large == small, (small, large)
    assert small <= 20, small
    html = page_of(client, city).split('id="gaps-heading"', 1)[1].split("</main>", 1)[0]
    for number, code in enumerate(codes):
        assert f"Ask Peer Person {number} about {code}" in html
    # DG2 also lists the first framework's entry and event: tags match codes across versions.
    assert html.count('href="/library/') == len(codes) + 1
    assert html.count('href="/events/') == len(codes) + 1


def test_coordinator_sees_another_citys_dashboard_with_peers(
    framework, city, sign_in_as, client, members
):
    meet(members["practitioner"], city, "DG1")
    _, peer = peer_city("Shelbyville", "DG2", peer_name="Dana Peer")
    sign_in_as("coordinator")
    html = page_of(client, city)
    assert f'href="/certification/DG2/ask/{peer.handle}"' in html
    assert Role.COORDINATOR  # the coordinator is no member of either city
