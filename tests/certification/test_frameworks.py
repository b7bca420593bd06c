"""Framework files: the starter framework, reading YAML and JSON with every problem
reported at once, all-or-nothing imports, export and re-import, and the versions'
lifecycle (draft, active, retired)."""

import copy
import json

import pytest
import yaml
from sqlalchemy import func, select

from tests.certification.factories import load_starter_framework, make_framework
from tests.factories import make_city, make_member
from wwc_community.accounts.models import Role
from wwc_community.certification import frameworks
from wwc_community.certification.frameworks import (
    OPERATOR,
    FrameworkFileInvalid,
    framework_data,
    framework_text,
    load_framework_text,
    parse_framework,
    read_framework_text,
)
from wwc_community.certification.models import (
    Assessment,
    ChecklistItem,
    Criterion,
    Framework,
    FrameworkStatus,
    PracticeArea,
)
from wwc_community.core.errors import Conflict, NotPermitted
from wwc_community.extensions import db


def small_file(**changes) -> dict:
    """A valid framework file's data with two areas of two criteria."""
    data = {
        "framework": {
            "version": "small-1",
            "name": "Small benchmark",
            "description": "Two areas.",
            "sample": False,
            "thresholds": {"silver": 51, "gold": 67.5, "platinum": 84},
            "areas": [
                {
                    "code": "DG",
                    "name": "Data Governance",
                    "criteria": [
                        {
                            "code": "DG1",
                            "title": "A data inventory",
                            "required": 2,
                            "checklist": ["Listed", "Published", "Updated yearly"],
                        },
                        {"code": "DG2", "title": "A data owner", "checklist": ["Named"]},
                    ],
                },
                {
                    "code": "OD",
                    "name": "Open Data",
                    "criteria": [
                        {"code": "OD1", "title": "A portal", "checklist": ["Live"]},
                        {"code": "OD2", "title": "A policy", "checklist": ["Adopted"]},
                    ],
                },
            ],
        }
    }
    data["framework"].update(changes)
    return data


def row_counts() -> tuple[int, int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Framework, PracticeArea, Criterion, ChecklistItem)
    )


# The starter framework ---


def test_the_starter_framework_loads_active_with_eight_areas_of_forty_criteria(app):
    framework = load_starter_framework()
    assert framework.version == "sample-2026"
    assert framework.status == FrameworkStatus.ACTIVE
    assert framework.is_sample
    assert (framework.silver_per_mille, framework.gold_per_mille) == (510, 670)
    assert framework.platinum_per_mille == 840
    areas = db.session.scalars(
        select(PracticeArea).where(PracticeArea.framework_id == framework.id)
    ).all()
    assert len(areas) == 8
    assert frameworks.frameworks(db.session) == [(framework, 40, 0)]
    # Every criterion can be met: it requires no more items than its checklist has.
    for criterion, items in db.session.execute(
        select(Criterion, func.count(ChecklistItem.id))
        .join(ChecklistItem, ChecklistItem.criterion_id == Criterion.id)
        .group_by(Criterion.id)
    ):
        assert 1 <= criterion.items_required <= items


def test_ensure_starter_framework_does_nothing_when_a_version_exists(app):
    make_framework(version="mine-1")
    assert frameworks.ensure_starter_framework(db.session) is None
    assert frameworks.active_framework(db.session).version == "mine-1"


def test_the_starter_framework_links_its_areas_to_topics_of_the_same_name(app):
    from tests.factories import make_topic

    topic = make_topic("Open Data")
    framework = load_starter_framework()
    area = db.session.scalar(
        select(PracticeArea).where(
            PracticeArea.framework_id == framework.id, PracticeArea.code == "OD"
        )
    )
    assert area.topic_id == topic.id


# Export and import again ---


def _without_version(data: dict) -> dict:
    data = copy.deepcopy(data)
    del data["framework"]["version"]
    return data


def test_an_export_loaded_again_under_a_new_version_gives_the_same_framework(app):
    original = load_starter_framework()
    text = framework_text(db.session, original)
    assert text.startswith("# Certification framework sample-2026")
    renamed = text.replace("version: sample-2026", "version: sample-2026-copy", 1)
    assert renamed != text
    copy_ = load_framework_text(db.session, OPERATOR, renamed, "copy.yaml")
    db.session.commit()
    assert copy_.status == FrameworkStatus.DRAFT
    assert _without_version(framework_data(db.session, copy_)) == _without_version(
        framework_data(db.session, original)
    )


