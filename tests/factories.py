"""Objects for tests, made through the same services the application uses."""

from itertools import count

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.accounts.services import create_member
from wwc_community.directory.models import City, Organisation
from wwc_community.directory.services import create_organisation, create_topic
from wwc_community.extensions import db

PASSWORD = "correct horse staples 42"
_sequence = count(1)


def make_city(
    name: str = "Springfield", state: str = "IL", population: int = 114_394, **fields
) -> City:
    """A city in the directory (the full GeoNames import is too slow for every test)."""
    slug = fields.pop("slug", None) or f"{name.lower().replace(' ', '-')}-{state.lower()}"
    city = City(name=name, state=state, slug=slug, population=population, **fields)
    db.session.add(city)
    db.session.commit()
    return city


def make_organisation(name: str | None = None, **fields) -> Organisation:
    organisation = create_organisation(
        db.session, None, name or f"Partner Organisation {next(_sequence)}", **fields
    )
    db.session.commit()
    return organisation


def make_topic(name: str | None = None, description: str = ""):
    topic = create_topic(db.session, None, name or f"Topic {next(_sequence)}", description)
    db.session.commit()
    return topic


def make_member(
    role: Role = Role.PRACTITIONER,
    status: MemberStatus = MemberStatus.ACTIVE,
    *,
    email: str | None = None,
    verified: bool = True,
    city: City | None = None,
    organisation: Organisation | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
) -> Member:
    """A member in any role and state; created active and verified, then adjusted."""
    number = next(_sequence)
    member = create_member(
        db.session,
        email=email or f"member{number}@example.gov",
        password=password,
        role=role,
        display_name=display_name or f"Member {number}",
        job_title="Analyst",
        city=city,
        organisation=organisation,
    )
    member.status = status
    if not verified:
        member.email_verified_at = None
    db.session.commit()
    return member
