"""The public pages of a partner organisation and of a topic: what everyone reads, and the
names only members see."""

import pytest

from tests.directory.conftest import add_expertise
from tests.factories import make_member, make_organisation
from wwc_community.accounts.models import MemberStatus, Role
from wwc_community.directory.services import members_of
from wwc_community.extensions import db


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def lab(app):
    return make_organisation(
        "Results Lab",
        website="https://results.example.org",
        description="Helps cities write contracts that pay for outcomes.",
    )


@pytest.fixture
def lab_staff(lab, members):
    return [
        make_member(Role.PARTNER, organisation=lab, display_name="Rosa Diaz"),
        make_member(Role.PARTNER, organisation=lab, display_name="Omar Haddad"),
    ]


def test_organisation_page_for_visitors_counts_staff_without_naming_them(client, lab, lab_staff):
    make_member(Role.PARTNER, MemberStatus.PENDING, organisation=lab, display_name="Not Yet")
    response = client.get(f"/orgs/{lab.slug}")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Results Lab</h1>" in html
    assert "Helps cities write contracts that pay for outcomes." in html
    assert (
        '<a href="https://results.example.org" rel="nofollow noopener">'
        "https://results.example.org</a>" in html
    )
    assert "2 members work for Results Lab" in html
    assert "Rosa Diaz" not in html and "Not Yet" not in html
    assert f'href="/auth/login?next=/orgs/{lab.slug}">Sign in</a>' in html
    assert "Practices published" in html
    assert "has not published practices in the library yet" in html


def test_organisation_page_names_staff_to_members(client, sign_in_as, lab, lab_staff):
    sign_in_as("practitioner")
    html = text_of(client.get(f"/orgs/{lab.slug}"))
    omar, rosa = sorted(lab_staff, key=lambda m: m.display_name)
    assert html.index(omar.display_name) < html.index(rosa.display_name)
    assert f'<a href="/people/{rosa.handle}">Rosa Diaz</a>, Analyst' in html
    assert f'href="/people?organisation={lab.slug}"' in html


def test_a_pending_account_sees_the_count_but_no_names(client, sign_in_as, lab, lab_staff):
    sign_in_as("pending")
    html = text_of(client.get(f"/orgs/{lab.slug}"))
    assert "2 members work for Results Lab" in html
    assert "shown once your account is approved" in html
    assert "Rosa Diaz" not in html


def test_an_organisation_nobody_joined_invites_its_staff(client, lab):
    html = text_of(client.get(f"/orgs/{lab.slug}"))
    assert "Nobody from Results Lab has joined yet" in html


def test_a_website_that_is_not_http_is_not_linked(client, lab):
    lab.website = "javascript:alert(1)"
    db.session.commit()
    assert "javascript:" not in text_of(client.get(f"/orgs/{lab.slug}"))


@pytest.mark.parametrize("slug", ["no-such-lab", "x" * 500, "lab%01"])
def test_unknown_organisation_is_a_404(client, slug):
    response = client.get(f"/orgs/{slug}")
    assert response.status_code == 404
    assert "There is no organisation at this address." in text_of(response)


def test_topic_page_describes_the_area_and_counts_experts_for_visitors(
    client, members, topics, city
):
    expert = make_member(city=city, display_name="Kim Expert")
    add_expertise(expert, topics["evaluations"])
    response = client.get("/topics/evaluations")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Evaluations</h1>" in html and "randomised trials" in html
    assert "1 member knows this area" in html and "Kim Expert" not in html
    assert "Discussions are for members only" in html
    assert "Follow Evaluations" not in html


def test_topic_page_names_up_to_24_experts_and_links_the_directory(
    client, sign_in_as, members, topics, city
):
    for number in range(26):
        add_expertise(
            make_member(city=city, display_name=f"Expert {number:02}"), topics["open-data"]
        )
    hidden = make_member(status=MemberStatus.SUSPENDED, city=city, display_name="Expert Hidden")
    add_expertise(hidden, topics["open-data"])
    sign_in_as("practitioner")
    html = text_of(client.get("/topics/open-data"))
    assert "26 members know this area" in html
    assert "Expert 23" in html and "Expert 24" not in html and "Expert Hidden" not in html
    assert '<a href="/people?topic=open-data">See all 26 members with this expertise</a>' in html


def test_topic_without_experts_invites_members_to_add_it(client, sign_in_as, members, topics):
    sign_in_as("practitioner")
    html = text_of(client.get("/topics/open-data"))
    assert "No member lists Open Data as expertise yet" in html
    assert 'href="/settings/profile">Add it to your profile</a>' in html


def test_unknown_topic_is_a_404(client, topics):
    response = client.get("/topics/astrology")
    assert response.status_code == 404
    assert "There is no topic at this address." in text_of(response)


def test_members_of_counts_only_listed_members(members, city, organisation):
    sample = members_of(db.session, None, city=city)
    assert (sample.total, sample.members) == (1, None)
    sample = members_of(db.session, members["practitioner"], organisation=organisation)
    assert sample.total == 1 and sample.members == [members["partner"]]
    assert members_of(db.session, members["pending"], city=city).members is None
