"""Scoring against hand-worked examples: the share of criteria met, the level it reaches
and how many more criteria the next level needs, at the thresholds' edges."""

import pytest

from wwc_community.certification.models import ProgressStatus
from wwc_community.certification.scoring import (
    Thresholds,
    criteria_needed,
    level_for,
    score,
    status_from_checklist,
)
from wwc_community.directory.models import CertificationLevel

PUBLISHED = Thresholds(silver=510, gold=670, platinum=840)
NONE = CertificationLevel.NONE
SILVER = CertificationLevel.SILVER
GOLD = CertificationLevel.GOLD
PLATINUM = CertificationLevel.PLATINUM


def test_half_of_forty_criteria_is_not_silver_and_one_more_reaches_it():
    # 20 / 40 = 50% < 51%; silver needs ceil(0.51 * 40) = ceil(20.4) = 21.
    result = score(20, 40, PUBLISHED)
    assert result.level is NONE
    assert result.percent_label == "50%"
    assert result.next_level is SILVER
    assert result.more_needed == 1


def test_twenty_one_of_forty_is_silver_and_gold_needs_six_more():
    # 21 / 40 = 52.5%; gold needs ceil(0.67 * 40) = ceil(26.8) = 27, so 6 more.
    result = score(21, 40, PUBLISHED)
    assert result.level is SILVER
    assert result.percent == pytest.approx(52.5)
    assert result.percent_label == "52%"
    assert result.next_level is GOLD
    assert result.more_needed == 6


@pytest.mark.parametrize(
    ("met", "level", "next_level", "more_needed"),
    [
        (50, NONE, SILVER, 1),  # one criterion short of exactly 51%
        (51, SILVER, GOLD, 16),  # exactly 51%
        (66, SILVER, GOLD, 1),
        (67, GOLD, PLATINUM, 17),  # exactly 67%
        (83, GOLD, PLATINUM, 1),
        (84, PLATINUM, None, None),  # exactly 84%: the top, nothing next
        (100, PLATINUM, None, None),
    ],
)
def test_the_edges_of_each_threshold_with_a_hundred_criteria(met, level, next_level, more_needed):
    result = score(met, 100, PUBLISHED)
    assert result.level is level
    assert result.next_level is next_level
    assert result.more_needed == more_needed
    assert result.percent_label == f"{met}%"


def test_no_criteria_scores_nothing_and_names_no_next_level():
    result = score(0, 0, PUBLISHED)
    assert result.level is NONE
    assert result.percent == 0.0
    assert result.percent_label == "0%"
    assert result.next_level is None
    assert result.more_needed is None


def test_nothing_met_needs_the_whole_silver_share():
    result = score(0, 40, PUBLISHED)
    assert result.level is NONE
    assert (result.next_level, result.more_needed) == (SILVER, 21)


def test_a_threshold_with_a_decimal_compares_exactly():
    # 67.5% of 40 is exactly 27: 27 reaches it, 26 does not.
    thresholds = Thresholds(silver=510, gold=675, platinum=840)
    assert criteria_needed(675, 40) == 27
    assert level_for(27, 40, thresholds) is GOLD
    assert level_for(26, 40, thresholds) is SILVER
    assert score(26, 40, thresholds).more_needed == 1


@pytest.mark.parametrize(
    ("threshold", "criteria", "needed"),
    [
        (510, 40, 21),  # 20.4 rounds up
        (500, 40, 20),  # exactly 20: no rounding
        (670, 40, 27),  # 26.8
        (840, 40, 34),  # 33.6
        (510, 100, 51),
        (1000, 7, 7),
        (1, 10, 1),  # 0.01 rounds up to one criterion
        (510, 0, 0),
    ],
)
def test_criteria_needed_is_a_ceiling(threshold, criteria, needed):
    assert criteria_needed(threshold, criteria) == needed


def test_percent_label_rounds_down_so_a_city_never_shows_a_share_it_has_not_reached():
    # 2 of 3 is 66.67%: shown as 66%, not 67%.
    assert score(2, 3, PUBLISHED).percent_label == "66%"


def test_more_met_than_criteria_is_refused():
    with pytest.raises(ValueError):
        score(41, 40, PUBLISHED)
    with pytest.raises(ValueError):
        score(-1, 40, PUBLISHED)


@pytest.mark.parametrize(
    ("ticked", "required", "notes_or_evidence", "status"),
    [
        (0, 2, False, ProgressStatus.NOT_STARTED),
        (0, 2, True, ProgressStatus.IN_PROGRESS),
        (1, 2, False, ProgressStatus.IN_PROGRESS),
        (2, 2, False, ProgressStatus.MET),
        (3, 2, False, ProgressStatus.MET),
        (3, 3, True, ProgressStatus.MET),
        (1, 1, False, ProgressStatus.MET),
    ],
)
def test_status_from_checklist(ticked, required, notes_or_evidence, status):
    assert status_from_checklist(ticked, required, notes_or_evidence) is status


@pytest.mark.parametrize(
    "values",
    [
        (670, 510, 840),  # gold below silver
        (510, 510, 840),  # equal: not increasing
        (510, 840, 840),
        (0, 670, 840),  # silver at 0%
        (510, 670, 1001),  # platinum above 100%
    ],
)
def test_thresholds_that_do_not_increase_have_a_problem(values):
    assert "must increase" in Thresholds(*values).problem()


def test_increasing_thresholds_have_no_problem():
    assert PUBLISHED.problem() is None
    assert Thresholds(1, 2, 1000).problem() is None
