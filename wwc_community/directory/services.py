"""Operations on the directory: finding cities, and the domains linked to cities and
organisations."""

import re

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.core.audit import record_action
from wwc_community.core.database import text_contains, text_starts_with, utcnow
from wwc_community.core.errors import Invalid, NotFound, NotPermitted
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import (
    CertificationLevel,
    City,
    EmailDomain,
    Organisation,
    PopulationBand,
    Topic,
)

SUGGESTION_LIMIT = 10


def organisation_or_city_for_domain(session: Session, domain: str) -> City | Organisation | None:
    """The city or organisation linked to `domain` or to a domain it is a subdomain of."""
    domain = domain.strip().lower()
    labels = domain.split(".")
    candidates = [".".join(labels[i:]) for i in range(len(labels) - 1)]
    if not candidates:
        return None
    linked = session.scalars(
        select(EmailDomain)
        .where(EmailDomain.domain.in_(candidates))
        .options(joinedload(EmailDomain.city), joinedload(EmailDomain.organisation))
    ).all()
    if not linked:
        return None
    # The most specific domain wins: police.example.gov before example.gov.
    best = max(linked, key=lambda row: len(row.domain))
    return best.city or best.organisation


def find_city_by_label(session: Session, typed: str) -> City:
    """The city a member typed: "Austin, TX", "Austin TX" or a name only one state has.

    Raise Invalid with a message that helps the member pick when there is no match
    or more than one.
    """
    text = " ".join((typed or "").replace(",", ", ").split())
    if not text:
        raise Invalid("Type the name of your city and choose it from the list.", field="city")
    name, state = _split_name_and_state(text)
    statement = select(City).where(func.lower(City.name) == name.lower())
    if state:
        statement = statement.where(City.state == state.upper())
    matches = session.scalars(statement.order_by(City.population.desc()).limit(6)).all()
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise Invalid(
            f"We could not find “{typed.strip()[:80]}” in the directory of US cities of "
            "30,000 or more residents. Type the name and choose it from the list, "
            "for example “Austin, TX”.",
            field="city",
        )
    options = ", ".join(city.label for city in matches[:5])
    raise Invalid(
        f"More than one city is called {name}: add the state, for example {options}.", field="city"
    )


def _split_name_and_state(text: str) -> tuple[str, str | None]:
    if "," in text:
        name, _, state = text.rpartition(",")
        state = state.strip()
        if len(state) == 2 and state.isalpha():
            return name.strip(), state
        return text.replace(",", "").strip(), None
    parts = text.rsplit(" ", 1)
    if len(parts) == 2 and len(parts[1]) == 2 and parts[1].isalpha() and parts[1].isupper():
        return parts[0], parts[1]
    return text, None


def suggest_cities(session: Session, prefix: str) -> list[City]:
    """Cities whose name starts with `prefix`, largest first (for the sign-up field)."""
    prefix = " ".join((prefix or "").split()).split(",")[0].strip()
    if not prefix:
        return []
    return list(
        session.scalars(
            select(City)
            .where(text_starts_with(City.name, prefix))
            .order_by(City.population.desc())
            .limit(SUGGESTION_LIMIT)
        )
    )


def list_organisations(session: Session) -> list[Organisation]:
    """Every partner organisation, by name."""
    return list(session.scalars(select(Organisation).order_by(Organisation.name)))


def city_list_statement(
    *,
    query: str = "",
    state: str | None = None,
    band: PopulationBand | None = None,
    certification: CertificationLevel | None = None,
):
    """The cities matching the directory's filters, largest first."""
    statement = select(City)
    if query:
        statement = statement.where(text_contains(City.name, query))
    if state:
        statement = statement.where(City.state == state)
    if band is not None:
        low, high = band.bounds
        statement = statement.where(City.population >= low)
        if high is not None:
            statement = statement.where(City.population < high)
    if certification is not None:
        statement = statement.where(City.certification_level == certification)
    return statement.order_by(City.population.desc(), City.name)


def states_in_directory(session: Session) -> list[str]:
    """The states that have at least one city in the directory, alphabetically."""
    return list(session.scalars(select(City.state).distinct().order_by(City.state)))


def _is_plausible_slug(slug: str) -> bool:
    """False for text no slug can be (PostgreSQL refuses to compare text holding NUL)."""
    return 0 < len(slug) <= 160 and slug.isprintable()


def get_city(session: Session, slug: str) -> City:
    city = (
        session.scalar(select(City).where(City.slug == slug)) if _is_plausible_slug(slug) else None
    )
    if city is None:
        raise NotFound("There is no city at this address.")
    return city


def count_city_members(session: Session, city: City) -> int:
    """How many approved members work for `city`."""
    from wwc_community.accounts.models import Member, MemberStatus

    return (
        session.scalar(
            select(func.count(Member.id)).where(
                Member.city_id == city.id, Member.status == MemberStatus.ACTIVE
            )
        )
        or 0
    )


