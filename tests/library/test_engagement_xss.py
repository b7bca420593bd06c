"""Every payload of the hostile-Markdown corpus, written as what a city changed and as
its outcome: the HTML stored for the practice page holds nothing that could run."""

from sqlalchemy import select

from tests.core.test_markup_xss import CONTROL_CHARACTER_PAYLOADS, PAYLOADS, problems_in
from tests.factories import make_city, make_member, make_organisation
from tests.library.factories import make_practice
from wwc_community.extensions import db
from wwc_community.library import engagement
from wwc_community.library.models import Adaptation


def test_no_payload_survives_in_an_adaptation(app):
    practice = make_practice(make_organisation("Evidence Partners"))
    member = make_member(city=make_city("Springfield", "IL", 114_394))
    checked = 0
    for payload in PAYLOADS + CONTROL_CHARACTER_PAYLOADS:
        engagement.record_adaptation(
            db.session,
            member,
            practice,
            status="piloting",
            changes=f"We changed this:\n\n{payload}",
            outcome=payload,
        )
        db.session.commit()
        db.session.expire_all()
        stored = db.session.scalar(select(Adaptation))
        for html in (stored.changes_html, stored.outcome_html):
            assert problems_in(html) == [], (payload, html)
        checked += 1
    assert checked >= 120


def test_payloads_on_the_practice_page_stay_inert(client):
    """The page shows the stored HTML as it is: the checker finds nothing in the log."""
    practice = make_practice(make_organisation("Evidence Partners"))
    payloads = PAYLOADS[:40]
    for number, payload in enumerate(payloads):
        city = make_city(f"Town {number}", "TX", 50_000 + number)
        engagement.record_adaptation(
            db.session, make_member(city=city), practice, status="planning", changes=payload or "x"
        )
    db.session.commit()
    response = client.get(f"/library/{practice.slug}/adaptations")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    log = page[page.index('<ul class="adaptation-list">') : page.index("</main>")]
    for item in log.split('<div class="prose">')[1:]:
        assert problems_in(item.split("</div>")[0]) == []
