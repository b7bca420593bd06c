"""List pages make the same number of SQL queries however many rows they show."""

from tests.factories import make_city, make_member
from tests.query_counts import queries_for
from wwc_community.accounts.models import MemberStatus


def test_city_list_queries_do_not_grow_with_the_cities(client):
    for number in range(3):
        make_city(f"Alpha {number}", "TX", 40_000 + number)
    few = queries_for(client, "/cities")
    for number in range(30):
        make_city(f"Beta {number}", "OK", 50_000 + number)
    assert queries_for(client, "/cities") == few


def test_approval_queue_queries_do_not_grow_with_the_queue(client, members, sign_in_as, city):
    sign_in_as("coordinator")
    few = queries_for(client, "/admin/members")
    for _ in range(20):
        make_member(status=MemberStatus.PENDING, city=city)
    assert queries_for(client, "/admin/members") == few
    all_members = queries_for(client, "/admin/members?status=all")
    for _ in range(10):
        make_member(city=city)
    assert queries_for(client, "/admin/members?status=all") == all_members


def test_city_page_queries_do_not_grow_with_its_members(client, members, sign_in_as, city):
    sign_in_as("practitioner")
    few = queries_for(client, f"/cities/{city.slug}")
    for _ in range(15):
        make_member(city=city)
    assert queries_for(client, f"/cities/{city.slug}") == few
