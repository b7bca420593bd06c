"""`flask users create`: accounts for operators and tests."""

from sqlalchemy import select

from tests.conftest import sign_in
from tests.factories import PASSWORD
from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.extensions import db


def test_creates_an_active_verified_account(runner, client, city):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "chief@springfield.gov",
            "--role",
            "coordinator",
            "--city",
            city.slug,
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    member = db.session.scalar(select(Member).where(Member.email == "chief@springfield.gov"))
    assert member.status == MemberStatus.ACTIVE and member.is_verified
    assert member.role == "coordinator" and member.city_id == city.id
    assert sign_in(client, "chief@springfield.gov").status_code == 302


def test_refuses_duplicates_unknown_places_and_weak_passwords(runner, city):
    ok = runner.invoke(
        args=["users", "create", "a@example.gov", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert ok.exit_code == 0
    duplicate = runner.invoke(
        args=["users", "create", "A@example.gov", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert duplicate.exit_code != 0 and "already has an account" in duplicate.output
    nowhere = runner.invoke(
        args=[
            "users",
            "create",
            "b@example.gov",
            "--role",
            "practitioner",
            "--city",
            "atlantis-zz",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert nowhere.exit_code != 0 and "No city" in nowhere.output
    weak = runner.invoke(
        args=["users", "create", "c@example.gov", "--role", "practitioner", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    bad_role = runner.invoke(
        args=["users", "create", "d@example.gov", "--role", "king", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert bad_role.exit_code != 0
    assert db.session.scalar(select(db.func.count(Member.id))) == 1
