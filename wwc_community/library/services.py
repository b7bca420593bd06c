"""Operations on the practice library. Every verb takes the acting member (or None for a
visitor) and leaves the commit to the caller.

Who sees what: published entries are public; drafts and unpublished entries are seen
only by staff of the entry's organisation and by coordinators, and are "not found" to
everyone else, so their existence is not revealed.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from wwc_community.accounts.models import Member, Role
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.core.markup import clean_text, render_markdown
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import Organisation, Topic
from wwc_community.library.models import (
    EvaluationDesign,
    EvidenceTier,
    Practice,
    PracticeKind,
    PracticeLink,
    PracticeResult,
    PracticeStatus,
    PracticeVersion,
)

# The tier each evaluation design supports, and what it means in plain words.
TIER_OF_DESIGN = {
    EvaluationDesign.RANDOMISED_TRIAL: EvidenceTier.STRONG,
    EvaluationDesign.QUASI_EXPERIMENTAL: EvidenceTier.MODERATE,
    EvaluationDesign.PRE_POST: EvidenceTier.PROMISING,
    EvaluationDesign.DESCRIPTIVE: EvidenceTier.EMERGING,
}
TIER_EXPLANATIONS = {
    EvidenceTier.STRONG: (
        "Strong: a randomised trial compared places or people who got the practice with "
        "similar ones who did not, so the difference in results can be credited to it."
    ),
    EvidenceTier.MODERATE: (
        "Moderate: a comparison group that was not chosen at random (quasi-experimental) "
        "suggests the practice caused the change, but other differences may explain part "
        "of it."
    ),
    EvidenceTier.PROMISING: (
        "Promising: results improved after the practice began (before and after), but "
        "without a comparison group other changes at the same time may explain it."
    ),
    EvidenceTier.EMERGING: (
        "Emerging: a description of what was done and seen, useful for learning how, not "
        "proof that it works."
    ),
}


def evidence_tier_for(design: str | None) -> EvidenceTier | None:
    """The tier an evaluation design supports; none when the design is not given."""
    if not design:
        return None
    return TIER_OF_DESIGN[EvaluationDesign(design)]


def may_manage(viewer: Member | None, organisation_id: int) -> bool:
    """Partners of the organisation and coordinators write and see its entries."""
    if viewer is None or not getattr(viewer, "is_member", False):
        return False
    if viewer.has_role(Role.COORDINATOR):
        return True
    return viewer.has_role(Role.PARTNER) and viewer.organisation_id == organisation_id


def may_see(viewer: Member | None, practice: Practice) -> bool:
    """Published entries are public; anything else only for those who manage it."""
    return practice.status == PracticeStatus.PUBLISHED or may_manage(
        viewer, practice.organisation_id
    )


def visible_practices(viewer: Member | None) -> Select:
    """The entries `viewer` may see: published ones, plus their own organisation's
    drafts for partners, plus every draft for coordinators."""
    statement = select(Practice)
    if viewer is not None and getattr(viewer, "is_member", False):
        if viewer.has_role(Role.COORDINATOR):
            return statement
        if viewer.has_role(Role.PARTNER) and viewer.organisation_id is not None:
            return statement.where(
                or_(
                    Practice.status == PracticeStatus.PUBLISHED,
                    Practice.organisation_id == viewer.organisation_id,
                )
            )
    return statement.where(Practice.status == PracticeStatus.PUBLISHED)


def get_practice(session: Session, viewer: Member | None, slug: str) -> Practice:
    """The entry at `slug`, or NotFound when it does not exist or `viewer` may not see it
    (the same answer in both cases)."""
    practice = session.scalar(select(Practice).where(Practice.slug == slug))
    if practice is None or not may_see(viewer, practice):
        raise NotFound("There is no library entry at this address.")
    return practice


# Publishing ---------------------------------------------------------------------------------

TITLE_MIN_LENGTH = 10
TITLE_MAX_LENGTH = 200
SUMMARY_MAX_LENGTH = 500
BODY_MAX_LENGTH = 50_000
EVIDENCE_TEXT_MAX_LENGTH = 5_000
OUTCOME_MEASURE_MAX_LENGTH = 300
COST_MAX_LENGTH = 200
TIME_MAX_LENGTH = 200
TOPICS_MIN = 1
TOPICS_MAX = 3
RESULTS_MAX = 6
LINKS_MAX = 8
MEASURE_MAX_LENGTH = 200
UNIT_MAX_LENGTH = 40
VALUE_MAX_LENGTH = 40
LINK_LABEL_MAX_LENGTH = 200
LINK_URL_MAX_LENGTH = 500
SLUG_MAX_LENGTH = 100

# Addresses of the library's own pages, which an entry's slug must not take.
RESERVED_SLUGS = {"new", "manage", "saved", "feed", "feed-atom", "practices", "search"}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

DESIGN_LABELS = {
    EvaluationDesign.RANDOMISED_TRIAL: "Randomised trial",
    EvaluationDesign.QUASI_EXPERIMENTAL: "Quasi-experimental comparison",
    EvaluationDesign.PRE_POST: "Before and after (pre/post)",
    EvaluationDesign.DESCRIPTIVE: "Descriptive",
}


@dataclass(frozen=True)
class ResultRow:
    """One row of the results table as typed: dates may be `date`s or YYYY-MM-DD text."""

    measure: str = ""
    unit: str = ""
    baseline_value: str = ""
    baseline_date: date | str | None = None
    result_value: str = ""
    result_date: date | str | None = None

    def is_empty(self) -> bool:
        return not any(
            str(value or "").strip()
            for value in (
                self.measure,
                self.unit,
                self.baseline_value,
                self.baseline_date,
                self.result_value,
                self.result_date,
            )
        )


@dataclass(frozen=True)
class LinkRow:
    """An external link as typed."""

    label: str = ""
    url: str = ""

    def is_empty(self) -> bool:
        return not (self.label or "").strip() and not (self.url or "").strip()


@dataclass
class PracticeFields:
    """Everything a partner writes on an entry."""

    title: str
    kind: str = PracticeKind.GUIDE
    summary: str = ""
    body: str = ""
    topics: Sequence[Topic] = ()
    problem: str = ""
    intervention: str = ""
    outcome_measure: str = ""
    evaluation_design: str | None = None
    cost: str = ""
    time_to_implement: str = ""
    results: Sequence[ResultRow] = ()
    links: Sequence[LinkRow] = field(default_factory=tuple)


def check_may_manage(actor: Member | None, organisation_id: int) -> None:
    """Refuse anyone who may not write the organisation's entries."""
    if not may_manage(actor, organisation_id):
        raise NotPermitted(
            "Only the organisation's partners and coordinators can change its entries."
        )


