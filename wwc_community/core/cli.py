"""`flask seed-demo`: the demo content that `make run` loads."""

import click
from sqlalchemy import select

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.accounts.services import create_member, find_member_by_email
from wwc_community.certification.demo import seed_demo_certification
from wwc_community.core.demo_people import demo_people
from wwc_community.core.large_demo import SCALES, seed_large_demo
from wwc_community.core.markup import render_markdown
from wwc_community.directory.models import (
    CertificationLevel,
    City,
    EmailDomain,
    Organisation,
    Topic,
    member_expertise,
)
from wwc_community.directory.services import (
    create_organisation,
    ensure_starting_topics,
    link_domain,
    set_city_certification,
)
from wwc_community.discussions.demo import seed_demo_discussions
from wwc_community.events.demo import seed_demo_events
from wwc_community.extensions import db
from wwc_community.library.demo import seed_demo_library

DEMO_PASSWORD = "demo-community-2026"

DEMO_ORGANISATIONS = (
    (
        "Civic Evidence Lab",
        "https://evidence-lab.example.org",
        "Helps city teams design and run program evaluations, from pre/post comparisons to "
        "randomised trials.",
    ),
    (
        "Open Data Collaborative",
        "https://opendata-collab.example.org",
        "Supports cities in publishing, standardising and using open data.",
    ),
    (
        "Results Procurement Institute",
        "https://results-procurement.example.org",
        "Coaches procurement teams to buy outcomes rather than activities.",
    ),
    (
        "Community Insight Partners",
        "https://community-insight.example.org",
        "Helps cities hear from residents who rarely take part, and use what they hear.",
    ),
)

# Illustrative levels for the demo only; they are not the program's official list.
DEMO_CERTIFICATIONS = (
    ("austin-tx", CertificationLevel.GOLD, 2022),
    ("tulsa-ok", CertificationLevel.SILVER, 2021),
    ("san-antonio-tx", CertificationLevel.PLATINUM, 2024),
    ("syracuse-ny", CertificationLevel.SILVER, 2023),
    ("boise-id", CertificationLevel.SILVER, 2024),
)

DEMO_DOMAINS = (
    ("austin.example.gov", "austin-tx", None),
    ("evidence-lab.example.org", None, "civic-evidence-lab"),
)

# (email, role, display name, job title, city slug, organisation slug)
DEMO_ACCOUNTS = (
    ("admin@demo.wwc.example", Role.ADMIN, "Alex Admin", "Platform operator", None, None),
    (
        "coordinator@demo.wwc.example",
        Role.COORDINATOR,
        "Casey Coordinator",
        "Program coordinator",
        None,
        None,
    ),
    (
        "partner@evidence-lab.example.org",
        Role.PARTNER,
        "Priya Partner",
        "Evaluation lead",
        None,
        "civic-evidence-lab",
    ),
    (
        "analyst@austin.example.gov",
        Role.PRACTITIONER,
        "Pat Practitioner",
        "Performance analyst",
        "austin-tx",
        None,
    ),
)
DEMO_PENDING = ("newcomer@tulsa.example.com", "Noor Newcomer", "Budget analyst", "tulsa-ok")


