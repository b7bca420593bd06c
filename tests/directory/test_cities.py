"""The public city directory: the list with its search and filters, a city's page, and
the suggestions for the sign-up field."""

import pytest

from tests.factories import make_city, make_member
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.directory.models import CertificationLevel


@pytest.fixture
def cities(app):
    """A handful of cities across states, population bands and certification levels."""
    return {
        "austin": make_city(
            "Austin",
            "TX",
            974_447,
            certification_level=CertificationLevel.PLATINUM,
            certification_year=2022,
        ),
        "houston": make_city("Houston", "TX", 2_302_878),
        "tulsa": make_city("Tulsa", "OK", 411_867, certification_level=CertificationLevel.GOLD),
        "norman": make_city("Norman", "OK", 128_097),
        "springfield-mo": make_city("Springfield", "MO", 169_176),
        "bend": make_city("Bend", "OR", 102_059),
        "burlington": make_city("Burlington", "VT", 44_743),
    }


def listed_names(response) -> list[str]:
    """The city names in the list's table, in order."""
    html = response.get_data(as_text=True)
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [part.split(">", 1)[1].split("<", 1)[0] for part in body.split('<td><a href="')[1:]]


def test_lists_every_city_largest_first_with_its_band_and_certification(client, cities):
    response = client.get("/cities")
    assert response.status_code == 200
    assert listed_names(response) == [
        "Houston",
        "Austin",
        "Tulsa",
        "Springfield",
        "Norman",
        "Bend",
        "Burlington",
    ]
    html = response.get_data(as_text=True)
    assert "2,302,878" in html and "1 million and more" in html
    assert "Platinum (2022)" in html
    assert "of 7 cities" in html


def test_searches_by_part_of_the_name_in_any_case(client, cities):
    assert listed_names(client.get("/cities?q=SPRING")) == ["Springfield"]
    assert listed_names(client.get("/cities?q=ust")) == ["Houston", "Austin"]
    # Characters that mean something to LIKE are searched for literally.
    assert listed_names(client.get("/cities?q=%25")) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=OK", ["Tulsa", "Norman"]),
        ("band=30k-100k", ["Burlington"]),
        ("band=100k-250k", ["Springfield", "Norman", "Bend"]),
        ("band=250k-1m", ["Austin", "Tulsa"]),
        ("band=1m%2B", ["Houston"]),
        ("certification=gold", ["Tulsa"]),
        ("certification=none", ["Houston", "Springfield", "Norman", "Bend", "Burlington"]),
        ("state=TX&certification=platinum", ["Austin"]),
        ("state=OK&band=100k-250k&q=nor", ["Norman"]),
    ],
)
def test_filters_by_state_band_and_certification(client, cities, query, expected):
    assert listed_names(client.get(f"/cities?{query}")) == expected


def test_the_state_filter_offers_only_states_in_the_directory(client, cities):
    html = client.get("/cities").get_data(as_text=True)
    assert '<option value="OK">OK</option>' in html
    assert '<option value="CA">' not in html


def test_pages_through_a_long_list_and_counts_the_results(app, client):
    for number in range(30):
        make_city(f"Town {number:02d}", "KS", 200_000 - number)
    first = client.get("/cities")
    html = first.get_data(as_text=True)
    assert len(listed_names(first)) == 25
    assert "Showing 1–25 of 30 cities" in html and "Page 1 of 2" in html
    assert 'rel="next"' in html and 'rel="prev"' not in html

    second = client.get("/cities?page=2&state=KS")
    html = second.get_data(as_text=True)
    assert listed_names(second) == [f"Town {number}" for number in range(25, 30)]
    assert "Showing 26–30 of 30 cities" in html and 'rel="prev"' in html
    # The paging links keep the filters.
    assert "state=KS" in html.split('rel="prev"')[0].rsplit("<a", 1)[1]


def test_a_page_past_the_end_shows_the_last_page(client, cities):
    response = client.get("/cities?page=999")
    assert response.status_code == 200
    assert len(listed_names(response)) == 7


