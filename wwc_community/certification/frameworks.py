"""Framework versions: reading one from a YAML or JSON file (every problem reported with
where it is, nothing saved unless the whole file is good), writing one back out, and the
admins' verbs: activate a version, retire one.

The file's shape (see starter_framework.yaml):

    framework:
      version, name, description, sample (true/false)
      thresholds: {silver: 51, gold: 67, platinum: 84}     # percents, one decimal at most
      areas:
        - code, name, description, topic (a topic's name, optional)
          criteria:
            - code, title, description, evidence, required (items that meet it)
              checklist: [item, item, ...]
"""

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from wwc_community.accounts.models import Role
from wwc_community.certification.models import (
    Assessment,
    ChecklistItem,
    Criterion,
    Framework,
    FrameworkStatus,
    PracticeArea,
)
from wwc_community.certification.scoring import Thresholds
from wwc_community.core.audit import record_action
from wwc_community.core.database import utcnow
from wwc_community.core.errors import Conflict, Invalid, NotFound, NotPermitted
from wwc_community.directory.models import Topic

STARTER_FRAMEWORK = Path(__file__).with_name("starter_framework.yaml")
FILE_MAX_BYTES = 2 * 1024 * 1024
VERSION_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")
CODE_PATTERN = re.compile(r"[A-Z][A-Z0-9.-]{0,15}")
AREAS_MAX = 30
CRITERIA_MAX = 300
ITEMS_MAX = 20
TEXT_MAX = 4000


class Operator:
    """Whoever runs a `flask certification` command: trusted like an admin, since they
    hold the server's shell. Views never pass it."""

    def __repr__(self) -> str:
        return "<the command line>"


OPERATOR = Operator()


def require_admin(actor) -> None:
    if actor is OPERATOR:
        return
    if actor is None or not actor.has_role(Role.ADMIN):
        raise NotPermitted("Only admins manage the certification framework.")


def _actor_id(actor) -> int | None:
    return None if actor is OPERATOR or actor is None else actor.id


# Reading a file ------------------------------------------------------------------------


@dataclass
class CriterionSpec:
    code: str
    title: str
    description: str
    evidence: str
    required: int
    checklist: list[str]


@dataclass
class AreaSpec:
    code: str
    name: str
    description: str
    topic: str
    criteria: list[CriterionSpec] = field(default_factory=list)


@dataclass
class FrameworkSpec:
    version: str
    name: str
    description: str
    is_sample: bool
    thresholds: Thresholds
    areas: list[AreaSpec]

    @property
    def criteria_count(self) -> int:
        return sum(len(area.criteria) for area in self.areas)


class FrameworkFileInvalid(Invalid):
    """The file cannot be loaded; `problems` lists every reason, each with its place."""

    def __init__(self, problems: list[str]):
        shown = problems[:20]
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__(
            "The framework file was not loaded: " + "; ".join(shown) + more + ".", field="file"
        )
        self.problems = problems


