"""The directory's admin pages: organisations, topics, e-mail domains and certification."""

import pytest
from sqlalchemy import func, select

from tests.conftest import post_form, sign_in
from tests.factories import make_city, make_member, make_organisation, make_topic
from wwc_community.accounts.models import Role
from wwc_community.core.database import utcnow
from wwc_community.core.models import AuditEntry
from wwc_community.directory.models import EmailDomain, Organisation, Topic
from wwc_community.directory.services import link_domain
from wwc_community.extensions import db


def count(model) -> int:
    return db.session.scalar(select(func.count(model.id)))


def text_of(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def coordinator(client, members, sign_in_as):
    sign_in_as("coordinator")
    return client


@pytest.fixture
def admin(client, members, sign_in_as):
    sign_in_as("admin")
    return client


# Who may open the pages ----------------------------------------------------------------

ADMIN_PAGES = [
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/civic-evidence-lab",
    "/admin/topics",
    "/admin/topics/new",
    "/admin/domains",
    "/admin/cities/springfield-il/certification",
]


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_practitioner_is_refused_every_admin_page(client, members, sign_in_as, path):
    sign_in_as("practitioner")
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", ADMIN_PAGES[:-1])
def test_coordinators_open_the_directory_admin_pages(coordinator, path):
    response = coordinator.get(path)
    assert response.status_code == 200
    html = text_of(response)
    assert 'aria-label="Directory administration"' in html
    assert 'name="csrf_token"' in html or path in ("/admin/organisations", "/admin/topics")


def test_only_admins_set_certification(coordinator, city):
    assert coordinator.get(f"/admin/cities/{city.slug}/certification").status_code == 403
    response = post_form(
        coordinator, f"/admin/cities/{city.slug}/certification", {"level": "gold", "year": "2023"}
    )
    assert response.status_code == 403
    assert city.certification_level == "none"


# Organisations -------------------------------------------------------------------------


def test_coordinator_adds_an_organisation(coordinator):
    response = post_form(
        coordinator,
        "/admin/organisations/new",
        {
            "name": "  Open   Procurement Lab ",
            "website": "https://procurement.example.org",
            "description": "Helps cities buy outcomes.",
        },
    )
    assert response.status_code == 303
    assert response.location == "/admin/organisations/open-procurement-lab"
    organisation = db.session.scalar(
        select(Organisation).where(Organisation.slug == "open-procurement-lab")
    )
    assert organisation.name == "Open Procurement Lab"
    assert organisation.website == "https://procurement.example.org"
    listing = text_of(coordinator.get("/admin/organisations"))
    assert "Open Procurement Lab" in listing and "Civic Evidence Lab" in listing


def test_an_organisation_name_already_taken_is_refused(coordinator):
    before = count(Organisation)
    response = post_form(coordinator, "/admin/organisations/new", {"name": "civic evidence LAB"})
    assert response.status_code == 400
    html = text_of(response)
    assert "There is already an organisation called civic evidence LAB." in html
    assert 'class="error-summary"' in html
    assert count(Organisation) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": ""}, "Enter the organisation&#39;s name."),
        ({"name": "   "}, "Enter the organisation&#39;s name."),
        ({"name": "!!!"}, "Give the organisation a name with letters or digits."),
        ({"name": "x" * 161}, "Use at most 160 characters."),
        ({"name": "Lab", "website": "procurement.example.org"}, "Enter a full web address"),
        ({"name": "Lab", "website": "javascript:alert(1)"}, "Enter a full web address"),
        ({"name": "Lab", "description": "x" * 2001}, "Use at most 2,000 characters."),
    ],
)
def test_bad_organisation_input_gets_a_clear_message(coordinator, fields, message):
    before = count(Organisation)
    response = post_form(coordinator, "/admin/organisations/new", fields)
    assert response.status_code == 400
    assert message in text_of(response)
    assert count(Organisation) == before


def test_control_characters_are_dropped_from_what_is_typed(coordinator, city):
    post_form(coordinator, "/admin/organisations/new", {"name": "Open\x01 Data\x07 Lab"})
    assert (
        db.session.scalar(select(Organisation.name).where(Organisation.slug == "open-data-lab"))
        == "Open Data Lab"
    )
    post_form(coordinator, "/admin/topics/new", {"name": "Open\x01Data"})
    assert db.session.scalar(select(Topic.name)) == "OpenData"
    response = post_form(
        coordinator,
        "/admin/domains",
        {"domain": "springfield\x01.gov", "owner": "city", "city": "Spring\x01field, IL"},
    )
    assert response.status_code == 303
    assert db.session.scalar(select(EmailDomain.domain)) == "springfield.gov"
    for path in ("/admin/organisations/lab%01", "/admin/topics/x%01y"):
        assert coordinator.get(path).status_code == 404
    assert coordinator.get("/admin/domains?q=spring%01").status_code == 200