def test_a_json_export_loads_again_too(app):
    original = make_framework(version="json-1", thresholds=(515, 675, 845))
    data = json.loads(framework_text(db.session, original, as_json=True))
    assert data["framework"]["thresholds"] == {"silver": 51.5, "gold": 67.5, "platinum": 84.5}
    data["framework"]["version"] = "json-2"
    copy_ = load_framework_text(db.session, OPERATOR, json.dumps(data), "framework.json")
    db.session.commit()
    assert (copy_.silver_per_mille, copy_.gold_per_mille, copy_.platinum_per_mille) == (
        515,
        675,
        845,
    )
    assert _without_version(framework_data(db.session, copy_)) == _without_version(
        framework_data(db.session, original)
    )


def test_a_json_file_is_read_as_json():
    text = json.dumps(small_file())
    assert read_framework_text(text, "anything.json") == small_file()
    assert read_framework_text(text) == small_file()


# Malformed files ---


def test_malformed_yaml_says_on_which_line():
    text = "framework:\n  version: v1\n  name: [unclosed\n  areas: []\n"
    with pytest.raises(FrameworkFileInvalid) as caught:
        read_framework_text(text, "broken.yaml")
    [problem] = caught.value.problems
    # The bracket opened on line 3 is still open where line 4 starts a key.
    assert problem.startswith("the YAML is malformed at line 4, column 8")


def test_malformed_json_says_on_which_line_and_column():
    text = '{\n  "framework": {\n    "version": "v1",\n  }\n}\n'
    with pytest.raises(FrameworkFileInvalid) as caught:
        read_framework_text(text, "broken.json")
    [problem] = caught.value.problems
    assert problem.startswith("the JSON is malformed at line 4, column 3")
    assert "The framework file was not loaded" in caught.value.message


def test_a_file_without_a_framework_section_is_refused():
    for data in (None, [], {"areas": []}, {"framework": "text"}):
        with pytest.raises(FrameworkFileInvalid) as caught:
            parse_framework(data)
        assert caught.value.problems == ["the file must hold a “framework” section at the top"]


def test_every_problem_is_reported_together():
    data = small_file(name="", thresholds={"silver": 70, "gold": 67.25, "platinum": 84})
    area = data["framework"]["areas"][0]
    area["criteria"][0]["required"] = 4  # of 3 items
    area["criteria"][1]["code"] = "DG1"  # a duplicate code
    data["framework"]["areas"][1]["code"] = "DG"  # a duplicate area code
    with pytest.raises(FrameworkFileInvalid) as caught:
        parse_framework(data)
    problems = caught.value.problems
    assert "framework: “name” is missing" in problems
    assert "thresholds: gold may have one decimal at most" in problems
    assert (
        "criterion DG1: “required” is 4, but it must be between 1 and the 3 checklist items"
    ) in problems
    assert "criterion DG1: the code is used twice" in problems
    assert "area 2 (DG): the code DG is used by an earlier area" in problems
    assert len(problems) == 5


def test_thresholds_that_do_not_increase_are_refused():
    data = small_file(thresholds={"silver": 70, "gold": 67, "platinum": 84})
    with pytest.raises(FrameworkFileInvalid) as caught:
        parse_framework(data)
    assert caught.value.problems == [
        "thresholds: silver, gold and platinum must increase, each above 0% and at most 100%"
    ]


@pytest.mark.parametrize(
    ("thresholds", "problem"),
    [
        ({"silver": 0, "gold": 67, "platinum": 84}, "must increase"),
        ({"silver": 51, "gold": 67, "platinum": 101}, "must increase"),
        ({"silver": ".nan", "gold": 67, "platinum": 84}, "silver must be a percentage"),
        ({"silver": "51%", "gold": 67, "platinum": 84}, "silver must be a percentage"),
        ({"silver": True, "gold": 67, "platinum": 84}, "silver must be a percentage"),
        ({"silver": 51, "gold": 67}, "platinum is missing"),
    ],
)
def test_odd_thresholds_are_refused_with_a_message(thresholds, problem):
    data = small_file(thresholds=thresholds)
    if thresholds.get("silver") == ".nan":
        data["framework"]["thresholds"]["silver"] = float("nan")
    with pytest.raises(FrameworkFileInvalid) as caught:
        parse_framework(data)
    assert any(problem in reported for reported in caught.value.problems)


