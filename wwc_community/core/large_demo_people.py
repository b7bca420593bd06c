"""The large demo's members and partner organisations: generated members spread over the
real city directory (mostly practitioners, some partners), each with the shared demo
password, active, verified and a member for more than a month."""

from datetime import timedelta

from sqlalchemy import select

from wwc_community.accounts.models import (
    EmailFrequency,
    Member,
    MemberStatus,
    Role,
    new_calendar_key,
    new_session_token,
)
from wwc_community.core.large_demo_bulk import Bulk, Community, Person
from wwc_community.core.large_demo_text import TOPICS, ZipfChoice
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import City, Organisation, member_expertise

BULK_EMAIL_DOMAIN = "bulk.demo.wwc.example"
PARTNER_SHARE = 0.12
# Generated members joined between about two years and a month ago, so the posting limit
# for new members never applies to them.
JOINED_DAYS = (31, 760)

# Members' names: common in the United States, combined at random (never a real person).
FIRST_NAMES = tuple(
    """
    Maria James Aisha Daniel Mei Jose Priya Michael Fatima David Grace Luis Hannah Kwame
    Sofia Robert Nadia Chris Elena Marcus Yuki Andre Leila Thomas Ana Samuel Rosa Kevin
    Amara Brian Ines Tyrone Lucia Omar Claire Diego Jasmine Patrick Mariam Eric Keisha
    Victor Lauren Hiroshi Teresa Malik Rachel Ivan Carmen Jamal Emily Tuan Zainab Derek
    Alicia Ravi Monica Jerome Sara Felipe Denise Arjun Gloria Trevor Ngozi Sean Beatriz
    Kofi Megan Rafael Hana
    """.split()
)
LAST_NAMES = tuple(
    """
    Garcia Johnson Nguyen Williams Patel Brown Kim Martinez Jones Okafor Lopez Davis Chen
    Rodriguez Miller Hernandez Wilson Ali Anderson Gonzalez Thomas Singh Moore Perez
    Jackson Tran Martin Sanchez Lee Ramirez Harris Mensah Clark Torres Lewis Rivera Walker
    Flores Hall Shah Young Nakamura Allen Diaz King Cruz Wright Reyes Scott Ahmed Green
    Morales Baker Ortiz Adams Gutierrez Nelson Park Hill Chavez Campbell Ramos Mitchell
    Kowalski Roberts Vargas Carter Castillo Phillips Haddad Evans Mendoza Turner Osei
    """.split()
)

JOB_TITLES = (
    "Performance analyst",
    "Data analyst",
    "Budget analyst",
    "Program manager",
    "Open data coordinator",
    "Senior management analyst",
    "GIS specialist",
    "Procurement officer",
    "Chief data officer",
    "Innovation fellow",
    "Policy advisor",
    "Evaluation specialist",
    "Deputy director",
    "Community engagement manager",
    "Operations manager",
    "Business intelligence developer",
    "Contract administrator",
    "Assistant city manager",
    "Research analyst",
    "Data engineer",
)
PARTNER_TITLES = (
    "Senior advisor",
    "Evaluation lead",
    "Technical assistance lead",
    "Research associate",
    "Program officer",
    "Data coach",
    "Practice lead",
)
DEPARTMENTS = (
    "Office of Performance",
    "Budget and Management",
    "Public Works",
    "Information Technology",
    "Planning and Development",
    "Housing and Community Development",
    "Police",
    "Procurement and Contracts",
    "City Manager's Office",
    "Transportation",
    "Parks and Recreation",
    "Public Health",
    "Finance",
    "Innovation Office",
    "Code Compliance",
    "Human Resources",
)

# Partner organisations the large demo adds: a place word and a line of work.
ORGANISATION_PLACES = (
    "Northgate",
    "Cedar Row",
    "Lakeshore",
    "Bridgewater",
    "Summit Street",
    "Riverbend",
    "Fieldstone",
    "Maple Hill",
    "Granite",
    "Tidewater",
    "Prairie",
    "Harbor Point",
    "Ironwood",
    "Clearwater",
    "Redbud",
    "Stonebridge",
    "Westfield",
    "Blue Mesa",
)
ORGANISATION_KINDS = (
    ("Evaluation Group", "runs evaluations with city programs, from rapid tests to trials"),
    ("Data Collaborative", "helps cities publish, clean and use their data"),
    ("Procurement Lab", "coaches purchasing teams to buy results instead of activities"),
    ("Policy Studio", "turns research into policy options that councils can act on"),
    ("Analytics Institute", "trains city analysts and lends them methods and code"),
    ("Engagement Network", "helps cities hear from residents who rarely take part"),
    ("Budget Project", "supports budget offices that move money toward what works"),
    ("Leadership Fellows", "places and mentors data leaders in city halls"),
)


def bulk_email(number: int) -> str:
    """The address of generated member `number` (from 1): the benchmark signs in with it."""
    return f"member{number}@{BULK_EMAIL_DOMAIN}"


def bulk_members_exist(session) -> bool:
    return session.scalar(select(Member.id).where(Member.email == bulk_email(1))) is not None


