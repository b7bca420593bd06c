"""The member directory at /people: filters, "cities like mine", sorting, paging and the
answers it gives to filters and page numbers it cannot use."""

import re

import pytest

from tests.conftest import sign_in
from tests.directory.conftest import add_expertise
from tests.factories import make_city, make_member, make_organisation
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.core.errors import NotPermitted
from wwc_community.directory.services import DirectoryFilters, member_directory
from wwc_community.extensions import db

NAME_LINK = re.compile(r'class="member-name"><a href="/people/[^"]+">([^<]+)</a>')


def listed(response) -> list[str]:
    """The names on the page of results, in order."""
    return NAME_LINK.findall(response.get_data(as_text=True))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def peers(members, city, organisation, tulsa, topics):
    """Members across cities of three bands, an organisation, and some who are not listed.

    Springfield, IL (114,394) and Norman, OK (128,097) are 100k-250k; Tulsa, OK is
    250k-1m; Burlington, VT is 30k-100k.
    """
    norman = make_city("Norman", "OK", 128_097)
    burlington = make_city("Burlington", "VT", 44_743)
    lab = make_organisation("Open Procurement Lab")
    people = {
        "avery": make_member(city=tulsa, display_name="Avery Okafor"),
        "blake": make_member(city=city, display_name="Blake Chen"),
        "casey": make_member(city=burlington, display_name="Casey Nguyen"),
        "drew": make_member(Role.PARTNER, organisation=organisation, display_name="Drew Patel"),
        "emery": make_member(city=norman, display_name="Emery Ruiz"),
        "flynn": make_member(Role.PARTNER, organisation=lab, display_name="Flynn Moreau"),
    }
    add_expertise(people["avery"], topics["results-driven-contracting"], topics["open-data"])
    add_expertise(people["blake"], topics["open-data"])
    add_expertise(people["casey"], topics["evaluations"])
    add_expertise(people["drew"], topics["evaluations"], topics["results-driven-contracting"])
    add_expertise(people["emery"], topics["results-driven-contracting"])
    # Never listed: not approved, not verified, declined, suspended or deleted.
    for status, verified, name in (
        (MemberStatus.PENDING, True, "Hidden Pending"),
        (MemberStatus.ACTIVE, False, "Hidden Unverified"),
        (MemberStatus.DECLINED, True, "Hidden Declined"),
        (MemberStatus.SUSPENDED, True, "Hidden Suspended"),
        (MemberStatus.DELETED, True, "Hidden Deleted"),
    ):
        hidden = make_member(status=status, verified=verified, city=tulsa, display_name=name)
        add_expertise(hidden, topics["results-driven-contracting"])
    return people


@pytest.fixture
def viewer(client, sign_in_as, peers):
    """Signed in as the practitioner of Springfield, IL."""
    sign_in_as("practitioner")
    return client


def test_lists_every_approved_member_by_name(viewer, peers, members):
    response = viewer.get("/people")
    names = listed(response)
    assert response.status_code == 200
    assert names == sorted(names)
    assert {"Avery Okafor", "Blake Chen", "Drew Patel", "Flynn Moreau"} <= set(names)
    assert not [name for name in names if name.startswith("Hidden")]
    assert members["pending"].display_name not in names
    assert members["suspended"].display_name not in names
    assert "Showing 1–10 of 10 members" in text_of(response)


