"""Scoring: the share of criteria met and the level it reaches. Pure functions of the
counts and the framework's thresholds, so the hand-worked examples in the tests pin them.

Thresholds are in tenths of a percent (510 = 51%). A level is reached when
met / criteria >= threshold / 1000, compared in integers (met * 1000 >= threshold *
criteria) so that exactly 51% reaches silver and one criterion short does not."""

from dataclasses import dataclass

from wwc_community.certification.models import ProgressStatus
from wwc_community.directory.models import CertificationLevel

LEVELS = (CertificationLevel.SILVER, CertificationLevel.GOLD, CertificationLevel.PLATINUM)


@dataclass(frozen=True)
class Thresholds:
    """Each level's minimum share of criteria met, in tenths of a percent."""

    silver: int
    gold: int
    platinum: int

    @classmethod
    def of(cls, framework) -> "Thresholds":
        return cls(
            framework.silver_per_mille, framework.gold_per_mille, framework.platinum_per_mille
        )

    def minimum(self, level: CertificationLevel) -> int:
        return {
            CertificationLevel.SILVER: self.silver,
            CertificationLevel.GOLD: self.gold,
            CertificationLevel.PLATINUM: self.platinum,
        }[level]

    def problem(self) -> str | None:
        """Why these thresholds cannot be used, or None."""
        if not 0 < self.silver < self.gold < self.platinum <= 1000:
            return (
                "The thresholds must increase from silver to gold to platinum, each above 0% "
                "and at most 100%."
            )
        return None


@dataclass(frozen=True)
class Score:
    met: int
    criteria: int
    level: CertificationLevel
    # The next level up and how many more criteria reach it; None at the top.
    next_level: CertificationLevel | None
    more_needed: int | None

    @property
    def percent(self) -> float:
        return 100 * self.met / self.criteria if self.criteria else 0.0

    @property
    def percent_label(self) -> str:
        """The share as people read it: whole percents, rounded down, so a city is never
        shown as reaching a round figure it has not reached."""
        return f"{(self.met * 100) // self.criteria if self.criteria else 0}%"


def criteria_needed(threshold: int, criteria: int) -> int:
    """The fewest criteria met that reach `threshold` (tenths of a percent)."""
    # The smallest integer m with m * 1000 >= threshold * criteria: a ceiling division.
    return -(-threshold * criteria // 1000)


def level_for(met: int, criteria: int, thresholds: Thresholds) -> CertificationLevel:
    reached = CertificationLevel.NONE
    if criteria <= 0:
        return reached
    for level in LEVELS:
        if met * 1000 >= thresholds.minimum(level) * criteria:
            reached = level
    return reached


def score(met: int, criteria: int, thresholds: Thresholds) -> Score:
    """The score of an assessment with `met` of `criteria` criteria met."""
    if not 0 <= met <= criteria:
        raise ValueError(f"met ({met}) must be between 0 and the criteria ({criteria})")
    level = level_for(met, criteria, thresholds)
    higher = [candidate for candidate in LEVELS if LEVELS.index(candidate) > _rank(level)]
    if not higher or criteria == 0:
        return Score(met, criteria, level, None, None)
    next_level = higher[0]
    needed = criteria_needed(thresholds.minimum(next_level), criteria)
    return Score(met, criteria, level, next_level, needed - met)


def _rank(level: CertificationLevel) -> int:
    return -1 if level is CertificationLevel.NONE else LEVELS.index(level)


def status_from_checklist(
    ticked: int, required: int, has_notes_or_evidence: bool
) -> ProgressStatus:
    """A criterion is met when enough of its checklist is ticked; in progress when some of
    it is, or when notes or evidence are recorded; otherwise not started."""
    if ticked >= required:
        return ProgressStatus.MET
    if ticked or has_notes_or_evidence:
        return ProgressStatus.IN_PROGRESS
    return ProgressStatus.NOT_STARTED
