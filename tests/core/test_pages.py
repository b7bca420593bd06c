"""The public pages and the health check."""

from tests.conftest import sign_in


def test_home_page_says_what_the_community_is_and_invites_visitors(client):
    page = client.get("/").get_data(as_text=True)
    assert "Learn what works from the cities that did it" in page
    assert 'href="/auth/register"' in page and "Join" in page
    assert 'href="/cities"' in page and 'href="/about"' in page
    assert 'class="skip-link" href="#main"' in page


def test_home_page_for_a_member_has_no_join_button(client, members):
    sign_in(client, members["practitioner"].email)
    page = client.get("/").get_data(as_text=True)
    assert "Join the community" not in page
    assert "Sign out" in page


def test_about_page_credits_geonames(client):
    page = client.get("/about").get_data(as_text=True)
    assert "GeoNames" in page and "Creative Commons Attribution 4.0" in page


def test_healthz_reports_database_and_index(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["backend"] in ("sqlite", "postgresql")
    assert body["index"]["status"] in ("absent", "ok")


def test_no_page_repeats_an_element_id(client, members, city, organisation):
    """Labels find their fields by id: a repeated id sends a label to the wrong field."""
    import re
    from collections import Counter

    sign_in(client, members["admin"].email)
    for path in (
        "/",
        "/settings/account",
        "/settings/password",
        "/admin/members",
        f"/admin/members/{members['pending'].id}",
        f"/cities/{city.slug}",
    ):
        page = client.get(path).get_data(as_text=True)
        repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if n > 1]
        assert repeated == [], f"{path} repeats ids {repeated}"