def read_framework_text(text: str, filename: str = "") -> dict:
    """The file's data: JSON when the name ends in .json or the text starts with "{",
    otherwise YAML (of which JSON is a subset). Syntax errors say where."""
    try:
        if filename.lower().endswith(".json") or text.lstrip().startswith("{"):
            return json.loads(text)
        return yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise FrameworkFileInvalid(
            [f"the JSON is malformed at line {error.lineno}, column {error.colno}: {error.msg}"]
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "it does not parse"
        raise FrameworkFileInvalid([f"the YAML is malformed{where}: {problem}"]) from None


class _Checker:
    """Collects every problem with its place, so one attempt shows them all."""

    def __init__(self):
        self.problems: list[str] = []

    def text(self, mapping, key, where, *, required=True, limit=TEXT_MAX) -> str:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problems.append(f"{where}: “{key}” is missing")
            return ""
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            self.problems.append(f"{where}: “{key}” must be text")
            return ""
        value = " ".join(str(value).split()) if limit <= 400 else str(value).strip()
        if len(value) > limit:
            self.problems.append(f"{where}: “{key}” is longer than {limit} characters")
            return value[:limit]
        return value

    def code(self, mapping, where, limit) -> str:
        code = self.text(mapping, "code", where, limit=limit).upper()
        if code and not CODE_PATTERN.fullmatch(code):
            self.problems.append(
                f"{where}: the code “{code}” must start with a letter and hold only letters, "
                "digits, dots and hyphens"
            )
        return code

    def listing(self, mapping, key, where, maximum) -> list:
        value = mapping.get(key) if isinstance(mapping, dict) else None
        if not isinstance(value, list) or not value:
            self.problems.append(f"{where}: “{key}” must be a list with at least one entry")
            return []
        if len(value) > maximum:
            self.problems.append(f"{where}: “{key}” has more than {maximum} entries")
        return value[:maximum]


def _percent_to_per_mille(value, level: str, checker: _Checker) -> int | None:
    """The percentage in tenths of a percent, or None (with the problem noted) when it is
    not a finite number with one decimal at most."""
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        tenths = Decimal(str(value)) * 10
        if not tenths.is_finite():
            # .nan and .inf in YAML: not a percentage (int() of them would crash).
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        checker.problems.append(f"thresholds: {level} must be a percentage such as 51 or 67.5")
        return None
    if tenths != tenths.to_integral_value():
        checker.problems.append(f"thresholds: {level} may have one decimal at most")
        return None
    return int(tenths)


def parse_framework(data) -> FrameworkSpec:
    """Check a framework file's data completely; raise FrameworkFileInvalid listing every
    problem, or return the framework it describes."""
    checker = _Checker()
    root = data.get("framework") if isinstance(data, dict) else None
    if not isinstance(root, dict):
        raise FrameworkFileInvalid(["the file must hold a “framework” section at the top"])
    version = checker.text(root, "version", "framework", limit=40)
    if version and not VERSION_PATTERN.fullmatch(version):
        checker.problems.append(
            "framework: the version may hold only letters, digits, dots, hyphens and "
            "underscores (up to 40)"
        )
    name = checker.text(root, "name", "framework", limit=200)
    description = checker.text(root, "description", "framework", required=False)
    sample = root.get("sample", False)
    if not isinstance(sample, bool):
        checker.problems.append("framework: “sample” must be true or false")
        sample = False

    raw_thresholds = root.get("thresholds")
    if not isinstance(raw_thresholds, dict):
        checker.problems.append("thresholds: give silver, gold and platinum as percentages")
        raw_thresholds = {}
    per_mille: dict[str, int | None] = {}
    for level in ("silver", "gold", "platinum"):
        if level not in raw_thresholds:
            checker.problems.append(f"thresholds: {level} is missing")
            per_mille[level] = None
        else:
            per_mille[level] = _percent_to_per_mille(raw_thresholds[level], level, checker)
    readable = all(value is not None for value in per_mille.values())
    thresholds = Thresholds(**{level: value or 0 for level, value in per_mille.items()})
    # Compared whenever all three were read, 0 included (silver: 0 is not above 0%).
    if readable and thresholds.problem():
        checker.problems.append(
            "thresholds: silver, gold and platinum must increase, each above 0% and at most 100%"
        )

    areas: list[AreaSpec] = []
    area_codes: set[str] = set()
    criterion_codes: set[str] = set()
    criteria_total = 0
    for area_number, raw_area in enumerate(
        checker.listing(root, "areas", "framework", AREAS_MAX), 1
    ):
        where = f"area {area_number}"
        if not isinstance(raw_area, dict):
            checker.problems.append(f"{where}: must be a section with code, name and criteria")
            continue
        code = checker.code(raw_area, where, 8)
        where = f"area {area_number} ({code})" if code else where
        if code and code in area_codes:
            checker.problems.append(f"{where}: the code {code} is used by an earlier area")
        area_codes.add(code)
        area = AreaSpec(
            code=code,
            name=checker.text(raw_area, "name", where, limit=120),
            description=checker.text(raw_area, "description", where, required=False),
            topic=checker.text(raw_area, "topic", where, required=False, limit=120),
        )
        for number, raw in enumerate(checker.listing(raw_area, "criteria", where, CRITERIA_MAX), 1):
            spot = f"{where}, criterion {number}"
            if not isinstance(raw, dict):
                checker.problems.append(f"{spot}: must be a section with code, title and checklist")
                continue
            criterion_code = checker.code(raw, spot, 16)
            spot = f"criterion {criterion_code}" if criterion_code else spot
            if criterion_code and criterion_code in criterion_codes:
                checker.problems.append(f"{spot}: the code is used twice")
            criterion_codes.add(criterion_code)
            items = [
                checker.text({"item": item}, "item", f"{spot}, checklist item {index}", limit=400)
                for index, item in enumerate(checker.listing(raw, "checklist", spot, ITEMS_MAX), 1)
            ]
            required = raw.get("required", len(items))
            if isinstance(required, bool) or not isinstance(required, int):
                checker.problems.append(f"{spot}: “required” must be a whole number")
                required = 0
            elif items and not 1 <= required <= len(items):
                checker.problems.append(
                    f"{spot}: “required” is {required}, but it must be between 1 and the "
                    f"{len(items)} checklist items"
                )
            area.criteria.append(
                CriterionSpec(
                    code=criterion_code,
                    title=checker.text(raw, "title", spot, limit=200),
                    description=checker.text(raw, "description", spot, required=False),
                    evidence=checker.text(raw, "evidence", spot, required=False),
                    required=required,
                    checklist=items,
                )
            )
            criteria_total += 1
        areas.append(area)
    if criteria_total > CRITERIA_MAX:
        checker.problems.append(f"framework: more than {CRITERIA_MAX} criteria in all")
    if checker.problems:
        raise FrameworkFileInvalid(checker.problems)
    return FrameworkSpec(version, name, description, sample, thresholds, areas)


# Loading and writing -------------------------------------------------------------------


def load_framework(session: Session, actor, spec: FrameworkSpec) -> Framework:
    """Add the framework as a draft version: all of it, or nothing (the caller commits
    once). Areas are linked to the topic of the same name where one exists."""
    require_admin(actor)
    if session.scalar(select(Framework.id).where(Framework.version == spec.version)):
        raise Conflict(
            f"Version {spec.version} is already loaded. Give the new file another version.",
            field="file",
        )
    topics = {
        name.casefold(): topic_id
        for topic_id, name in session.execute(select(Topic.id, Topic.name))
    }
    framework = Framework(
        version=spec.version,
        name=spec.name,
        description=spec.description,
        is_sample=spec.is_sample,
        status=FrameworkStatus.DRAFT,
        silver_per_mille=spec.thresholds.silver,
        gold_per_mille=spec.thresholds.gold,
        platinum_per_mille=spec.thresholds.platinum,
        created_by_id=_actor_id(actor),
    )
    session.add(framework)
    session.flush()
    position = 0
    for area_position, area_spec in enumerate(spec.areas, 1):
        area = PracticeArea(
            framework_id=framework.id,
            position=area_position,
            code=area_spec.code,
            name=area_spec.name,
            description=area_spec.description,
            topic_id=topics.get(area_spec.topic.casefold() or area_spec.name.casefold()),
        )
        session.add(area)
        session.flush()
        for criterion_spec in area_spec.criteria:
            position += 1
            criterion = Criterion(
                framework_id=framework.id,
                area_id=area.id,
                position=position,
                code=criterion_spec.code,
                title=criterion_spec.title,
                description=criterion_spec.description,
                evidence_expected=criterion_spec.evidence,
                items_required=criterion_spec.required,
            )
            criterion.items = [
                ChecklistItem(position=index, text=text)
                for index, text in enumerate(criterion_spec.checklist, 1)
            ]
            session.add(criterion)
    session.flush()
    record_action(
        session,
        None if actor is OPERATOR else actor,
        "certification.load",
        framework,
        f"Loaded framework version {spec.version} ({spec.criteria_count} criteria)",
    )
    return framework


def load_framework_text(session: Session, actor, text: str, filename: str = "") -> Framework:
    require_admin(actor)
    return load_framework(session, actor, parse_framework(read_framework_text(text, filename)))


def framework_data(session: Session, framework: Framework) -> dict:
    """The framework as the file format's data: loading it again gives the same version."""
    areas = session.scalars(
        select(PracticeArea)
        .where(PracticeArea.framework_id == framework.id)
        .options(
            selectinload(PracticeArea.topic),
            selectinload(PracticeArea.criteria).selectinload(Criterion.items),
        )
        .order_by(PracticeArea.position)
    ).all()

    def percent(per_mille: int):
        value = Decimal(per_mille) / 10
        return int(value) if value == value.to_integral_value() else float(value)

    return {
        "framework": {
            "version": framework.version,
            "name": framework.name,
            "sample": framework.is_sample,
            "description": framework.description,
            "thresholds": {
                "silver": percent(framework.silver_per_mille),
                "gold": percent(framework.gold_per_mille),
                "platinum": percent(framework.platinum_per_mille),
            },
            "areas": [
                {
                    "code": area.code,
                    "name": area.name,
                    **({"topic": area.topic.name} if area.topic is not None else {}),
                    "description": area.description,
                    "criteria": [
                        {
                            "code": criterion.code,
                            "title": criterion.title,
                            "description": criterion.description,
                            "evidence": criterion.evidence_expected,
                            "required": criterion.items_required,
                            "checklist": [item.text for item in criterion.items],
                        }
                        for criterion in area.criteria
                    ],
                }
                for area in areas
            ],
        }
    }


def framework_text(session: Session, framework: Framework, as_json: bool = False) -> str:
    data = framework_data(session, framework)
    if as_json:
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = (
        f"# Certification framework {framework.version}, exported from WWC Community.\n"
        "# Change the version before loading an edited copy: versions are never overwritten.\n"
    )
    return header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)


