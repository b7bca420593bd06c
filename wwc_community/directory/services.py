"""Operations on the directory: cities, organisations and topics, the domains linked to
them, members' profiles and the member directory."""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member, MemberStatus, Role
from wwc_community.core.audit import record_action
from wwc_community.core.database import text_contains, text_starts_with, utcnow
from wwc_community.core.errors import Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text, render_markdown
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import (
    CertificationLevel,
    City,
    EmailDomain,
    Organisation,
    PopulationBand,
    Topic,
    member_expertise,
)
from wwc_community.discussions.models import Post, Thread

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


def printable_text(raw: str | None, limit: int | None = None) -> str:
    """Text typed into a search or filter: printable characters only, single-spaced."""
    text = "".join(c if c.isprintable() else " " for c in raw or "")
    return " ".join(text.split())[:limit]


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


def listed_member():
    """The condition for members others may see: approved, verified and not deleted."""
    return (Member.status == MemberStatus.ACTIVE) & Member.email_verified_at.is_not(None)


def may_see_members(viewer) -> bool:
    """Only approved members learn who else is a member."""
    return viewer is not None and viewer.is_authenticated and viewer.is_member


@dataclass(frozen=True)
class MemberSample:
    """How many listed members a page counts, and the first of them if the viewer may know."""

    total: int
    members: list[Member] | None  # None when the viewer may not see who they are


def members_of(
    session: Session,
    viewer,
    *,
    city: City | None = None,
    organisation: Organisation | None = None,
    topic: Topic | None = None,
    limit: int = 100,
) -> MemberSample:
    """The listed members of a city, of an organisation or with a topic of expertise, by name."""
    conditions = [listed_member()]
    if city is not None:
        conditions.append(Member.city_id == city.id)
    if organisation is not None:
        conditions.append(Member.organisation_id == organisation.id)
    if topic is not None:
        conditions.append(Member.id.in_(_members_with_topic(topic)))
    total = session.scalar(select(func.count(Member.id)).where(*conditions)) or 0
    if not may_see_members(viewer):
        return MemberSample(total, None)
    members = session.scalars(
        select(Member).where(*conditions).order_by(Member.display_name, Member.id).limit(limit)
    )
    return MemberSample(total, list(members))


def _members_with_topic(topic: Topic):
    # Reads the (topic_id, member_id) index alone.
    return select(member_expertise.c.member_id).where(member_expertise.c.topic_id == topic.id)


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
    if actor is not None and not actor.has_role(Role.COORDINATOR):
        raise NotPermitted("Your role does not allow this.")


def _require_admin(actor) -> None:
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


# Profiles -------------------------------------------------------------------------------

HANDLE_MIN_LENGTH = 3
HANDLE_MAX_LENGTH = 40
DISPLAY_NAME_MAX_LENGTH = 80
JOB_FIELD_MAX_LENGTH = 120
BIO_MAX_LENGTH = 5_000
EXPERTISE_MAX = 8
_HANDLE_CHARACTERS = re.compile(r"^[a-z0-9-]+$")
# accounts.services.anonymise_member gives deleted accounts the handle former-member-<id>.
DELETED_HANDLE_PREFIX = "former-member"


def _require_member(viewer) -> None:
    if not may_see_members(viewer):
        raise NotPermitted("Only approved members can see members' profiles.")


def normalise_handle(handle: str) -> str:
    """A handle as members type it, cleaned: " Dana-Analyst " -> "dana-analyst"."""
    return (handle or "").strip().lower()


def handle_problem(handle: str) -> str | None:
    """Why `handle` cannot be a profile address, or None when it can."""
    if not handle:
        return "Choose a handle: it makes the address of your profile."
    if not HANDLE_MIN_LENGTH <= len(handle) <= HANDLE_MAX_LENGTH:
        return (
            f"Use {HANDLE_MIN_LENGTH} to {HANDLE_MAX_LENGTH} characters "
            f"(this one has {len(handle)})."
        )
    if not _HANDLE_CHARACTERS.match(handle):
        return "Use only the letters a to z, the digits 0 to 9 and hyphens (no spaces)."
    if handle.startswith("-") or handle.endswith("-"):
        return "Start and end the handle with a letter or a digit."
    if handle.startswith(DELETED_HANDLE_PREFIX):
        return f"Handles starting with “{DELETED_HANDLE_PREFIX}” are kept for deleted accounts."
    return None