def test_each_card_shows_avatar_job_affiliation_and_expertise(viewer, peers):
    html = text_of(viewer.get("/people?q=avery"))
    avery = peers["avery"]
    assert f'<a href="/people/{avery.handle}">Avery Okafor</a>' in html
    assert 'aria-hidden="true">AO</span>' in html
    assert '<p class="member-job">Analyst</p>' in html
    assert '<a href="/cities/tulsa-ok">Tulsa, OK</a>' in html
    assert 'href="/topics/open-data">Open Data</a>' in html
    assert 'href="/topics/results-driven-contracting">' in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("topic=results-driven-contracting", ["Avery Okafor", "Drew Patel", "Emery Ruiz"]),
        ("topic=evaluations", ["Casey Nguyen", "Drew Patel"]),
        ("city=tulsa-ok", ["Avery Okafor"]),
        ("state=OK", ["Avery Okafor", "Emery Ruiz"]),
        ("state=ok", ["Avery Okafor", "Emery Ruiz"]),
        ("band=30k-100k", ["Casey Nguyen"]),
        ("band=250k-1m", ["Avery Okafor"]),
        ("organisation=open-procurement-lab", ["Flynn Moreau"]),
        ("q=CHEN", ["Blake Chen"]),
        ("q=%25", []),
        ("band=100k-250k&topic=results-driven-contracting", ["Emery Ruiz"]),
        ("state=OK&topic=open-data", ["Avery Okafor"]),
        ("role=partner&topic=evaluations", ["Drew Patel"]),
        ("band=1m%2B", []),
    ],
)
def test_filters_alone_and_combined(viewer, query, expected):
    response = viewer.get(f"/people?{query}")
    assert response.status_code == 200
    assert listed(response) == expected


def test_role_filter(viewer, peers, members):
    assert listed(viewer.get("/people?role=partner")) == sorted(
        ["Drew Patel", "Flynn Moreau", members["partner"].display_name]
    )
    assert listed(viewer.get("/people?role=coordinator")) == [members["coordinator"].display_name]


def test_filters_stay_selected_so_the_view_can_be_bookmarked(viewer):
    html = text_of(viewer.get("/people?band=100k-250k&topic=open-data&sort=newest&q=bl"))
    assert '<option value="100k-250k" selected>' in html
    assert '<option value="open-data" selected>' in html
    assert '<option value="newest" selected>' in html
    assert 'name="q" value="bl"' in html


def test_city_choices_are_the_cities_with_members(viewer):
    html = text_of(viewer.get("/people"))
    options = re.findall(r'<option value="([a-z-]+)">[^<]+, [A-Z]{2}</option>', html)
    assert options == ["burlington-vt", "norman-ok", "springfield-il", "tulsa-ok"]


def test_a_city_without_members_is_an_empty_answer_not_an_error(viewer):
    make_city("Bend", "OR", 102_059)
    response = viewer.get("/people?city=bend-or")
    assert response.status_code == 200
    assert listed(response) == []
    assert '<option value="bend-or" selected>Bend, OR</option>' in text_of(response)


def test_cities_like_mine_keeps_the_viewers_population_band(viewer, members):
    response = viewer.get("/people?like_mine=1")
    # Springfield, IL and Norman, OK are both 100,000 to 250,000.
    assert listed(response) == sorted(
        ["Blake Chen", "Emery Ruiz", members["practitioner"].display_name]
    )
    assert "cities of 100,000 to 250,000 residents, like Springfield, IL" in text_of(response)
    assert listed(viewer.get("/people?like_mine=1&topic=results-driven-contracting")) == [
        "Emery Ruiz"
    ]


def test_cities_like_mine_explains_itself_to_a_member_without_a_city(client, sign_in_as, peers):
    sign_in_as("coordinator")
    response = client.get("/people?like_mine=1")
    assert response.status_code == 200
    assert "your profile names no city, so it does not narrow this list" in text_of(response)
    assert len(listed(response)) == 10