# Versions ------------------------------------------------------------------------------


def active_framework(session: Session) -> Framework | None:
    return session.scalar(select(Framework).where(Framework.status == FrameworkStatus.ACTIVE))


def framework_by_version(session: Session, version: str) -> Framework:
    framework = session.scalar(select(Framework).where(Framework.version == version))
    if framework is None:
        raise NotFound(f"There is no framework version {version}.")
    return framework


def frameworks(session: Session) -> list[tuple[Framework, int, int]]:
    """Every version, newest first, with its criteria and assessments counted."""
    criteria = (
        select(func.count())
        .where(Criterion.framework_id == Framework.id)
        .correlate(Framework)
        .scalar_subquery()
    )
    assessments = (
        select(func.count())
        .where(Assessment.framework_id == Framework.id)
        .correlate(Framework)
        .scalar_subquery()
    )
    return [
        (framework, criteria_count, assessment_count)
        for framework, criteria_count, assessment_count in session.execute(
            select(Framework, criteria, assessments).order_by(
                Framework.created_at.desc(), Framework.id.desc()
            )
        )
    ]


def activate_framework(session: Session, actor, framework: Framework) -> Framework | None:
    """Make `framework` the version cities assess against; the active one before it is
    retired (its assessments stay readable). Returns the retired version."""
    require_admin(actor)
    if framework.status == FrameworkStatus.ACTIVE:
        raise Conflict(f"Version {framework.version} is already the active one.")
    if framework.status == FrameworkStatus.RETIRED:
        raise Conflict(
            f"Version {framework.version} is retired. Load it again under a new version to use it."
        )
    now = utcnow()
    previous = active_framework(session)
    if previous is not None:
        # Retired first, flushed, so the one-active index never sees two.
        previous.status = FrameworkStatus.RETIRED
        previous.retired_at = now
        session.flush()
    claimed = session.execute(
        update(Framework)
        .where(Framework.id == framework.id, Framework.status == FrameworkStatus.DRAFT)
        .values(status=FrameworkStatus.ACTIVE, activated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise Conflict("This version changed meanwhile. Reload the page and try again.")
    session.expire(framework, ["status", "activated_at"])
    record_action(
        session,
        None if actor is OPERATOR else actor,
        "certification.activate",
        framework,
        f"Activated framework version {framework.version}"
        + (f", retiring {previous.version}" if previous is not None else ""),
    )
    return previous


def retire_framework(session: Session, actor, framework: Framework) -> None:
    """Retire a version: its assessments stay, and nobody starts one against it."""
    require_admin(actor)
    if framework.status == FrameworkStatus.RETIRED:
        raise Conflict(f"Version {framework.version} is already retired.")
    framework.status = FrameworkStatus.RETIRED
    framework.retired_at = utcnow()
    session.flush()
    record_action(
        session,
        None if actor is OPERATOR else actor,
        "certification.retire",
        framework,
        f"Retired framework version {framework.version}",
    )


def ensure_starter_framework(session: Session) -> Framework | None:
    """Load and activate the sample framework when no version exists yet (make setup,
    seed-demo); None when there already is one."""
    if session.scalar(select(func.count()).select_from(Framework)):
        return None
    text = STARTER_FRAMEWORK.read_text(encoding="utf-8")
    framework = load_framework_text(session, OPERATOR, text, STARTER_FRAMEWORK.name)
    activate_framework(session, OPERATOR, framework)
    return framework
