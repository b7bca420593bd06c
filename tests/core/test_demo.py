"""`flask seed-demo`: the demo community that `make run` serves."""

from sqlalchemy import func, select

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.directory.models import Organisation, PopulationBand, member_expertise
from wwc_community.extensions import db


def test_demo_content_covers_every_band_and_organisation_and_loads_once(runner):
    assert runner.invoke(args=["cities", "import"]).exit_code == 0
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "admin@demo.wwc.example" in first.output and "Sign in at" in first.output

    active = db.session.scalars(select(Member).where(Member.status == MemberStatus.ACTIVE)).all()
    assert len(active) >= 55
    bands = {member.city.population_band for member in active if member.city}
    assert bands == set(PopulationBand)
    staffed = {member.organisation_id for member in active if member.organisation_id}
    assert staffed == set(db.session.scalars(select(Organisation.id)))
    assert {member.role for member in active} == {r.value for r in Role}
    with_bio = [member for member in active if member.bio_html.startswith("<p>")]
    assert len(with_bio) >= 50
    assert db.session.scalar(select(func.count()).select_from(member_expertise)) >= 55

    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 0 and "0 demo accounts and 0 community members" in again.output
    assert db.session.scalar(select(func.count(Member.id))) == len(active) + 1  # + pending