def _one_line(value: str | None) -> str:
    return " ".join((value or "").split())


def _text(value: str | None, what: str, field_name: str, max_length: int) -> str:
    value = clean_text(value)
    if len(value) > max_length:
        raise Invalid(
            f"Keep the {what} to {max_length:,} characters (this one has {len(value):,}).",
            field=field_name,
        )
    return value


def _clean_title(title: str | None) -> str:
    title = _one_line(title)
    if len(title) < TITLE_MIN_LENGTH:
        raise Invalid(
            f"Write a title of at least {TITLE_MIN_LENGTH} characters that says what the "
            "practice is.",
            field="title",
        )
    if len(title) > TITLE_MAX_LENGTH:
        raise Invalid(
            f"Keep the title to {TITLE_MAX_LENGTH} characters (this one has {len(title)}).",
            field="title",
        )
    return title


def _clean_kind(kind: str | None) -> str:
    try:
        return PracticeKind(kind or "").value
    except ValueError:
        raise Invalid("Choose the kind of entry from the list.", field="kind") from None


def _clean_design(design: str | None) -> str | None:
    if not design:
        return None
    try:
        return EvaluationDesign(design).value
    except ValueError:
        raise Invalid(
            "Choose the evaluation design from the list.", field="evaluation_design"
        ) from None


def _clean_topics(topics: Sequence[Topic]) -> list[Topic]:
    unique = list({topic.id: topic for topic in topics}.values())
    if not TOPICS_MIN <= len(unique) <= TOPICS_MAX:
        raise Invalid(f"Choose one to {TOPICS_MAX} topics.", field="topics")
    return unique


def parse_day(value: date | str | None, what: str) -> date | None:
    """A date typed as YYYY-MM-DD (or already a date); None when empty."""
    if value is None or isinstance(value, date):
        return value
    text = value.strip()
    if not text:
        return None
    try:
        if not _ISO_DAY.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise Invalid(
            f"Write the {what} as YYYY-MM-DD, for example 2023-06-30 (not “{text[:20]}”).",
            field="results",
        ) from None


