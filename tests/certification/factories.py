"""Frameworks and assessments for tests."""

from itertools import count

from wwc_community.certification import frameworks
from wwc_community.certification.frameworks import (
    OPERATOR,
    AreaSpec,
    CriterionSpec,
    FrameworkSpec,
)
from wwc_community.certification.scoring import Thresholds
from wwc_community.extensions import db

_versions = count(1)


def framework_spec(
    *,
    areas=("DG", "OD"),
    criteria_per_area=5,
    items=3,
    required=2,
    thresholds=(510, 670, 840),
    version=None,
) -> FrameworkSpec:
    """A framework with `criteria_per_area` criteria in each area, codes DG1, DG2...;
    every criterion has `items` checklist items of which `required` meet it."""
    return FrameworkSpec(
        version=version or f"test-{next(_versions)}",
        name="Test benchmark",
        description="A benchmark made for a test.",
        is_sample=False,
        thresholds=Thresholds(*thresholds),
        areas=[
            AreaSpec(
                code=code,
                name=f"Area {code}",
                description=f"The practices of area {code}.",
                topic="",
                criteria=[
                    CriterionSpec(
                        code=f"{code}{number}",
                        title=f"Criterion {code}{number}",
                        description=f"What {code}{number} asks of a city.",
                        evidence="A policy document and its adoption date.",
                        required=required,
                        checklist=[
                            f"Item {index} of {code}{number}" for index in range(1, items + 1)
                        ],
                    )
                    for number in range(1, criteria_per_area + 1)
                ],
            )
            for code in areas
        ],
    )


def make_framework(*, activate=True, **spec_fields):
    """Load a framework (active unless told) and commit."""
    framework = frameworks.load_framework(db.session, OPERATOR, framework_spec(**spec_fields))
    if activate:
        frameworks.activate_framework(db.session, OPERATOR, framework)
    db.session.commit()
    return framework


def load_starter_framework():
    """The sample framework the project ships, active."""
    framework = frameworks.ensure_starter_framework(db.session)
    db.session.commit()
    return framework