def get_profile(session: Session, viewer, handle: str) -> Member:
    """The member at /people/<handle>, with their expertise, as `viewer` may see them.

    Members see approved members' profiles. Coordinators and admins also see the
    profiles of members who wait for approval or are suspended; nobody sees declined
    or deleted accounts.
    """
    _require_member(viewer)
    handle = normalise_handle(handle)
    member = None
    if _HANDLE_CHARACTERS.match(handle) and len(handle) <= HANDLE_MAX_LENGTH:
        member = session.scalar(
            select(Member).where(Member.handle == handle).options(selectinload(Member.expertise))
        )
    if member is None or not _profile_visible_to(viewer, member):
        raise NotFound("There is no member profile at this address.")
    return member


def _profile_visible_to(viewer, member: Member) -> bool:
    if member.status == MemberStatus.ACTIVE and member.is_verified:
        return True
    return viewer.has_role(Role.COORDINATOR) and member.status in (
        MemberStatus.PENDING,
        MemberStatus.SUSPENDED,
    )


def get_editable_profile(session: Session, actor, member: Member) -> Member:
    """`member` with their expertise loaded, once `actor` is allowed to edit the profile."""
    _require_profile_editor(actor, member)
    return _with_expertise(session, member)


def _with_expertise(session: Session, member: Member) -> Member:
    """The same member object, its expertise loaded (the relationship never loads lazily)."""
    return session.scalars(
        select(Member).where(Member.id == member.id).options(selectinload(Member.expertise))
    ).one()


def _require_profile_editor(actor, member: Member) -> None:
    """Members edit their own profile; admins may edit anyone's."""
    if actor is None or not actor.is_member:
        raise NotPermitted("Only approved members can edit a profile.")
    if actor.id != member.id and not actor.has_role(Role.ADMIN):
        raise NotPermitted("You can only edit your own profile.")
    if member.is_deleted:
        raise NotFound("This account is deleted.")


def update_profile(
    session: Session,
    actor,
    member: Member,
    *,
    display_name: str,
    handle: str,
    job_title: str,
    department: str,
    bio: str,
    topics: Sequence[Topic],
    city: City | None,
    organisation: Organisation | None,
) -> None:
    """Change what a profile shows; the bio is rendered and stored beside its source.

    Practitioners keep a city and partners an organisation. A change of city or
    organisation is kept in the audit trail.
    """
    _require_profile_editor(actor, member)
    display_name = " ".join((display_name or "").split())
    handle = normalise_handle(handle)
    job_title = " ".join((job_title or "").split())
    department = " ".join((department or "").split())
    bio = clean_text(bio)
    topics = list(dict.fromkeys(topics))

    if not display_name:
        raise Invalid("Enter the name other members know you by.", field="display_name")
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        raise Invalid(f"Use at most {DISPLAY_NAME_MAX_LENGTH} characters.", field="display_name")
    problem = handle_problem(handle)
    if problem:
        raise Invalid(problem, field="handle")
    taken = session.scalar(select(Member.id).where(Member.handle == handle, Member.id != member.id))
    if taken:
        raise Invalid(f"Someone else has the handle “{handle}”. Choose another.", field="handle")
    for field, value in (("job_title", job_title), ("department", department)):
        if len(value) > JOB_FIELD_MAX_LENGTH:
            raise Invalid(f"Use at most {JOB_FIELD_MAX_LENGTH} characters.", field=field)
    if len(bio) > BIO_MAX_LENGTH:
        raise Invalid(
            f"Keep the bio to {BIO_MAX_LENGTH:,} characters (this one has {len(bio):,}).",
            field="bio",
        )
    if len(topics) > EXPERTISE_MAX:
        raise Invalid(
            f"Choose at most {EXPERTISE_MAX} topics (you chose {len(topics)}).", field="topics"
        )
    _check_affiliation(member, city, organisation)

    member = _with_expertise(session, member)
    before = member.affiliation_label
    changed_affiliation = (member.city_id, member.organisation_id) != (
        city.id if city else None,
        organisation.id if organisation else None,
    )
    member.display_name, member.handle = display_name, handle
    member.job_title, member.department = job_title, department
    member.bio, member.bio_html = bio, str(render_markdown(bio))
    member.expertise = topics
    member.city, member.organisation = city, organisation
    if changed_affiliation:
        record_action(
            session,
            actor,
            "member.affiliation",
            member,
            f"Changed the affiliation of {member.email} from {before or 'none'} "
            f"to {member.affiliation_label or 'none'}",
        )