def test_coordinator_edits_an_organisation(coordinator, organisation):
    page = coordinator.get(f"/admin/organisations/{organisation.slug}")
    assert 'value="Civic Evidence Lab"' in text_of(page)
    response = post_form(
        coordinator,
        f"/admin/organisations/{organisation.slug}",
        {"name": "Civic Evidence Laboratory", "website": "", "description": "Evaluations."},
    )
    assert response.status_code == 303
    assert (organisation.name, organisation.description) == (
        "Civic Evidence Laboratory",
        "Evaluations.",
    )
    assert organisation.slug == "civic-evidence-lab"  # the address stays the same


def test_renaming_an_organisation_to_another_ones_name_is_refused(coordinator, organisation):
    link_domain(db.session, None, "evidence.example.org", organisation=organisation)
    make_organisation("Open Procurement Lab")
    response = post_form(
        coordinator, f"/admin/organisations/{organisation.slug}", {"name": "Open Procurement Lab"}
    )
    assert response.status_code == 400
    html = text_of(response)
    assert "There is already an organisation called Open Procurement Lab." in html
    assert "evidence.example.org" in html  # the page still lists its domains
    assert organisation.name == "Civic Evidence Lab"


def test_an_unknown_organisation_is_a_404(coordinator):
    assert coordinator.get("/admin/organisations/nobody").status_code == 404


def test_organisations_list_has_an_empty_state(client, app):
    coordinator = make_member(Role.COORDINATOR, email="lone@example.org")
    sign_in(client, coordinator.email)
    html = text_of(client.get("/admin/organisations"))
    assert "There are no partner organisations yet." in html
    assert "<table" not in html


# Topics --------------------------------------------------------------------------------


def test_coordinator_adds_and_renames_a_topic(coordinator):
    response = post_form(
        coordinator, "/admin/topics/new", {"name": "Open Data", "description": "Portals."}
    )
    assert response.status_code == 303 and response.location == "/admin/topics"
    topic = db.session.scalar(select(Topic).where(Topic.slug == "open-data"))
    assert topic.description == "Portals."
    assert "Open Data" in text_of(coordinator.get("/admin/topics"))

    response = post_form(
        coordinator, "/admin/topics/open-data", {"name": "Open Data Portals", "description": ""}
    )
    assert response.status_code == 303
    assert (topic.name, topic.slug, topic.description) == ("Open Data Portals", "open-data", "")


def test_a_topic_name_already_taken_is_refused(coordinator):
    make_topic("Evaluations")
    other = make_topic("Open Data")
    created = post_form(coordinator, "/admin/topics/new", {"name": "EVALUATIONS"})
    assert created.status_code == 400
    assert "There is already a topic called EVALUATIONS." in text_of(created)
    renamed = post_form(coordinator, f"/admin/topics/{other.slug}", {"name": "evaluations"})
    assert renamed.status_code == 400
    assert "There is already a topic called evaluations." in text_of(renamed)
    assert other.name == "Open Data" and count(Topic) == 2


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the topic&#39;s name."),
        ("---", "Give the topic a name with letters or digits."),
        ("x" * 81, "Use at most 80 characters."),
    ],
)
def test_bad_topic_names_get_a_clear_message(coordinator, name, message):
    response = post_form(coordinator, "/admin/topics/new", {"name": name})
    assert response.status_code == 400 and message in text_of(response)
    assert count(Topic) == 0


def test_topics_list_has_an_empty_state(coordinator):
    assert "There are no topics yet." in text_of(coordinator.get("/admin/topics"))
    assert coordinator.get("/admin/topics/not-a-topic").status_code == 404


# E-mail domains ------------------------------------------------------------------------


def test_coordinator_links_a_domain_to_a_city(coordinator, city):
    response = post_form(
        coordinator,
        "/admin/domains",
        {"domain": " @Springfield.IL.gov ", "owner": "city", "city": "springfield, il"},
    )
    assert response.status_code == 303 and response.location == "/admin/domains"
    link = db.session.scalar(select(EmailDomain))
    assert (link.domain, link.city_id, link.organisation_id) == (
        "springfield.il.gov",
        city.id,
        None,
    )
    page = coordinator.get(response.location)
    html = text_of(page)
    assert "springfield.il.gov is linked to Springfield, IL." in html
    assert "springfield.il.gov" in html.split("<tbody>")[1]
    assert f'href="/cities/{city.slug}"' in html


