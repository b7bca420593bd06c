"""The large demo's library: practices of the partner organisations with their evidence,
results, links and published version, and what members did with them: cities that
adapted them, helpful marks and bookmarks, counted into the practices' counters."""

from collections.abc import Callable
from datetime import timedelta
from types import SimpleNamespace

from sqlalchemy import select

from wwc_community.core.large_demo_bulk import Bulk, Community, Person
from wwc_community.core.large_demo_phrases import (
    PRACTICE_COSTS,
    PRACTICE_DURATIONS,
    PRACTICE_INTERVENTIONS,
    PRACTICE_PROBLEMS,
    PRACTICE_SUMMARIES,
    PRACTICE_TITLES,
    RESULT_UNITS,
)
from wwc_community.core.large_demo_text import ZipfChoice
from wwc_community.core.large_demo_words import TOPIC_WORDS
from wwc_community.directory.city_import import slugify
from wwc_community.directory.models import Topic
from wwc_community.library.models import (
    Adaptation,
    AdaptationStatus,
    Bookmark,
    EvaluationDesign,
    HelpfulMark,
    Practice,
    PracticeKind,
    PracticeLink,
    PracticeResult,
    PracticeStatus,
    PracticeVersion,
    practice_topic,
)
from wwc_community.library.services import (
    RESERVED_SLUGS,
    SLUG_MAX_LENGTH,
    evidence_tier_for,
    snapshot_of,
)

PRACTICES_PER_CHUNK = 500
# Out of 100: published, draft, unpublished.
STATUS_WEIGHTS = {
    PracticeStatus.PUBLISHED: 92,
    PracticeStatus.DRAFT: 5,
    PracticeStatus.UNPUBLISHED: 3,
}
DESIGN_WEIGHTS = {
    EvaluationDesign.DESCRIPTIVE: 35,
    EvaluationDesign.PRE_POST: 33,
    EvaluationDesign.QUASI_EXPERIMENTAL: 17,
    EvaluationDesign.RANDOMISED_TRIAL: 10,
    None: 5,
}
FEATURED = 6
# Per published practice, on average: cities that adapted it, helpful marks, bookmarks.
MEAN_ADAPTATIONS = 3
MEAN_HELPFUL = 6
MEAN_BOOKMARKS = 5


def add_library(
    bulk: Bulk, community: Community, practices: int, progress: Callable[[int], None]
) -> dict[str, int]:
    """Add `practices` library entries and the engagement with the published ones;
    remember the published ones in the community, for questions about them."""
    writer = _LibraryWriter(bulk, community)
    for start in range(0, practices, PRACTICES_PER_CHUNK):
        count = min(PRACTICES_PER_CHUNK, practices - start)
        writer.write_chunk(count)
        progress(count)
    return writer.totals


