"""The Atom feed of new and updated entries, read the way a feed reader reads it: with
feedparser, which must find nothing wrong (no "bozo") in it."""

from datetime import timedelta
from xml.etree import ElementTree

import feedparser
import pytest

from tests.factories import make_topic
from tests.library.factories import make_practice
from tests.library.test_listing import START, set_fields
from wwc_community.extensions import db
from wwc_community.library.listing import FEED_LIMIT
from wwc_community.library.models import Practice

SITE = "https://community.example.org"


@pytest.fixture
def app(app_with):
    """The app as deployed behind SITE_URL, so every address in the feed is absolute."""
    return app_with(SITE_URL=SITE)


def read_feed(client, path="/library/feed.atom"):
    """The feed as feedparser reads it, after checking that it parsed cleanly."""
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


@pytest.fixture
def partner(members):
    return members["partner"]


@pytest.fixture
def entries(partner, organisation):
    """A published entry with a title full of markup characters, an older one updated
    since, a draft and an unpublished entry."""
    open_data = make_topic("Open Data")
    budgets = make_topic("Budgets & Finance")
    dashboards = make_practice(
        organisation,
        author=partner,
        title='Dashboards & <data> stories for "council"',
        summary="How <b>three</b> cities & their councils read the numbers.",
        topics=[open_data, budgets],
    )
    contracts = make_practice(organisation, author=partner, title="Outcome-based contracts")
    make_practice(organisation, author=partner, title="A draft of a guide", status="draft")
    make_practice(organisation, author=partner, title="A withdrawn guide", status="unpublished")
    set_fields(dashboards, published_at=START + timedelta(days=3), updated_at=None)
    set_fields(
        contracts, published_at=START, updated_at=START + timedelta(days=5, hours=2, minutes=7)
    )
    return {"dashboards": dashboards, "contracts": contracts}


def test_the_feed_is_valid_atom_with_absolute_links(client, entries, organisation):
    feed = read_feed(client)
    assert feed.feed.title == "WWC Community library"
    assert feed.feed.id == f"{SITE}/library/feed.atom"
    links = {link.rel: link.href for link in feed.feed.links}
    assert links == {"self": f"{SITE}/library/feed.atom", "alternate": f"{SITE}/library"}
    # The most recent change in the feed.
    assert feed.feed.updated == "2026-03-07T11:37:00Z"
    assert [entry.title for entry in feed.entries] == [
        "Outcome-based contracts",
        'Dashboards & <data> stories for "council"',
    ]


def test_each_entry_has_its_link_dates_author_summary_and_topics(client, entries, organisation):
    contracts, dashboards = read_feed(client).entries
    assert dashboards.link == f"{SITE}/library/{entries['dashboards'].slug}"
    assert dashboards.published == "2026-03-05T09:30:00Z"
    assert dashboards.updated == "2026-03-05T09:30:00Z"
    assert contracts.published == "2026-03-02T09:30:00Z"
    assert contracts.updated == "2026-03-07T11:37:00Z"
    assert dashboards.author == organisation.name
    assert dashboards.author_detail.href == f"{SITE}/orgs/{organisation.slug}"
    assert dashboards.summary == "How <b>three</b> cities & their councils read the numbers."
    assert dashboards.summary_detail.type == "text/plain"
    assert [(tag.term, tag.label) for tag in dashboards.tags] == [
        ("budgets-finance", "Budgets & Finance"),
        ("open-data", "Open Data"),
    ]
    assert dashboards.id.startswith("tag:community.example.org,2026-03-05:library/practice/")


def test_markup_in_titles_is_escaped_text(client, entries):
    body = client.get("/library/feed.atom").get_data(as_text=True)
    assert "Dashboards &amp; &lt;data&gt; stories" in body
    assert "<data>" not in body
    assert "<b>" not in body
    # A plain XML parser reads the same characters back.
    root = ElementTree.fromstring(body.encode())
    titles = [t.text for t in root.iter("{http://www.w3.org/2005/Atom}title")]
    assert 'Dashboards & <data> stories for "council"' in titles


def test_an_entry_keeps_its_id_when_its_title_and_address_change(client, entries):
    before = {e.title: e.id for e in read_feed(client).entries}["Outcome-based contracts"]
    set_fields(entries["contracts"], title="Contracts that pay for outcomes", slug="pay-for-it")
    after = read_feed(client).entries[0]
    assert after.title == "Contracts that pay for outcomes"
    assert after.id == before
    assert after.link == f"{SITE}/library/pay-for-it"


def test_drafts_and_unpublished_entries_stay_out(client, entries):
    titles = [entry.title for entry in read_feed(client).entries]
    assert "A draft of a guide" not in titles
    assert "A withdrawn guide" not in titles


def test_the_feed_holds_the_latest_thirty(client, organisation, partner):
    topic = make_topic("Evaluations")
    for number in range(FEED_LIMIT + 2):
        practice = make_practice(
            organisation, author=partner, title=f"Practice number {number:02}", topics=[topic]
        )
        set_fields(practice, published_at=START + timedelta(days=number), updated_at=None)
    # An old entry republished today comes first.
    first = db.session.scalar(db.select(Practice).where(Practice.title == "Practice number 00"))
    set_fields(first, updated_at=START + timedelta(days=90))
    titles = [entry.title for entry in read_feed(client).entries]
    assert len(titles) == FEED_LIMIT == 30
    assert titles[:2] == ["Practice number 00", "Practice number 31"]
    assert "Practice number 01" not in titles and "Practice number 02" not in titles


def test_an_empty_feed_is_still_valid(client, members):
    feed = read_feed(client)
    assert feed.entries == []
    assert feed.feed.updated


def test_the_feed_is_public_and_the_same_for_every_role(client, sign_in_as, entries):
    sign_in_as("coordinator")
    titles = [entry.title for entry in read_feed(client).entries]
    assert titles == ["Outcome-based contracts", 'Dashboards & <data> stories for "council"']