def test_says_so_when_no_city_matches(client, cities):
    response = client.get("/cities?q=atlantis")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "No city matches these filters" in html and "No cities" in html
    assert "<table" not in html


def test_an_empty_directory_shows_the_empty_state(client):
    html = client.get("/cities").get_data(as_text=True)
    assert "No city matches these filters" in html


@pytest.mark.parametrize(
    "junk",
    [
        "band=zzz&page=abc",
        "certification=diamond&state=ZZ",
        "page=-3",
        "page=99999999999999999999",
        "q=" + "x" * 5000,
        "state=%01&q=%ff%fe",
        "q=spring%01field&state=OK%01",
        "band=&certification=&state=&q=",
        "page=1&page=2&band=1m%2B&band=zzz",
    ],
)
def test_odd_parameters_never_break_the_list(client, cities, junk):
    response = client.get(f"/cities?{junk}")
    assert response.status_code == 200


def test_city_page_shows_population_band_and_certification(client, cities):
    response = client.get("/cities/austin-tx")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Austin, TX</h1>" in html
    assert "974,447" in html and "250,000 to 1 million" in html
    assert "Platinum, 2022" in html


@pytest.mark.parametrize("slug", ["atlantis-zz", "austin%01-tx", "x" * 500, "%C3%A9"])
def test_unknown_city_is_a_friendly_404(client, slug):
    response = client.get(f"/cities/{slug}")
    assert response.status_code == 404
    assert "There is no city at this address." in response.get_data(as_text=True)


def test_city_members_are_named_only_to_members(client, city, members, sign_in_as):
    practitioner = members["practitioner"]
    as_visitor = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    # Only the approved member counts: the pending and suspended ones do not.
    assert "1 member works for Springfield" in as_visitor
    assert practitioner.display_name not in as_visitor
    assert "Sign in</a> as a member to see who" in as_visitor

    sign_in_as("partner")
    as_member = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    profile_link = f'<a href="/people/{practitioner.handle}">{practitioner.display_name}</a>'
    assert f"{profile_link}, Analyst" in as_member
    assert f'href="/people?city={city.slug}"' in as_member
    assert members["pending"].display_name not in as_member
    assert members["suspended"].display_name not in as_member


def test_a_pending_account_does_not_see_the_names(client, city, members, sign_in_as):
    sign_in_as("pending")
    html = client.get(f"/cities/{city.slug}").get_data(as_text=True)
    assert members["practitioner"].display_name not in html


def test_a_city_nobody_has_joined_says_so(client, cities):
    make_member(Role.PRACTITIONER, MemberStatus.PENDING, city=cities["tulsa"])
    html = client.get("/cities/tulsa-ok").get_data(as_text=True)
    assert "Nobody from Tulsa has joined yet" in html
    assert 'href="/auth/register"' in html


def test_suggests_cities_by_prefix_largest_first(client, cities):
    make_city("Springfield", "IL", 114_394)
    response = client.get("/cities/suggest?q=spr")
    assert response.status_code == 200 and response.is_json
    assert response.get_json() == [
        {"label": "Springfield, MO", "slug": "springfield-mo"},
        {"label": "Springfield, IL", "slug": "springfield-il"},
    ]
    # What the field holds after choosing a suggestion still finds the city.
    assert client.get("/cities/suggest?q=Austin, TX").get_json() == [
        {"label": "Austin, TX", "slug": "austin-tx"}
    ]


@pytest.mark.parametrize("prefix", ["", "   ", "zzz", "%", "_", "\\", "\x01", "x" * 5000])
def test_suggestions_for_nothing_or_nonsense_are_an_empty_list(client, cities, prefix):
    response = client.get("/cities/suggest", query_string={"q": prefix})
    assert response.status_code == 200
    assert response.get_json() == []


def test_suggestions_stop_at_ten(client):
    for number in range(12):
        make_city(f"Lakeside {number}", "CA", 50_000 + number)
    assert len(client.get("/cities/suggest?q=lake").get_json()) == 10