def test_sort_by_newest(viewer, peers):
    newest = listed(viewer.get("/people?sort=newest"))
    assert newest[:3] == ["Flynn Moreau", "Emery Ruiz", "Drew Patel"]
    assert listed(viewer.get("/people?sort=name")) == sorted(newest)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("topic=astrology", "There is no topic “astrology”"),
        ("city=atlantis-zz", "There is no city “atlantis-zz”"),
        ("city=" + "x" * 500, "There is no city"),
        ("organisation=acme", "There is no partner organisation “acme”"),
        ("state=ZZ", "There is no state “ZZ”"),
        ("band=huge", "There is no population band “huge”"),
        ("role=mayor", "There is no role “mayor”"),
        ("sort=height", "cannot be sorted by “height”"),
        ("page=two", "The page number must be a whole number"),
        ("page=-1", "The page number must be a whole number"),
        ("page=0", "Page numbers start at 1."),
        ("page=%C2%B2", "The page number must be a whole number"),
        ("topic=open%01data", "There is no topic “open data”"),
    ],
)
def test_filters_it_cannot_use_get_a_400_with_the_reason(viewer, query, message):
    response = viewer.get(f"/people?{query}")
    assert response.status_code == 400
    html = text_of(response)
    assert message in html
    assert "These filters cannot be used" in html
    assert 'aria-label="Filter members"' in html  # the same page, ready for another try


def test_every_unusable_filter_is_named_at_once(viewer):
    html = text_of(viewer.get("/people?topic=astrology&role=mayor"))
    assert "There is no topic “astrology”" in html and "There is no role “mayor”" in html


def test_paging_with_a_past_the_end_page_answering_404(app_with):
    app = app_with(PER_PAGE=2)
    client = app.test_client()
    springfield = make_city("Springfield", "IL", 114_394)
    viewer = make_member(city=springfield, display_name="Aaron Viewer")
    for name in ("Bea", "Cal", "Dee", "Eli"):
        make_member(city=springfield, display_name=name)
    sign_in(client, viewer.email)
    first = client.get("/people")
    assert listed(first) == ["Aaron Viewer", "Bea"]
    assert "Showing 1–2 of 5 members" in text_of(first)
    assert 'href="/people?page=2" rel="next"' in text_of(first)
    assert listed(client.get("/people?page=3")) == ["Eli"]

    past = client.get("/people?page=4")
    assert past.status_code == 404
    html = text_of(past)
    assert "There is no page 4" in html and "This list has 3 pages." in html
    assert '<a href="/people?page=3">Go to the last page</a>' in html
    assert listed(past) == []

    filtered = client.get("/people?q=nobody&page=2")
    assert filtered.status_code == 404
    assert "Go to the first page" in text_of(filtered)
    assert client.get("/people?page=99999999999999999999").status_code == 404


def test_the_empty_state_offers_to_remove_each_filter(viewer):
    response = viewer.get("/people?band=30k-100k&topic=open-data&state=VT")
    assert response.status_code == 200
    html = text_of(response)
    assert listed(response) == []
    assert "No member matches all of these filters" in html
    assert 'href="/people?band=30k-100k&amp;state=VT">Any topic, not only Open Data' in html
    assert 'href="/people?topic=open-data&amp;state=VT">Any population' in html
    assert 'href="/people?band=30k-100k&amp;topic=open-data">Every state' in html
    assert ">Clear every filter</a>" in html


def test_members_only(client, sign_in_as, members):
    response = client.get("/people?topic=open-data")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login?next=")
    sign_in_as("pending")
    assert "/account/status" in client.get("/people").headers["Location"]


@pytest.mark.parametrize("role", ["pending", "suspended"])
def test_the_service_refuses_accounts_that_are_not_approved(members, role):
    with pytest.raises(NotPermitted):
        member_directory(db.session, members[role], DirectoryFilters())


def test_the_directory_offers_a_search_of_profiles(viewer):
    page = text_of(viewer.get("/people"))
    form = re.search(r'<form method="get" action="/search"[^>]*>(.*?)</form>', page, re.S)
    assert form is not None and 'aria-label="Search profiles"' in form.group(0)
    assert '<label for="people-search-q">Search profiles</label>' in form.group(1)
    assert '<input type="search" id="people-search-q" name="q">' in form.group(1)
    assert '<input type="hidden" name="kind" value="member">' in form.group(1)
    assert re.search(r'<button type="submit">[^<]+</button>', form.group(1))
    assert page.count('id="people-search-q"') == 1