def _clean_results(rows: Sequence[ResultRow]) -> list[PracticeResult]:
    rows = [row for row in rows if not row.is_empty()]
    if len(rows) > RESULTS_MAX:
        raise Invalid(f"Give at most {RESULTS_MAX} results.", field="results")
    cleaned = []
    for number, row in enumerate(rows, start=1):
        where = f"result {number}"
        measure = _one_line(row.measure)
        if not measure:
            raise Invalid(f"Say what {where} measures.", field="results")
        baseline_value = _one_line(row.baseline_value)
        result_value = _one_line(row.result_value)
        if not baseline_value and not result_value:
            raise Invalid(f"Give a baseline value or a result value for {where}.", field="results")
        for value, name, max_length in (
            (measure, "measure", MEASURE_MAX_LENGTH),
            (_one_line(row.unit), "unit", UNIT_MAX_LENGTH),
            (baseline_value, "baseline value", VALUE_MAX_LENGTH),
            (result_value, "result value", VALUE_MAX_LENGTH),
        ):
            if len(value) > max_length:
                raise Invalid(
                    f"Keep the {name} of {where} to {max_length} characters.", field="results"
                )
        cleaned.append(
            PracticeResult(
                position=number,
                measure=measure,
                unit=_one_line(row.unit),
                baseline_value=baseline_value,
                baseline_date=parse_day(row.baseline_date, f"baseline date of {where}"),
                result_value=result_value,
                result_date=parse_day(row.result_date, f"result date of {where}"),
            )
        )
    return cleaned


def _clean_links(rows: Sequence[LinkRow]) -> list[PracticeLink]:
    rows = [row for row in rows if not row.is_empty()]
    if len(rows) > LINKS_MAX:
        raise Invalid(f"Give at most {LINKS_MAX} links.", field="links")
    cleaned = []
    for number, row in enumerate(rows, start=1):
        label = _one_line(row.label)
        url = (row.url or "").strip()
        if not label:
            raise Invalid(f"Give link {number} a label that says where it goes.", field="links")
        if len(label) > LINK_LABEL_MAX_LENGTH:
            raise Invalid(
                f"Keep the label of link {number} to {LINK_LABEL_MAX_LENGTH} characters.",
                field="links",
            )
        parts = urlsplit(url)
        if (
            parts.scheme.lower() not in ("http", "https")
            or not parts.netloc
            or any(character.isspace() or ord(character) < 32 for character in url)
            or len(url) > LINK_URL_MAX_LENGTH
        ):
            raise Invalid(
                f"Link {number} needs a full web address starting with https:// or http:// "
                f"(at most {LINK_URL_MAX_LENGTH} characters).",
                field="links",
            )
        cleaned.append(PracticeLink(position=number, label=label, url=url))
    return cleaned


def _unique_slug(session: Session, title: str, practice_id: int | None = None) -> str:
    base = slugify(title)[:SLUG_MAX_LENGTH].strip("-")
    if len(slugify(title)) > SLUG_MAX_LENGTH and "-" in base:
        base = base.rsplit("-", 1)[0]
    base = base or "practice"
    taken = set(
        session.scalars(
            select(Practice.slug).where(
                Practice.slug.like(f"{base}%"),
                Practice.id != (practice_id or 0),
            )
        )
    )
    taken |= RESERVED_SLUGS
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


def _apply(
    session: Session, practice: Practice, fields: PracticeFields, keep_slug: bool = False
) -> None:
    """Check every field, then write them all (nothing is written if one is wrong)."""
    title = _clean_title(fields.title)
    kind = _clean_kind(fields.kind)
    summary = _text(fields.summary, "summary", "summary", SUMMARY_MAX_LENGTH)
    summary = _one_line(summary)
    body = _text(fields.body, "body", "body", BODY_MAX_LENGTH)
    topics = _clean_topics(fields.topics)
    problem = _text(fields.problem, "problem", "problem", EVIDENCE_TEXT_MAX_LENGTH)
    intervention = _text(
        fields.intervention, "intervention", "intervention", EVIDENCE_TEXT_MAX_LENGTH
    )
    outcome_measure = _text(
        _one_line(fields.outcome_measure),
        "outcome measure",
        "outcome_measure",
        OUTCOME_MEASURE_MAX_LENGTH,
    )
    design = _clean_design(fields.evaluation_design)
    cost = _text(_one_line(fields.cost), "cost", "cost", COST_MAX_LENGTH)
    time_to_implement = _text(
        _one_line(fields.time_to_implement),
        "time to implement",
        "time_to_implement",
        TIME_MAX_LENGTH,
    )
    results = _clean_results(fields.results)
    links = _clean_links(fields.links)

    if not keep_slug and practice.published_at is None and practice.title != title:
        practice.slug = _unique_slug(session, title, practice.id)
    practice.title = title
    practice.kind = kind
    practice.summary = summary
    if body != practice.body or not practice.body_html:
        practice.body_html = str(render_markdown(body)) if body else ""
    practice.body = body
    practice.topics = topics
    practice.problem = problem
    practice.intervention = intervention
    practice.outcome_measure = outcome_measure
    practice.evaluation_design = design
    tier = evidence_tier_for(design)
    practice.evidence_tier = tier.value if tier else None
    practice.cost = cost
    practice.time_to_implement = time_to_implement
    practice.results = results
    practice.links = links
    practice.edited_at = utcnow()