def test_one_decimal_is_accepted():
    spec = parse_framework(small_file())
    assert spec.thresholds.gold == 675
    assert spec.criteria_count == 4


# All or nothing ---


def test_a_refused_file_saves_nothing(app):
    data = small_file()
    data["framework"]["areas"][1]["criteria"][1]["checklist"] = []
    with pytest.raises(FrameworkFileInvalid):
        load_framework_text(db.session, OPERATOR, yaml.safe_dump(data), "bad.yaml")
    db.session.rollback()
    assert row_counts() == (0, 0, 0, 0)


def test_a_failure_late_in_the_import_leaves_no_rows_behind(app, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    # The audit entry is written after every row is flushed: the last step of the import.
    monkeypatch.setattr(frameworks, "record_action", fail)
    with pytest.raises(RuntimeError):
        load_framework_text(db.session, OPERATOR, yaml.safe_dump(small_file()), "ok.yaml")
    db.session.rollback()
    assert row_counts() == (0, 0, 0, 0)


def test_loading_a_version_already_loaded_is_a_conflict(app):
    load_framework_text(db.session, OPERATOR, yaml.safe_dump(small_file()), "one.yaml")
    db.session.commit()
    with pytest.raises(Conflict) as caught:
        load_framework_text(db.session, OPERATOR, yaml.safe_dump(small_file()), "two.yaml")
    assert "small-1 is already loaded" in caught.value.message
    db.session.rollback()
    assert row_counts()[0] == 1


def test_only_admins_and_the_command_line_load_frameworks(app):
    text = yaml.safe_dump(small_file())
    with pytest.raises(NotPermitted):
        load_framework_text(db.session, make_member(Role.COORDINATOR), text)
    with pytest.raises(NotPermitted):
        load_framework_text(db.session, None, text)
    framework = load_framework_text(db.session, make_member(Role.ADMIN), text)
    assert framework.created_by_id is not None


# Versions ---


def test_activating_a_version_retires_the_active_one_and_keeps_its_assessments(app):
    old = make_framework(version="old-1")
    city = make_city("Tacoma", "WA", 219_346)
    db.session.add(Assessment(city_id=city.id, framework_id=old.id, met_count=3))
    db.session.commit()
    new = make_framework(version="new-1", activate=False)
    assert new.status == FrameworkStatus.DRAFT

    retired = frameworks.activate_framework(db.session, OPERATOR, new)
    db.session.commit()

    assert retired.version == "old-1"
    assert (old.status, new.status) == (FrameworkStatus.RETIRED, FrameworkStatus.ACTIVE)
    assert old.retired_at is not None and new.activated_at is not None
    assert frameworks.active_framework(db.session).version == "new-1"
    [kept] = db.session.scalars(select(Assessment)).all()
    assert (kept.framework_id, kept.met_count) == (old.id, 3)
    counts = {
        f.version: (criteria, assessed)
        for f, criteria, assessed in frameworks.frameworks(db.session)
    }
    assert counts == {"old-1": (10, 1), "new-1": (10, 0)}


def test_a_retired_version_cannot_be_activated(app):
    framework = make_framework(version="gone-1")
    frameworks.retire_framework(db.session, OPERATOR, framework)
    db.session.commit()
    assert frameworks.active_framework(db.session) is None
    with pytest.raises(Conflict) as caught:
        frameworks.activate_framework(db.session, OPERATOR, framework)
    assert "gone-1 is retired" in caught.value.message
    with pytest.raises(Conflict):
        frameworks.retire_framework(db.session, OPERATOR, framework)


def test_the_active_version_cannot_be_activated_again(app):
    framework = make_framework(version="only-1")
    with pytest.raises(Conflict) as caught:
        frameworks.activate_framework(db.session, OPERATOR, framework)
    assert "already the active one" in caught.value.message
