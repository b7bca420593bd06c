"""Every payload of the hostile-Markdown corpus, written as a practice's body: the HTML
stored for the page and for its published version holds nothing that could run."""

from tests.core.test_markup_xss import CONTROL_CHARACTER_PAYLOADS, PAYLOADS, problems_in
from tests.factories import make_topic
from tests.library.factories import make_practice
from wwc_community.extensions import db
from wwc_community.library import services
from wwc_community.library.models import PracticeVersion


def test_no_payload_survives_in_a_practice_body(members, organisation):
    partner = members["partner"]
    topic = make_topic("Open Data")
    made = make_practice(organisation, author=partner, topics=[topic])
    checked = 0
    for payload in PAYLOADS + CONTROL_CHARACTER_PAYLOADS:
        practice = services.get_editable_practice(db.session, partner, made.slug)
        version = services.save_practice(
            db.session,
            partner,
            practice,
            services.PracticeFields(
                title="A practice under attack", topics=[topic], body=f"Intro\n\n{payload}"
            ),
        )
        db.session.commit()
        assert problems_in(practice.body_html) == [], (payload, practice.body_html)
        assert problems_in(version.snapshot["body_html"]) == [], payload
        checked += 1
    assert checked >= 120
    assert db.session.get(PracticeVersion, version.id).number == checked + 1


def test_link_labels_are_text_and_only_web_addresses_are_kept(client, organisation):
    practice = make_practice(
        organisation,
        links=[services.LinkRow('<script>alert(1)</script>"', "https://example.org/?q=<b>")],
    )
    page = client.get(f"/library/{practice.slug}").get_data(as_text=True)
    links = page[
        page.index('id="practice-links-heading"') : page.index(
            "</section>", page.index('id="practice-links-heading"')
        )
    ]
    assert "<script>" not in links
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;" in links
    assert 'href="https://example.org/?q=&lt;b&gt;"' in links