def create_draft(
    session: Session, actor: Member, organisation: Organisation, fields: PracticeFields
) -> Practice:
    """A new entry for `organisation`, seen only by its staff and coordinators."""
    check_may_manage(actor, organisation.id)
    practice = Practice(
        organisation=organisation,
        created_by=actor,
        status=PracticeStatus.DRAFT,
        title="",
        slug="",
        body_html="",
        results=[],
        links=[],
        topics=[],
    )
    _apply(session, practice, fields)
    session.add(practice)
    session.flush()
    return practice


def preview_snapshot(
    session: Session, actor: Member, organisation_id: int | None, fields: PracticeFields
) -> dict:
    """What the entry's page would show with these fields, checked like a save; nothing
    is added to the session."""
    if organisation_id is not None:
        check_may_manage(actor, organisation_id)
    practice = Practice(
        status=PracticeStatus.DRAFT, title="", slug="", body="", body_html="", published_at=None
    )
    with session.no_autoflush:
        _apply(session, practice, fields, keep_slug=True)
    return snapshot_of(practice)


def save_practice(
    session: Session, actor: Member, practice: Practice, fields: PracticeFields
) -> PracticeVersion | None:
    """Save the fields; a published entry's changes go live at once as a new version."""
    check_may_manage(actor, practice.organisation_id)
    _apply(session, practice, fields)
    session.flush()
    if practice.status == PracticeStatus.PUBLISHED:
        return _publish_version(session, actor, practice)
    return None


def snapshot_of(practice: Practice) -> dict:
    """Everything the practice page shows, as plain JSON (a published version)."""
    return {
        "title": practice.title,
        "kind": practice.kind,
        "summary": practice.summary,
        "body_html": practice.body_html,
        "problem": practice.problem,
        "intervention": practice.intervention,
        "outcome_measure": practice.outcome_measure,
        "evaluation_design": practice.evaluation_design,
        "evidence_tier": practice.evidence_tier,
        "cost": practice.cost,
        "time_to_implement": practice.time_to_implement,
        "results": [
            {
                "measure": result.measure,
                "unit": result.unit,
                "baseline_value": result.baseline_value,
                "baseline_date": result.baseline_date.isoformat() if result.baseline_date else None,
                "result_value": result.result_value,
                "result_date": result.result_date.isoformat() if result.result_date else None,
            }
            for result in practice.results
        ],
        "links": [{"label": link.label, "url": link.url} for link in practice.links],
        "topics": [topic.name for topic in practice.topics],
        "topic_slugs": [topic.slug for topic in practice.topics],
    }


def _publish_version(session: Session, actor: Member, practice: Practice) -> PracticeVersion:
    now = utcnow()
    practice.status = PracticeStatus.PUBLISHED
    if practice.published_at is None:
        practice.published_at = now
    practice.updated_at = now
    practice.version_count = (practice.version_count or 0) + 1
    version = PracticeVersion(
        practice_id=practice.id,
        number=practice.version_count,
        title=practice.title,
        snapshot=snapshot_of(practice),
        published_at=now,
        published_by_id=actor.id,
    )
    session.add(version)
    session.flush()
    return version


def publish(session: Session, actor: Member, practice: Practice) -> PracticeVersion:
    """Make the entry public as it is now, keeping this publication as a version."""
    check_may_manage(actor, practice.organisation_id)
    _clean_title(practice.title)
    _clean_topics(practice.topics)
    return _publish_version(session, actor, practice)