class _LibraryWriter:
    def __init__(self, bulk: Bulk, community: Community):
        self.bulk, self.community, self.rng = bulk, community, community.rng
        session = bulk.session
        self.slugs = set(session.scalars(select(Practice.slug))) | RESERVED_SLUGS
        self.topic_slugs = dict(session.execute(select(Topic.name, Topic.slug)).all())
        self.topics = community.topic_choice
        organisations = list(community.organisation_ids)
        self.rng.shuffle(organisations)
        self.organisations = ZipfChoice(organisations, 0.8)
        self.partners: dict[int, list[Person]] = {}
        for person in community.people:
            if person.organisation_id is not None:
                self.partners.setdefault(person.organisation_id, []).append(person)
        self.city_people = [person for person in community.people if person.city_id]
        self.featured_left = FEATURED
        self.totals = dict.fromkeys(
            ("practices", "published", "adaptations", "helpful", "bookmarks"), 0
        )

    def write_chunk(self, count: int) -> None:
        self.rows = {name: [] for name in ("practice", "topic", "result", "link", "version")}
        self.engagement = {"adaptation": [], "helpful": [], "bookmark": []}
        for practice_id in self.bulk.ids(Practice.__table__, count):
            self._practice(practice_id)
        bulk = self.bulk
        bulk.insert(Practice.__table__, self.rows["practice"])
        bulk.insert(practice_topic, self.rows["topic"])
        bulk.insert(PracticeResult.__table__, self.rows["result"])
        bulk.insert(PracticeLink.__table__, self.rows["link"])
        bulk.insert(PracticeVersion.__table__, self.rows["version"])
        bulk.insert(Adaptation.__table__, self.engagement["adaptation"])
        bulk.insert(HelpfulMark.__table__, self.engagement["helpful"])
        bulk.insert(Bookmark.__table__, self.engagement["bookmark"])
        self.totals["practices"] += count
        self.totals["adaptations"] += len(self.engagement["adaptation"])
        self.totals["helpful"] += len(self.engagement["helpful"])
        self.totals["bookmarks"] += len(self.engagement["bookmark"])

    def _practice(self, practice_id: int) -> None:
        community, rng, now = self.community, self.rng, self.community.now
        writer = community.writer
        topic = self.topics(rng)
        organisation_id = self.organisations(rng)
        staff = self.partners.get(organisation_id)
        author = rng.choice(staff) if staff else None
        author_id = author.id if author else None
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        design = rng.choices(list(DESIGN_WEIGHTS), weights=list(DESIGN_WEIGHTS.values()))[0]
        tier = evidence_tier_for(design)
        created = now - timedelta(days=rng.uniform(10, 730))
        if author is not None and created < author.joined_at:
            created = community.between(author.joined_at, now - timedelta(days=2))
        edited = community.between(created, min(now, created + timedelta(days=20)))
        published = None
        if status != PracticeStatus.DRAFT:
            published = community.between(edited, min(now, edited + timedelta(days=10)))
        title = writer.pick(PRACTICE_TITLES, topic)
        body = community.text.practice_body(topic)
        topics = [topic, *community.other_topics(topic)[:1]]
        results = self._results(practice_id, topic, published or edited)
        links = [
            {
                "practice_id": practice_id,
                "position": position,
                "label": label,
                "url": f"https://example.org/library/{practice_id}/{slugify(label)}",
            }
            for position, label in enumerate(
                rng.sample(
                    ("Full report", "Data dictionary", "Template", "Slides"), rng.randint(0, 2)
                ),
                start=1,
            )
        ]
        row = {
            "id": practice_id,
            "slug": self._free_slug(title),
            "title": title,
            "kind": rng.choice(list(PracticeKind)),
            "organisation_id": organisation_id,
            "summary": writer.pick(PRACTICE_SUMMARIES, topic),
            "body": body.source,
            "body_html": body.html,
            "problem": writer.pick(PRACTICE_PROBLEMS, topic),
            "intervention": writer.pick(PRACTICE_INTERVENTIONS, topic),
            "outcome_measure": writer.fill("{measure}", topic)[:300],
            "evaluation_design": design,
            "evidence_tier": tier.value if tier else None,
            "cost": rng.choice(PRACTICE_COSTS),
            "time_to_implement": rng.choice(PRACTICE_DURATIONS),
            "status": status,
            "created_by_id": author_id,
            "created_at": created,
            "edited_at": edited,
            "published_at": published,
            "updated_at": published,
            "version_count": 0 if published is None else 1,
            "featured_at": None,
            "adaptation_count": 0,
            "helpful_count": 0,
        }
        self.rows["practice"].append(row)
        self.rows["topic"] += [
            {"practice_id": practice_id, "topic_id": community.topic_ids[name]} for name in topics
        ]
        self.rows["result"] += results
        self.rows["link"] += links
        if published is None:
            return
        self.rows["version"].append(
            {
                "practice_id": practice_id,
                "number": 1,
                "title": title,
                "snapshot": snapshot_of(self._as_published(row, results, links, topics)),
                "published_at": published,
                "published_by_id": author_id,
            }
        )
        if status == PracticeStatus.PUBLISHED:
            self.totals["published"] += 1
            community.practices.append((practice_id, topic, published))
            if self.featured_left:
                self.featured_left -= 1
                row["featured_at"] = community.between(published, now)
            self._engagement(row, topic)

    def _results(self, practice_id: int, topic: str, before) -> list[dict]:
        rng = self.rng
        measures = rng.sample(TOPIC_WORDS[topic]["measure"], rng.randint(1, 3))
        rows = []
        for position, measure in enumerate(measures, start=1):
            result_day = (before - timedelta(days=rng.randint(20, 120))).date()
            baseline = rng.randint(20, 900)
            rows.append(
                {
                    "practice_id": practice_id,
                    "position": position,
                    "measure": measure[:1].upper() + measure[1:],
                    "unit": rng.choice(RESULT_UNITS),
                    "baseline_value": str(baseline),
                    "baseline_date": result_day - timedelta(days=rng.randint(180, 720)),
                    "result_value": str(round(baseline * rng.uniform(0.4, 1.3))),
                    "result_date": result_day,
                }
            )
        return rows

    def _as_published(self, row: dict, results: list[dict], links: list[dict], topics):
        """The entry as snapshot_of reads it: attributes rather than a model, so the
        published version holds exactly what the publishing service would keep."""
        topic_rows = [
            SimpleNamespace(name=name, slug=self.topic_slugs[name]) for name in sorted(topics)
        ]
        return SimpleNamespace(
            **row,
            results=[SimpleNamespace(**result) for result in results],
            links=[SimpleNamespace(**link) for link in links],
            topics=topic_rows,
        )

    def _engagement(self, row: dict, topic: str) -> None:
        """Cities that adapted the entry, helpful marks and bookmarks, after it was
        published; the entry's counters are the rows' counts."""
        community, rng, now = self.community, self.rng, self.community.now
        practice_id, published = row["id"], row["published_at"]
        text = community.text
        adapted: set[int] = set()
        for _ in range(min(int(rng.expovariate(1 / MEAN_ADAPTATIONS)), 40)):
            person = rng.choice(self.city_people)
            if person.city_id in adapted:
                continue
            adapted.add(person.city_id)
            created = community.since_joining(person, published)
            changes = text.adaptation_change(topic)
            outcome = text.adaptation_outcome(topic) if rng.random() < 0.5 else None
            self.engagement["adaptation"].append(
                {
                    "practice_id": practice_id,
                    "city_id": person.city_id,
                    "member_id": person.id,
                    "status": rng.choice(list(AdaptationStatus)),
                    "changes": changes.source,
                    "changes_html": changes.html,
                    "outcome": outcome.source if outcome else "",
                    "outcome_html": outcome.html if outcome else "",
                    "created_at": created,
                    "updated_at": community.between(created, now),
                }
            )
        row["adaptation_count"] = len(adapted)
        helpful = self._members(MEAN_HELPFUL)
        self.engagement["helpful"] += [
            {
                "member_id": person.id,
                "practice_id": practice_id,
                "city_id": person.city_id,
                "created_at": community.since_joining(person, published),
            }
            for person in helpful
        ]
        row["helpful_count"] = len(helpful)
        self.engagement["bookmark"] += [
            {
                "member_id": person.id,
                "practice_id": practice_id,
                "created_at": community.since_joining(person, published),
            }
            for person in self._members(MEAN_BOOKMARKS)
        ]

    def _members(self, mean: float) -> list[Person]:
        """Distinct members, as many as a heavy-tailed draw around `mean` says."""
        people = self.community.people
        wanted = min(int(self.rng.paretovariate(1.5) * mean / 3), len(people), 200)
        return self.rng.sample(people, wanted)

    def _free_slug(self, title: str) -> str:
        base = slugify(title)[:SLUG_MAX_LENGTH].strip("-")
        if len(slugify(title)) > SLUG_MAX_LENGTH and "-" in base:
            base = base.rsplit("-", 1)[0]
        slug, number = base or "practice", 2
        while slug in self.slugs:
            slug, number = f"{base}-{number}", number + 1
        self.slugs.add(slug)
        return slug