def add_organisations(bulk: Bulk, community: Community, count: int) -> int:
    """Add up to `count` partner organisations whose names are not taken yet."""
    rng = community.rng
    taken = set(bulk.session.scalars(select(Organisation.name)))
    taken_slugs = set(bulk.session.scalars(select(Organisation.slug)))
    names = [
        (f"{place} {kind}", about)
        for kind, about in ORGANISATION_KINDS
        for place in ORGANISATION_PLACES
    ]
    rng.shuffle(names)
    fresh = [
        (name, about)
        for name, about in names
        if name not in taken and slugify(name) not in taken_slugs
    ][:count]
    ids = bulk.ids(Organisation.__table__, len(fresh))
    rows = []
    for organisation_id, (name, about) in zip(ids, fresh, strict=True):
        slug = slugify(name)
        founded = community.now - timedelta(days=rng.randint(800, 900))
        rows.append(
            {
                "id": organisation_id,
                "name": name,
                "slug": slug,
                "website": f"https://{slug}.example.org",
                "description": f"{name} {about}.",
                "created_at": founded,
            }
        )
    bulk.insert(Organisation.__table__, rows)
    return len(rows)


def add_members(bulk: Bulk, community: Community, count: int, password_hash: str) -> int:
    """Add `count` generated members, numbered from 1 in their e-mail addresses; every
    eighth one is a partner."""
    rng, session, now = community.rng, bulk.session, community.now
    cities = session.execute(select(City.id, City.population).order_by(City.id)).all()
    city_ids = [city_id for city_id, _ in cities]
    # Bigger cities have more staff on the platform, though far from in proportion.
    city_weights = [max(population, 1) ** 0.5 for _, population in cities]
    # The newest organisations first: each new one gets a partner while there are enough.
    organisations = list(session.scalars(select(Organisation.id).order_by(Organisation.id.desc())))
    organisation_choice = ZipfChoice(organisations, 0.5)
    partner_every = round(1 / PARTNER_SHARE)
    handles = set(session.scalars(select(Member.handle)))
    first, last = ZipfChoice(FIRST_NAMES, 0.4), ZipfChoice(LAST_NAMES, 0.4)
    job_title = ZipfChoice(JOB_TITLES, 0.7)
    members, expertise = [], []
    for number, member_id in enumerate(bulk.ids(Member.__table__, count), start=1):
        is_partner = number % partner_every == 0 and bool(organisations)
        if is_partner:
            nth = number // partner_every - 1
            organisation_id = (
                organisations[nth] if nth < len(organisations) else organisation_choice(rng)
            )
            city_id, title = None, rng.choice(PARTNER_TITLES)
        else:
            organisation_id, title = None, job_title(rng)
            city_id = rng.choices(city_ids, weights=city_weights)[0]
        name = f"{first(rng)} {last(rng)}"
        joined = now - timedelta(days=rng.uniform(*JOINED_DAYS))
        verified = joined + timedelta(minutes=rng.randint(2, 90))
        topics = rng.sample(TOPICS, rng.randint(1, 3))
        bio = community.text.bio(topics[0]) if rng.random() < 0.6 else None
        members.append(
            {
                "id": member_id,
                "email": bulk_email(number),
                "handle": _free_handle(handles, name),
                "display_name": name,
                "job_title": title,
                "department": "" if is_partner else rng.choice(DEPARTMENTS),
                "city_id": city_id,
                "organisation_id": organisation_id,
                "role": Role.PARTNER if is_partner else Role.PRACTITIONER,
                "status": MemberStatus.ACTIVE,
                "password_hash": password_hash,
                "session_token": new_session_token(),
                "calendar_key": new_calendar_key(),
                "email_verified_at": verified,
                "decided_at": verified + timedelta(hours=rng.uniform(0.1, 48)),
                "bio": bio.source if bio else "",
                "bio_html": bio.html if bio else "",
                "email_notifications": (
                    EmailFrequency.DAILY if rng.random() < 0.75 else EmailFrequency.NEVER
                ),
                "last_signed_in_at": (
                    community.between(verified, now) if rng.random() < 0.8 else None
                ),
                "created_at": joined,
            }
        )
        expertise += [
            {"member_id": member_id, "topic_id": community.topic_ids[topic]}
            for topic in topics
            if topic in community.topic_ids
        ]
    bulk.insert(Member.__table__, members)
    bulk.insert(member_expertise, expertise)
    return len(members)


def _free_handle(taken: set[str], name: str) -> str:
    base = slugify(name)[:30].strip("-") or "member"
    handle, number = base, 2
    while handle in taken:
        handle, number = f"{base}-{number}", number + 1
    taken.add(handle)
    return handle


def load_people(session, community: Community) -> None:
    """Fill the community with every approved practitioner and partner (demo people and
    generated members alike), the generated ones as authors, and a coordinator."""
    rows = session.execute(
        select(Member.id, Member.city_id, Member.organisation_id, Member.created_at, Member.email)
        .where(
            Member.status == MemberStatus.ACTIVE,
            Member.email_verified_at.is_not(None),
            Member.role.in_([Role.PRACTITIONER, Role.PARTNER]),
        )
        .order_by(Member.id)
    ).all()
    # The demo people were created a moment ago, yet wrote the demo content of the past
    # months: they count as members from before the generated history begins.
    long_ago = community.now - timedelta(days=JOINED_DAYS[1])
    community.people, community.authors = [], []
    for member_id, city_id, organisation_id, created_at, email in rows:
        generated = email.endswith("@" + BULK_EMAIL_DOMAIN)
        person = Person(member_id, city_id, organisation_id, created_at if generated else long_ago)
        community.people.append(person)
        if generated:
            community.authors.append(person)
    community.coordinator_id = session.scalar(
        select(Member.id)
        .where(Member.status == MemberStatus.ACTIVE, Member.role == Role.COORDINATOR)
        .order_by(Member.id)
        .limit(1)
    )
    community.organisation_ids = list(
        session.scalars(select(Organisation.id).order_by(Organisation.id))
    )