def test_coordinator_links_a_domain_to_an_organisation(coordinator, organisation):
    response = post_form(
        coordinator,
        "/admin/domains",
        {
            "domain": "evidence.example.org",
            "owner": "organisation",
            "organisation": organisation.slug,
        },
    )
    assert response.status_code == 303
    link = db.session.scalar(select(EmailDomain))
    assert link.organisation_id == organisation.id and link.city_id is None
    listing = text_of(coordinator.get("/admin/organisations"))
    assert "evidence.example.org" in listing


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"domain": "not a domain"}, "Enter a domain like austintexas.gov"),
        ({"domain": "@x"}, "Enter a domain like austintexas.gov"),
        ({"domain": "dana@springfield.gov"}, "Enter a domain like austintexas.gov"),
        ({"domain": "https://springfield.gov/"}, "Enter a domain like austintexas.gov"),
        ({"domain": ""}, "Enter a domain, for example austintexas.gov."),
        ({"domain": "a" * 254 + ".gov"}, "A domain has at most 253 characters."),
        ({"city": ""}, "Type the city, for example “Austin, TX”."),
        ({"city": "Atlantis, ZZ"}, "We could not find “Atlantis, ZZ”"),
        ({"owner": "organisation"}, "Choose the partner organisation from the list."),
        (
            {"owner": "organisation", "organisation": "no-such-org"},
            "Choose the partner organisation",
        ),
        ({"owner": "nobody"}, "Not a valid choice"),
    ],
)
def test_bad_domain_input_gets_a_clear_message_and_saves_nothing(
    coordinator, city, fields, message
):
    data = {"domain": "springfield.gov", "owner": "city", "city": "Springfield, IL", **fields}
    response = post_form(coordinator, "/admin/domains", data)
    assert response.status_code == 400
    assert message in text_of(response)
    assert count(EmailDomain) == 0


def test_a_domain_linked_already_is_refused(coordinator, city, organisation):
    link_domain(db.session, None, "springfield.gov", city=city)
    db.session.commit()
    response = post_form(
        coordinator,
        "/admin/domains",
        {"domain": "SPRINGFIELD.gov", "owner": "organisation", "organisation": organisation.slug},
    )
    assert response.status_code == 400
    assert "springfield.gov is already linked to Springfield, IL." in text_of(response)
    assert count(EmailDomain) == 1


def test_an_ambiguous_city_asks_for_the_state(coordinator, city):
    make_city("Springfield", "MO", 169_176)
    response = post_form(
        coordinator,
        "/admin/domains",
        {"domain": "springfield.gov", "owner": "city", "city": "Springfield"},
    )
    assert response.status_code == 400
    assert "More than one city is called Springfield" in text_of(response)


def test_coordinator_unlinks_a_domain(coordinator, city):
    link_id = link_domain(db.session, None, "springfield.gov", city=city).id
    db.session.commit()
    response = post_form(
        coordinator, f"/admin/domains/{link_id}/unlink", {"back": "/admin/domains?q=spring"}
    )
    assert response.status_code == 303 and response.location == "/admin/domains?q=spring"
    assert count(EmailDomain) == 0
    html = text_of(coordinator.get(response.location))
    assert "springfield.gov is no longer linked to Springfield, IL." in html
    # Unlinking twice is not an error page: the domain is simply gone.
    again = post_form(coordinator, f"/admin/domains/{link_id}/unlink")
    assert again.status_code == 303
    assert "That domain is not linked any more." in text_of(coordinator.get(again.location))


def test_unlink_never_redirects_off_the_site(coordinator, city):
    link = link_domain(db.session, None, "springfield.gov", city=city)
    db.session.commit()
    response = post_form(
        coordinator, f"/admin/domains/{link.id}/unlink", {"back": "https://evil.example/"}
    )
    assert response.status_code == 303 and response.location == "/admin/domains"


def test_domains_list_has_search_and_an_empty_state(coordinator, city, organisation):
    html = text_of(coordinator.get("/admin/domains"))
    assert "No domain is linked yet" in html
    link_domain(db.session, None, "springfield.gov", city=city)
    link_domain(db.session, None, "evidence.example.org", organisation=organisation)
    db.session.commit()
    html = text_of(coordinator.get("/admin/domains"))
    assert "2 linked domains" in html
    assert html.index("evidence.example.org") < html.index("springfield.gov")
    found = text_of(coordinator.get("/admin/domains?q=spring"))
    assert "springfield.gov" in found and "evidence.example.org" not in found
    nothing = text_of(coordinator.get("/admin/domains?q=zzz&page=abc"))
    assert "No linked domain contains “zzz”." in nothing


def test_organisation_page_links_and_unlinks_its_domains(coordinator, organisation):
    page = f"/admin/organisations/{organisation.slug}"
    assert "No domain is linked to Civic Evidence Lab yet" in text_of(coordinator.get(page))
    bad = post_form(coordinator, f"{page}/domains", {"domain": "not a domain"})
    assert bad.status_code == 400
    assert "Enter a domain like austintexas.gov" in text_of(bad)
    assert count(EmailDomain) == 0

    good = post_form(coordinator, f"{page}/domains", {"domain": "evidence.example.org"})
    assert good.status_code == 303 and good.location == page
    link = db.session.scalar(select(EmailDomain))
    assert link.organisation_id == organisation.id
    html = text_of(coordinator.get(page))
    assert "evidence.example.org is linked to Civic Evidence Lab." in html

    unlinked = post_form(coordinator, f"/admin/domains/{link.id}/unlink", {"back": page})
    assert unlinked.status_code == 303 and unlinked.location == page
    assert count(EmailDomain) == 0