def _check_affiliation(member: Member, city: City | None, organisation: Organisation | None):
    """City staff keep a city, partner staff an organisation; nobody has both."""
    if member.role == Role.PRACTITIONER:
        if organisation is not None:
            raise Invalid(
                "Profiles of city staff name a city. If you moved to a partner organisation, "
                "ask a coordinator to change your role.",
                field="organisation",
            )
        if city is None:
            raise Invalid(
                "City staff keep their city on the profile. Type it, for example “Austin, TX”.",
                field="city",
            )
    elif member.role == Role.PARTNER:
        if city is not None:
            raise Invalid(
                "Profiles of partner staff name an organisation. If you moved to a city, "
                "ask a coordinator to change your role.",
                field="city",
            )
        if organisation is None:
            raise Invalid(
                "Partner staff keep their organisation on the profile. Choose it from the list.",
                field="organisation",
            )
    elif city is not None and organisation is not None:
        raise Invalid("Give a city or an organisation, not both.", field="organisation")


# The member directory -------------------------------------------------------------------

DIRECTORY_SORTS = {"name": "Name", "newest": "Newest members first", "helpful": "Most helpful"}
# In the "most helpful" sort an accepted answer counts as this many votes.
ACCEPTED_ANSWER_WEIGHT = 10
_TRUE_FLAGS = frozenset({"1", "on", "yes", "true"})


@dataclass(frozen=True)
class DirectoryChoices:
    """What the directory's filter controls offer."""

    topics: list[Topic]
    organisations: list[Organisation]
    states: list[str]
    cities: list[City]  # the cities that have listed members


@dataclass(frozen=True)
class DirectoryFilters:
    """The member directory's filters, read and checked from its query string."""

    topic: Topic | None = None
    city: City | None = None
    state: str | None = None
    band: PopulationBand | None = None
    role: Role | None = None
    organisation: Organisation | None = None
    like_mine: bool = False
    # The viewer's own band when "cities like mine" is on and their city has one.
    like_mine_band: PopulationBand | None = None
    query: str = ""
    sort: str = "name"

    @property
    def any(self) -> bool:
        """True when some filter narrows the list (the sort does not)."""
        return self != replace(DirectoryFilters(), sort=self.sort)


def directory_choices(session: Session) -> DirectoryChoices:
    """Topics, organisations, states and the cities with members, for the filter controls."""
    cities_with_members = (
        select(City)
        .where(City.id.in_(select(Member.city_id).where(listed_member())))
        .order_by(City.name, City.state)
    )
    return DirectoryChoices(
        topics=list_topics(session),
        organisations=list_organisations(session),
        states=states_in_directory(session),
        cities=list(session.scalars(cities_with_members)),
    )


def read_directory_filters(
    session: Session, viewer, args: Mapping[str, str], choices: DirectoryChoices
) -> DirectoryFilters:
    """Check the directory's query string; raise Invalid naming every value not understood."""
    _require_member(viewer)
    problems = []

    def text(name: str) -> str:
        return printable_text(args.get(name))

    def quoted(value: str) -> str:
        return f"“{value[:40]}”"

    topic = city = organisation = band = role = None
    state = text("state").upper() or None
    if slug := text("topic"):
        topic = next((t for t in choices.topics if t.slug == slug), None)
        if topic is None:
            problems.append(f"There is no topic {quoted(slug)}: choose one from the list.")
    if slug := text("city"):
        city = next((c for c in choices.cities if c.slug == slug), None)
        if city is None and _is_plausible_slug(slug):
            # A city of the directory without members yet: a valid, empty answer.
            city = session.scalar(select(City).where(City.slug == slug))
        if city is None:
            problems.append(f"There is no city {quoted(slug)} in the directory.")
    if state and state not in choices.states:
        problems.append(f"There is no state {quoted(state)}: use a two-letter code like TX.")
    if value := text("band"):
        try:
            band = PopulationBand(value)
        except ValueError:
            problems.append(f"There is no population band {quoted(value)}.")
    if value := text("role"):
        try:
            role = Role(value)
        except ValueError:
            problems.append(f"There is no role {quoted(value)}.")
    if slug := text("organisation"):
        organisation = next((o for o in choices.organisations if o.slug == slug), None)
        if organisation is None:
            problems.append(f"There is no partner organisation {quoted(slug)}.")
    sort = text("sort") or "name"
    if sort not in DIRECTORY_SORTS:
        problems.append(
            f"The list cannot be sorted by {quoted(sort)}: use name, newest or helpful."
        )
    if problems:
        raise Invalid(" ".join(problems))

    like_mine = text("like_mine").lower() in _TRUE_FLAGS
    own_city = viewer.city
    return DirectoryFilters(
        topic=topic,
        city=city,
        state=state,
        band=band,
        role=role,
        organisation=organisation,
        like_mine=like_mine,
        like_mine_band=own_city.population_band if like_mine and own_city else None,
        query=printable_text(args.get("q"), 100),
        sort=sort,
    )