@click.command("seed-demo")
@click.option(
    "--scale",
    type=click.Choice(sorted(SCALES)),
    default=None,
    help="Then generate a community in bulk (large: national size; small: a hundredth "
    "of it) and rebuild the search index.",
)
def seed_demo_command(scale: str | None):
    """Load topics, partner organisations and one demo account per role (idempotent)."""
    if db.session.scalar(select(City.id).limit(1)) is None:
        raise click.ClickException("The city directory is empty: run `flask cities import` first.")
    added_topics = ensure_starting_topics(db.session)
    organisations = {org.slug: org for org in db.session.scalars(select(Organisation))}
    for name, website, description in DEMO_ORGANISATIONS:
        org = next((o for o in organisations.values() if o.name == name), None)
        if org is None:
            org = create_organisation(db.session, None, name, website, description)
            organisations[org.slug] = org
    cities = {
        city.slug: city
        for city in db.session.scalars(
            select(City).where(
                City.slug.in_(
                    [slug for slug, _, _ in DEMO_CERTIFICATIONS]
                    + [row[4] for row in DEMO_ACCOUNTS if row[4]]
                    + [DEMO_PENDING[3]]
                )
            )
        )
    }
    for slug, level, year in DEMO_CERTIFICATIONS:
        city = cities.get(slug)
        if city is not None and city.certification_level == CertificationLevel.NONE:
            set_city_certification(db.session, None, city, level, year)
    linked = set(db.session.scalars(select(EmailDomain.domain)))
    for domain, city_slug, org_slug in DEMO_DOMAINS:
        if domain not in linked and (cities.get(city_slug) or organisations.get(org_slug)):
            link_domain(
                db.session,
                None,
                domain,
                city=cities.get(city_slug),
                organisation=organisations.get(org_slug),
            )

    created = []
    for email, role, name, title, city_slug, org_slug in DEMO_ACCOUNTS:
        if find_member_by_email(db.session, email) is None:
            create_member(
                db.session,
                email=email,
                password=DEMO_PASSWORD,
                role=role,
                display_name=name,
                job_title=title,
                city=cities.get(city_slug),
                organisation=organisations.get(org_slug),
            )
            created.append(email)
    email, name, title, city_slug = DEMO_PENDING
    if find_member_by_email(db.session, email) is None:
        member = create_member(
            db.session,
            email=email,
            password=DEMO_PASSWORD,
            role=Role.PRACTITIONER,
            display_name=name,
            job_title=title,
            city=cities.get(city_slug),
        )
        member.status = MemberStatus.PENDING  # verified, waiting in the approval queue
        member.decided_at = None
        created.append(email)
    people_added = _add_demo_people(organisations)
    threads_added = seed_demo_discussions(db.session, [row[0] for row in DEMO_ACCOUNTS])
    practices_added = seed_demo_library(db.session, [row[0] for row in DEMO_ACCOUNTS])
    events_added = seed_demo_events(db.session, [row[0] for row in DEMO_ACCOUNTS])
    assessments_added = seed_demo_certification(db.session)
    db.session.commit()

    click.echo(
        f"Demo content: {added_topics} topics added, {len(created)} demo accounts and "
        f"{people_added} community members created."
    )
    click.echo(f"Demo discussions: {threads_added} threads added.")
    click.echo(f"Demo library: {practices_added} entries added.")
    click.echo(f"Demo events: {events_added} events added.")
    click.echo(f"Demo certification: {assessments_added} city self-assessments added.")
    click.echo(f"Demo accounts (password for each: {DEMO_PASSWORD}):")
    for member in db.session.scalars(
        select(Member)
        .where(Member.email.in_([row[0] for row in DEMO_ACCOUNTS] + [DEMO_PENDING[0]]))
        .order_by(Member.id)
    ):
        click.echo(f"  {member.role:<13} {member.status:<8} {member.email}")
    click.echo("Sign in at http://127.0.0.1:5000/auth/login once the server is running.")
    if scale is not None:
        seed_large_demo(scale, DEMO_PASSWORD)


def _add_demo_people(organisations: dict[str, Organisation]) -> int:
    """Add the invented community members of demo_people, skipping those already there."""
    people = demo_people()
    existing = set(
        db.session.scalars(
            select(Member.email).where(Member.email.in_([person.email for person in people]))
        )
    )
    cities = {
        city.slug: city
        for city in db.session.scalars(
            select(City).where(City.slug.in_({p.city_slug for p in people if p.city_slug}))
        )
    }
    topics = {topic.name: topic for topic in db.session.scalars(select(Topic))}
    added = 0
    for person in people:
        city = cities.get(person.city_slug)
        organisation = organisations.get(person.organisation_slug)
        if person.email in existing or (city is None and organisation is None):
            continue
        member = create_member(
            db.session,
            email=person.email,
            password=DEMO_PASSWORD,
            role=Role.PARTNER if organisation is not None else Role.PRACTITIONER,
            display_name=person.display_name,
            job_title=person.job_title,
            city=city,
            organisation=organisation,
        )
        member.department = person.department
        member.bio = person.bio
        member.bio_html = render_markdown(person.bio)
        db.session.execute(
            member_expertise.insert(),
            [
                {"member_id": member.id, "topic_id": topics[name].id}
                for name in person.topics
                if name in topics
            ],
        )
        added += 1
    return added
