"""Authorization matrix rows: benchmark pages (see tests/test_authorization_matrix.py),
and the helpers the benchmark tests share: a framework, and a city that met criteria."""

from tests.factories import make_city, make_member, make_topic
from tests.matrix_roles import MEMBERS, action
from wwc_community.certification import services
from wwc_community.certification.frameworks import active_framework
from wwc_community.extensions import db


def ensure_framework():
    """The active framework (DG1-DG5, OD1-OD5), made with a topic for the DG area
    ("Area DG") unless one is active already."""
    from tests.certification.factories import make_framework

    framework = active_framework(db.session)
    if framework is None:
        make_topic("Area DG")
        framework = make_framework()
    return framework


def meet(city, member, codes, *, shares=True):
    """`member` (of `city`) ticks enough of each criterion in `codes` to meet it, and the
    city shares its met criteria unless told; commits."""
    framework = active_framework(db.session)
    for code in codes:
        criterion = services.criterion_in(db.session, framework, code)
        progress = services.progress_of(
            db.session, services.assessment_of(db.session, city, framework), criterion
        )
        services.save_progress(
            db.session,
            member,
            city,
            code,
            [item.id for item in criterion.items][: criterion.items_required],
            "",
            progress.version if progress else 0,
        )
    services.set_sharing(db.session, member, city, shares)
    db.session.commit()


def city_that_met(codes=("DG1",), *, name="Peerville", state="OR", shares=True, peers=1):
    """A new city that met `codes` (sharing unless told), with `peers` active members;
    the first saved the criteria. Returns (city, members)."""
    ensure_framework()
    city = make_city(name, state, 64_000)
    people = [
        make_member(city=city, display_name=f"{name} Peer {number}")
        for number in range(1, peers + 1)
    ]
    meet(city, people[0], codes, shares=shares)
    return city, people


def criterion_page(fixtures):
    ensure_framework()
    return "/certification/DG1"


def overview_page(fixtures):
    ensure_framework()
    return "/certification"


def ask_page(fixtures):
    """Asking the peer of a city that met DG1 and shares it (never the asker)."""
    _, people = city_that_met()
    return f"/certification/DG1/ask/{people[0].handle}"


QUESTION = {
    "title": "How did you write your data governance policy?",
    "body": "We are starting ours this spring and would like to hear what worked.",
    "topic": "",
}

ROWS: list = [
    ("certification.overview", "GET", overview_page, None, MEMBERS),
    ("certification.overview", "GET", lambda fixtures: "/certification", None, MEMBERS),
    ("certification.criterion", "GET", criterion_page, None, MEMBERS),
    ("certification.ask_peer", "GET", ask_page, None, MEMBERS),
    ("certification.ask_peer", "POST", ask_page, QUESTION, action(MEMBERS)),
]