def member_directory(session: Session, viewer, filters: DirectoryFilters) -> Select:
    """The listed members who match `filters`, in the order asked, expertise loaded.

    The statement is meant for core.pagination.paginate: a page of members costs one
    query for the count, one for the rows (city and organisation joined) and one for
    their expertise, however many members there are.
    """
    _require_member(viewer)
    statement = select(Member).where(listed_member()).options(selectinload(Member.expertise))
    if filters.topic is not None:
        statement = statement.where(Member.id.in_(_members_with_topic(filters.topic)))
    if filters.city is not None:
        statement = statement.where(Member.city_id == filters.city.id)
    cities = select(City.id)
    if filters.state:
        cities = cities.where(City.state == filters.state)
    for band in (filters.band, filters.like_mine_band):
        if band is not None:
            low, high = band.bounds
            cities = cities.where(City.population >= low)
            if high is not None:
                cities = cities.where(City.population < high)
    if cities.whereclause is not None:
        statement = statement.where(Member.city_id.in_(cities))
    if filters.role is not None:
        statement = statement.where(Member.role == filters.role)
    if filters.organisation is not None:
        statement = statement.where(Member.organisation_id == filters.organisation.id)
    if filters.query:
        statement = statement.where(text_contains(Member.display_name, filters.query))
    if filters.sort == "newest":
        return statement.order_by(Member.created_at.desc(), Member.id.desc())
    if filters.sort == "helpful":
        helpfulness = _helpfulness().subquery()
        score = func.coalesce(helpfulness.c.score, 0)
        return statement.outerjoin(helpfulness, helpfulness.c.member_id == Member.id).order_by(
            score.desc(), Member.display_name, Member.id
        )
    return statement.order_by(Member.display_name, Member.id)


@dataclass(frozen=True)
class Helpfulness:
    """What a member's answers earned: how many were accepted, and the votes they hold."""

    accepted: int = 0
    votes: int = 0


def _helpfulness() -> Select:
    """Per author: accepted answers, votes on answers, and the score the directory ranks
    by. Counts answers only (not comments), and none removed or hidden."""
    accepted_posts = select(Thread.accepted_post_id).where(Thread.accepted_post_id.is_not(None))
    accepted = func.sum(case((Post.id.in_(accepted_posts), 1), else_=0))
    votes = func.sum(Post.vote_count)
    return (
        select(
            Post.author_id.label("member_id"),
            accepted.label("accepted"),
            votes.label("votes"),
            (accepted * ACCEPTED_ANSWER_WEIGHT + votes).label("score"),
        )
        .where(Post.parent_id.is_(None), Post.deleted_at.is_(None), Post.hidden_at.is_(None))
        .group_by(Post.author_id)
    )


def helpfulness_of(session: Session, members: Sequence[Member]) -> dict[int, Helpfulness]:
    """The accepted answers and votes of each of `members` (one query), by member id."""
    ids = [member.id for member in members]
    figures = dict.fromkeys(ids, Helpfulness())
    if ids:
        rows = session.execute(_helpfulness().where(Post.author_id.in_(ids)))
        for row in rows:
            figures[row.member_id] = Helpfulness(int(row.accepted or 0), int(row.votes or 0))
    return figures