def unpublish(session: Session, actor: Member, practice: Practice) -> None:
    """Take a published entry off the public library (its versions are kept)."""
    check_may_manage(actor, practice.organisation_id)
    if practice.status != PracticeStatus.PUBLISHED:
        raise Conflict("This entry is not published.")
    practice.status = PracticeStatus.UNPUBLISHED
    practice.featured_at = None
    session.flush()


def may_feature(viewer: Member | None) -> bool:
    return (
        viewer is not None
        and getattr(viewer, "is_member", False)
        and viewer.has_role(Role.COORDINATOR)
    )


def set_featured(session: Session, actor: Member, practice: Practice, featured: bool) -> None:
    """Coordinators put a published entry first in the library, or take it off."""
    if not may_feature(actor):
        raise NotPermitted("Only coordinators can feature entries.")
    if featured and practice.status != PracticeStatus.PUBLISHED:
        raise Conflict("Only published entries can be featured.")
    practice.featured_at = (practice.featured_at or utcnow()) if featured else None
    session.flush()


def _page_options():
    return (
        joinedload(Practice.organisation),
        selectinload(Practice.topics),
        selectinload(Practice.results),
        selectinload(Practice.links),
    )


def get_practice_for_page(session: Session, viewer: Member | None, slug: str) -> Practice:
    """The entry at `slug` with what its page shows loaded, or NotFound."""
    practice = session.scalar(
        select(Practice).where(Practice.slug == slug).options(*_page_options())
    )
    if practice is None or not may_see(viewer, practice):
        raise NotFound("There is no library entry at this address.")
    return practice


def get_editable_practice(session: Session, actor: Member | None, slug: str) -> Practice:
    """The entry at `slug` for its editors: NotFound if `actor` may not see it,
    NotPermitted if they may see it but not change it."""
    practice = get_practice_for_page(session, actor, slug)
    check_may_manage(actor, practice.organisation_id)
    return practice


def versions_of(session: Session, practice: Practice) -> list[PracticeVersion]:
    """Every published version of an entry, newest first."""
    return list(
        session.scalars(
            select(PracticeVersion)
            .where(PracticeVersion.practice_id == practice.id)
            .order_by(PracticeVersion.number.desc())
        )
    )


def get_version(session: Session, practice: Practice, number: int) -> PracticeVersion:
    """One published version of an entry, or NotFound."""
    if not 1 <= number <= practice.version_count:
        raise NotFound("This entry has no version with that number.")
    version = session.scalar(
        select(PracticeVersion).where(
            PracticeVersion.practice_id == practice.id, PracticeVersion.number == number
        )
    )
    if version is None:
        raise NotFound("This entry has no version with that number.")
    return version


def managed_practices(viewer: Member, organisation_id: int | None = None) -> Select:
    """The entries `viewer` manages (their organisation's; every one for coordinators,
    optionally of one organisation), most recently changed first."""
    if viewer is None or not getattr(viewer, "is_member", False):
        raise NotPermitted("Only partners and coordinators manage library entries.")
    statement = select(Practice).options(joinedload(Practice.organisation))
    if viewer.has_role(Role.COORDINATOR):
        if organisation_id is not None:
            statement = statement.where(Practice.organisation_id == organisation_id)
    elif viewer.has_role(Role.PARTNER) and viewer.organisation_id is not None:
        statement = statement.where(Practice.organisation_id == viewer.organisation_id)
    else:
        raise NotPermitted("Only partners and coordinators manage library entries.")
    return statement.order_by(Practice.edited_at.desc(), Practice.id.desc())


def _number(value: str) -> float | None:
    text = (value or "").strip().replace(",", "").rstrip("%").lstrip("$")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def result_change(row: dict) -> str:
    """ "+12.5" (with the unit) when both values are numbers; empty otherwise."""
    baseline = _number(row.get("baseline_value", ""))
    result = _number(row.get("result_value", ""))
    if baseline is None or result is None:
        return ""
    difference = result - baseline
    text = f"{difference:+,.2f}".rstrip("0").rstrip(".")
    if text in ("+", "-", "+0", "-0"):
        text = "0"
    text = text.replace("-", "−")
    unit = row.get("unit") or ""
    if unit and unit != "%":
        text = f"{text} {unit}"
    elif unit == "%":
        text = f"{text} percentage points" if text != "0" else "0"
    if baseline:
        text += f" ({difference / abs(baseline):+.0%})".replace("-", "−")
    return text