# Certification -------------------------------------------------------------------------


def certify(client, city, level, year=""):
    return post_form(
        client, f"/admin/cities/{city.slug}/certification", {"level": level, "year": year}
    )


def test_admin_sets_a_city_certification(admin, city):
    page = admin.get(f"/cities/{city.slug}")
    assert f'href="/admin/cities/{city.slug}/certification"' in text_of(page)
    response = certify(admin, city, "gold", "2023")
    assert response.status_code == 303 and response.location == f"/cities/{city.slug}"
    assert (city.certification_level, city.certification_year) == ("gold", 2023)
    html = text_of(admin.get(response.location))
    assert "Gold, 2023" in html
    assert "The certification of Springfield, IL is now Gold." in html
    form = text_of(admin.get(f"/admin/cities/{city.slug}/certification"))
    assert 'value="2023"' in form and '<option selected value="gold">' in form


def test_the_certification_link_is_for_admins_only(coordinator, city):
    html = text_of(coordinator.get(f"/cities/{city.slug}"))
    assert f"/admin/cities/{city.slug}/certification" not in html
    assert "Change the certification" not in html


@pytest.mark.parametrize(
    ("level", "year", "message"),
    [
        ("silver", "", "Give the year of certification, between 2017 and"),
        ("gold", "2016", "Give the year of certification, between 2017 and"),
        ("gold", str(utcnow().year + 1), "Give the year of certification"),
        ("gold", "twenty", "Enter the year as four digits, for example 2023."),
        ("gold", "20233", "Enter the year as four digits, for example 2023."),
        ("gold", "-2020", "Enter the year as four digits, for example 2023."),
        ("diamond", "2023", "Not a valid choice"),
    ],
)
def test_bad_certification_input_gets_a_clear_message(admin, city, level, year, message):
    response = certify(admin, city, level, year)
    assert response.status_code == 400
    assert message in text_of(response)
    assert (city.certification_level, city.certification_year) == ("none", None)


def test_not_certified_clears_the_year(admin, city):
    certify(admin, city, "platinum", "2021")
    response = certify(admin, city, "none", "2021")
    assert response.status_code == 303
    assert (city.certification_level, city.certification_year) == ("none", None)
    assert "Not certified" in text_of(admin.get(f"/cities/{city.slug}"))


def test_certification_of_an_unknown_city_is_a_404(admin):
    assert admin.get("/admin/cities/atlantis-zz/certification").status_code == 404


# Audit trail ---------------------------------------------------------------------------


def test_every_change_is_in_the_audit_trail(admin, members, city, organisation):
    post_form(admin, "/admin/organisations/new", {"name": "Open Procurement Lab"})
    post_form(admin, f"/admin/organisations/{organisation.slug}", {"name": "Civic Evidence Labs"})
    post_form(admin, "/admin/topics/new", {"name": "Open Data"})
    post_form(admin, "/admin/topics/open-data", {"name": "Open Data Portals"})
    post_form(
        admin,
        "/admin/domains",
        {"domain": "springfield.gov", "owner": "city", "city": "Springfield, IL"},
    )
    link = db.session.scalar(select(EmailDomain))
    post_form(admin, f"/admin/domains/{link.id}/unlink")
    certify(admin, city, "silver", "2020")

    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.actor_id == members["admin"].id)
    ).all()
    assert sorted(actions) == sorted(
        [
            "organisation.create",
            "organisation.update",
            "topic.create",
            "topic.update",
            "domain.link",
            "domain.unlink",
            "city.certification",
        ]
    )
    html = text_of(admin.get("/admin/audit"))
    for summary in (
        "Created the organisation Open Procurement Lab",
        "Updated the organisation Civic Evidence Labs",
        "Created the topic Open Data",
        "Updated the topic Open Data Portals",
        "Linked springfield.gov to Springfield, IL",
        "Unlinked springfield.gov from Springfield, IL",
        "Set the certification of Springfield, IL to Silver (2020)",
    ):
        assert summary in html
    assert members["admin"].display_name in html


def test_a_refused_change_leaves_no_audit_entry(coordinator, organisation):
    before = count(AuditEntry)
    post_form(coordinator, "/admin/organisations/new", {"name": organisation.name})
    post_form(coordinator, "/admin/domains", {"domain": "@x", "owner": "city", "city": ""})
    assert count(AuditEntry) == before