def city_members(session: Session, city: City, limit: int = 100) -> list:
    """The approved members who work for `city`, by name."""
    from wwc_community.accounts.models import Member, MemberStatus

    return list(
        session.scalars(
            select(Member)
            .where(Member.city_id == city.id, Member.status == MemberStatus.ACTIVE)
            .order_by(Member.display_name)
            .limit(limit)
        )
    )


# Administration: topics, organisations, e-mail domains, certification -----------------


def organisations_with_domains(session: Session) -> list[Organisation]:
    """Every partner organisation, by name, with its linked domains loaded."""
    return list(
        session.scalars(
            select(Organisation)
            .options(selectinload(Organisation.domains))
            .order_by(Organisation.name)
        )
    )


def get_organisation(session: Session, slug: str) -> Organisation:
    """The organisation at `slug`, with its linked domains loaded."""
    organisation = None
    if _is_plausible_slug(slug):
        organisation = session.scalar(
            select(Organisation)
            .where(Organisation.slug == slug)
            .options(selectinload(Organisation.domains))
        )
    if organisation is None:
        raise NotFound("There is no organisation at this address.")
    return organisation


def list_topics(session: Session) -> list[Topic]:
    """Every topic, by name."""
    return list(session.scalars(select(Topic).order_by(Topic.name)))


def get_topic(session: Session, slug: str) -> Topic:
    topic = (
        session.scalar(select(Topic).where(Topic.slug == slug))
        if _is_plausible_slug(slug)
        else None
    )
    if topic is None:
        raise NotFound("There is no topic at this address.")
    return topic


def linked_domains_statement(query: str = ""):
    """Linked e-mail domains with their city or organisation, alphabetically."""
    statement = select(EmailDomain).options(
        joinedload(EmailDomain.city), joinedload(EmailDomain.organisation)
    )
    query = normalise_domain(query)
    if query:
        statement = statement.where(text_contains(EmailDomain.domain, query))
    return statement.order_by(EmailDomain.domain)


def get_linked_domain(session: Session, domain_id: int) -> EmailDomain:
    """One linked domain with its city or organisation."""
    link = session.scalar(
        select(EmailDomain)
        .where(EmailDomain.id == domain_id)
        .options(joinedload(EmailDomain.city), joinedload(EmailDomain.organisation))
    )
    if link is None:
        raise NotFound("That domain is not linked any more.")
    return link


STARTING_TOPICS = (
    (
        "Data Governance and Management",
        "Who owns which data, how it is inventoried, kept accurate and protected, and the "
        "policies and roles that make data usable across departments.",
    ),
    (
        "Open Data",
        "Publishing data the public can find and use: portals, standards, release policies "
        "and engaging the people who use it.",
    ),
    (
        "Performance and Analytics",
        "Setting goals, tracking progress with measures, and using analysis in regular "
        "management routines to decide and improve.",
    ),
    (
        "Evaluations",
        "Testing whether programs work: randomised trials, quasi-experimental designs, "
        "pre/post comparisons and acting on what they find.",
    ),
    (
        "Results-Driven Contracting",
        "Procurement that defines the outcomes a city buys, structures contracts around "
        "them, and manages vendors to results.",
    ),
    (
        "Stakeholder Engagement",
        "Involving residents and partners in setting priorities, designing services and "
        "judging results.",
    ),
    (
        "Budgeting and Repurposing for Results",
        "Using evidence in the budget: funding what works and moving money away from what "
        "does not.",
    ),
    (
        "Leadership and Capacity",
        "The commitment of leaders, the staff and skills, and the structures a city needs to "
        "use data and evidence every day.",
    ),
)


def _require_coordinator(actor) -> None:
    """None stands for an operator at the command line; members need the coordinator role."""
    from wwc_community.accounts.models import Role

    if actor is not None and not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Your role does not allow this.")


def _require_admin(actor) -> None:
    from wwc_community.accounts.models import Role

    if actor is not None and not actor.has_role(Role.ADMIN):
        raise NotPermitted("Only an admin can do this.")


def ensure_starting_topics(session: Session) -> int:
    """Add the foundational practice areas that are missing; return how many were added."""
    existing = set(session.scalars(select(Topic.slug)))
    added = 0
    for name, description in STARTING_TOPICS:
        if slugify(name) not in existing:
            session.add(Topic(name=name, slug=slugify(name), description=description))
            added += 1
    return added


def create_topic(session: Session, actor, name: str, description: str = "") -> Topic:
    """Add a practice area."""
    _require_coordinator(actor)
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug:
        raise Invalid("Give the topic a name with letters or digits.", field="name")
    if session.scalar(
        select(Topic.id).where(or_(func.lower(Topic.name) == name.lower(), Topic.slug == slug))
    ):
        raise Invalid(f"There is already a topic called {name}.", field="name")
    topic = Topic(name=name, slug=slug, description=description.strip())
    session.add(topic)
    session.flush()
    record_action(session, actor, "topic.create", topic, f"Created the topic {name}")
    return topic


def update_topic(session: Session, actor, topic: Topic, name: str, description: str) -> None:
    """Rename a topic or change its description (its address stays the same)."""
    _require_coordinator(actor)
    name = " ".join(name.split())
    if not slugify(name):
        raise Invalid("Give the topic a name with letters or digits.", field="name")
    clash = session.scalar(
        select(Topic.id).where(func.lower(Topic.name) == name.lower(), Topic.id != topic.id)
    )
    if clash:
        raise Invalid(f"There is already a topic called {name}.", field="name")
    topic.name, topic.description = name, description.strip()
    record_action(session, actor, "topic.update", topic, f"Updated the topic {name}")


def create_organisation(
    session: Session, actor, name: str, website: str = "", description: str = ""
) -> Organisation:
    """Add a partner organisation."""
    _require_coordinator(actor)
    name = " ".join(name.split())
    slug = slugify(name)
    if not slug:
        raise Invalid("Give the organisation a name with letters or digits.", field="name")
    if session.scalar(
        select(Organisation.id).where(
            or_(func.lower(Organisation.name) == name.lower(), Organisation.slug == slug)
        )
    ):
        raise Invalid(f"There is already an organisation called {name}.", field="name")
    organisation = Organisation(
        name=name, slug=slug, website=website.strip(), description=description.strip()
    )
    session.add(organisation)
    session.flush()
    record_action(
        session, actor, "organisation.create", organisation, f"Created the organisation {name}"
    )
    return organisation


def update_organisation(
    session: Session, actor, organisation: Organisation, name: str, website: str, description: str
) -> None:
    """Change an organisation's name, website or description."""
    _require_coordinator(actor)
    name = " ".join(name.split())
    if not slugify(name):
        raise Invalid("Give the organisation a name with letters or digits.", field="name")
    clash = session.scalar(
        select(Organisation.id).where(
            func.lower(Organisation.name) == name.lower(), Organisation.id != organisation.id
        )
    )
    if clash:
        raise Invalid(f"There is already an organisation called {name}.", field="name")
    organisation.name = name
    organisation.website = website.strip()
    organisation.description = description.strip()
    record_action(
        session, actor, "organisation.update", organisation, f"Updated the organisation {name}"
    )


DOMAIN_PATTERN = re.compile(r"^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def normalise_domain(domain: str) -> str:
    """A domain as members type it, cleaned: "@AustinTexas.gov " -> "austintexas.gov"."""
    return domain.strip().lower().lstrip("@").rstrip(".")


def link_domain(
    session: Session,
    actor,
    domain: str,
    *,
    city: City | None = None,
    organisation: Organisation | None = None,
) -> EmailDomain:
    """Approve verified addresses on `domain` at once for this city or organisation."""
    _require_coordinator(actor)
    domain = normalise_domain(domain)
    if not DOMAIN_PATTERN.match(domain):
        raise Invalid("Enter a domain like austintexas.gov, without a name or @.", field="domain")
    if (city is None) == (organisation is None):
        raise Invalid("Link the domain to a city or to an organisation.", field="city")
    existing = session.scalar(
        select(EmailDomain)
        .where(EmailDomain.domain == domain)
        .options(joinedload(EmailDomain.city), joinedload(EmailDomain.organisation))
    )
    if existing is not None:
        raise Invalid(f"{domain} is already linked to {existing.owner_label}.", field="domain")
    link = EmailDomain(domain=domain, city=city, organisation=organisation)
    session.add(link)
    session.flush()
    owner = city.label if city is not None else organisation.name
    record_action(session, actor, "domain.link", link, f"Linked {domain} to {owner}")
    return link


def unlink_domain(session: Session, actor, link: EmailDomain) -> None:
    """Stop approving addresses on this domain automatically (members keep their accounts)."""
    _require_coordinator(actor)
    record_action(
        session, actor, "domain.unlink", link, f"Unlinked {link.domain} from {link.owner_label}"
    )
    session.delete(link)


def set_city_certification(
    session: Session, actor, city: City, level: CertificationLevel, year: int | None
) -> None:
    """Record a city's certification level and the year it was awarded (admins)."""
    _require_admin(actor)
    if level is CertificationLevel.NONE:
        year = None
    elif year is None or not 2017 <= year <= utcnow().year:
        raise Invalid(
            f"Give the year of certification, between 2017 and {utcnow().year}.", field="year"
        )
    city.certification_level, city.certification_year = level, year
    record_action(
        session,
        actor,
        "city.certification",
        city,
        f"Set the certification of {city.label} to {level.label}" + (f" ({year})" if year else ""),
    )
