"""Members' profiles: who sees which profile, who may edit it, and the edit form with its
preview."""

import re

import pytest
from sqlalchemy import select

from tests.conftest import post_form, sign_in
from tests.directory.conftest import add_expertise
from tests.factories import PASSWORD, make_city, make_member, make_organisation, make_topic
from wwc_community.accounts.models import Member, MemberStatus
from wwc_community.core.errors import Invalid, NotFound, NotPermitted
from wwc_community.core.models import AuditEntry
from wwc_community.directory import services
from wwc_community.directory.services import get_profile, update_profile
from wwc_community.extensions import db


def text_of(response) -> str:
    return response.get_data(as_text=True)


def checked_topics(html: str) -> list[str]:
    """The topics ticked in the edit form."""
    return re.findall(
        r'<input checked id="topics-\d+" name="topics" type="checkbox" value="([^"]+)"', html
    )


def saved(member: Member) -> Member:
    """The member as stored, read afresh."""
    db.session.expire_all()
    return db.session.get(Member, member.id)


def profile_fields(member: Member, **changes) -> dict:
    """update_profile's keyword arguments: the member's current values, with `changes`."""
    member = services.get_editable_profile(db.session, member, member)
    fields = {
        "display_name": member.display_name,
        "handle": member.handle,
        "job_title": member.job_title,
        "department": member.department,
        "bio": member.bio,
        "topics": list(member.expertise),
        "city": member.city,
        "organisation": member.organisation,
    }
    fields.update(changes)
    return fields


def form_fields(member: Member, **changes) -> dict:
    """What the edit form sends for `member` when nothing is changed, with `changes`."""
    data = {
        "display_name": member.display_name,
        "handle": member.handle,
        "job_title": member.job_title,
        "department": member.department,
        "city": member.city.label if member.city else "",
        "organisation": member.organisation.slug if member.organisation else "",
        "bio": member.bio,
    }
    data.update(changes)
    return data


# Who sees which profile -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "verified", "practitioner_sees", "coordinator_sees"),
    [
        (MemberStatus.ACTIVE, True, True, True),
        (MemberStatus.ACTIVE, False, False, False),
        (MemberStatus.PENDING, True, False, True),
        (MemberStatus.SUSPENDED, True, False, True),
        (MemberStatus.DECLINED, True, False, False),
        (MemberStatus.DELETED, True, False, False),
    ],
)
def test_members_see_approved_profiles_and_coordinators_also_pending_and_suspended(
    members, city, status, verified, practitioner_sees, coordinator_sees
):
    other = make_member(status=status, verified=verified, city=city)
    for viewer, sees in (
        (members["practitioner"], practitioner_sees),
        (members["coordinator"], coordinator_sees),
        (members["admin"], coordinator_sees),
    ):
        if sees:
            assert get_profile(db.session, viewer, other.handle) is other
        else:
            with pytest.raises(NotFound):
                get_profile(db.session, viewer, other.handle)


@pytest.mark.parametrize("viewer", ["pending", "suspended"])
def test_accounts_that_are_not_approved_see_no_profile(members, viewer):
    with pytest.raises(NotPermitted):
        get_profile(db.session, members[viewer], members["practitioner"].handle)


@pytest.mark.parametrize("handle", ["nobody-here", "", "x" * 300, "Bad Handle!", "%00"])
def test_an_unknown_handle_is_not_found(members, handle):
    with pytest.raises(NotFound):
        get_profile(db.session, members["practitioner"], handle)


def test_profile_page_shows_who_the_member_is(client, members, sign_in_as, city, topics):
    dana = make_member(city=city, display_name="Dana Q. Analyst")
    dana.department = "Office of Performance"
    dana.bio_html = "<p>I run the <strong>311</strong> dashboards.</p>"
    db.session.commit()
    add_expertise(dana, topics["open-data"], topics["evaluations"])
    sign_in_as("practitioner")

    response = client.get(f"/people/{dana.handle}")
    html = text_of(response)
    assert response.status_code == 200
    assert "<h1>Dana Q. Analyst</h1>" in html
    assert 'aria-hidden="true">DA</span>' in html
    assert "Analyst, Office of Performance" in html
    assert f'<a href="/cities/{city.slug}">Springfield, IL</a>' in html
    assert 'href="/topics/open-data">Open Data</a>' in html
    assert 'href="/topics/evaluations">Evaluations</a>' in html
    assert "<p>I run the <strong>311</strong> dashboards.</p>" in html
    assert "Member since" in html
    assert "Activity" in html and "Events attended" in html
    # Not their own profile: no edit link, and no role badge for a practitioner.
    assert "Edit your profile" not in html
    assert "role-badge" not in html


def test_partner_profile_links_the_organisation_and_shows_the_badge(
    client, members, sign_in_as, organisation
):
    sign_in_as("practitioner")
    html = text_of(client.get(f"/people/{members['partner'].handle}"))
    assert f'<a href="/orgs/{organisation.slug}">Civic Evidence Lab</a>' in html
    assert '<span class="role-badge">Partner</span>' in html


def test_own_profile_offers_the_edit_link(client, members, sign_in_as):
    sign_in_as("practitioner")
    html = text_of(client.get(f"/people/{members['practitioner'].handle}"))
    assert 'href="/settings/profile">Edit your profile</a>' in html
    assert "You have not written a bio yet" in html


def test_coordinators_see_a_pending_profile_with_a_note(client, members, sign_in_as):
    sign_in_as("coordinator")
    response = client.get(f"/people/{members['pending'].handle}")
    assert response.status_code == 200
    assert "This account is pending" in text_of(response)


def test_members_get_a_404_for_hidden_or_unknown_profiles(client, members, sign_in_as):
    sign_in_as("practitioner")
    for handle in (members["pending"].handle, members["suspended"].handle, "no-such-member"):
        response = client.get(f"/people/{handle}")
        assert response.status_code == 404
        assert "There is no member profile at this address." in text_of(response)


def test_visitors_are_sent_to_sign_in_and_back(client, members):
    handle = members["practitioner"].handle
    response = client.get(f"/people/{handle}")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    assert login_url.startswith("/auth/login?next=")
    partner = members["partner"]
    response = post_form(client, login_url, {"email": partner.email, "password": PASSWORD})
    assert response.headers["Location"] == f"/people/{handle}"


def test_a_pending_account_sees_no_profile(client, members, sign_in_as):
    sign_in_as("pending")
    response = client.get(f"/people/{members['practitioner'].handle}")
    assert response.status_code == 302
    assert "/account/status" in response.headers["Location"]


# Who may edit what ---------------------------------------------------------------------


def test_a_member_edits_their_own_profile(members, topics):
    dana = members["practitioner"]
    update_profile(
        db.session,
        dana,
        dana,
        **profile_fields(
            dana,
            display_name="  Dana   Analyst ",
            handle=" Dana-Analyst ",
            job_title="Performance analyst",
            department="Budget Office",
            bio="I *measure* things.",
            topics=[topics["open-data"], topics["evaluations"], topics["open-data"]],
        ),
    )
    db.session.commit()
    dana = saved(dana)
    assert (dana.display_name, dana.handle) == ("Dana Analyst", "dana-analyst")
    assert (dana.job_title, dana.department) == ("Performance analyst", "Budget Office")
    assert dana.bio == "I *measure* things."
    assert dana.bio_html == "<p>I <em>measure</em> things.</p>"
    dana = services.get_editable_profile(db.session, dana, dana)
    assert [topic.slug for topic in dana.expertise] == ["evaluations", "open-data"]


@pytest.mark.parametrize("actor", ["partner", "coordinator", "pending", "suspended"])
def test_nobody_but_the_member_and_admins_edits_a_profile(members, actor):
    dana = members["practitioner"]
    with pytest.raises(NotPermitted):
        update_profile(
            db.session, members[actor], dana, **profile_fields(dana, display_name="Hijacked")
        )
    assert saved(dana).display_name != "Hijacked"


def test_a_pending_member_cannot_edit_even_their_own_profile(members):
    pending = members["pending"]
    with pytest.raises(NotPermitted):
        update_profile(db.session, pending, pending, **profile_fields(pending))


def test_an_admin_edits_another_members_profile(members):
    dana = members["practitioner"]
    update_profile(
        db.session, members["admin"], dana, **profile_fields(dana, job_title="Chief data officer")
    )
    db.session.commit()
    assert saved(dana).job_title == "Chief data officer"


@pytest.mark.parametrize(
    ("handle", "message"),
    [
        ("", "Choose a handle"),
        ("ab", "Use 3 to 40 characters (this one has 2)"),
        ("a" * 41, "Use 3 to 40 characters (this one has 41)"),
        ("dana analyst", "no spaces"),
        ("dana_analyst", "the letters a to z"),
        ("dána", "the letters a to z"),
        ("-dana", "Start and end the handle with a letter or a digit"),
        ("dana-", "Start and end the handle with a letter or a digit"),
        ("former-member-7", "kept for deleted accounts"),
    ],
)
def test_handle_rules(members, handle, message):
    dana = members["practitioner"]
    with pytest.raises(Invalid, match=re.escape(message)) as refused:
        update_profile(db.session, dana, dana, **profile_fields(dana, handle=handle))
    assert refused.value.field == "handle"


def test_a_handle_is_unique(members):
    dana = members["practitioner"]
    taken = members["partner"].handle
    with pytest.raises(Invalid, match=f"Someone else has the handle “{taken}”"):
        update_profile(db.session, dana, dana, **profile_fields(dana, handle=taken.upper()))
    # Keeping one's own handle is fine.
    update_profile(db.session, dana, dana, **profile_fields(dana))


def test_the_bio_is_sanitised_and_stored_rendered(members):
    dana = members["practitioner"]
    bio = (
        "Hello <script>alert('x')</script> **world**\n\n"
        "[site](javascript:alert(1)) <img src=x onerror=alert(1)> <https://example.gov>"
    )
    update_profile(db.session, dana, dana, **profile_fields(dana, bio=bio))
    db.session.commit()
    html = saved(dana).bio_html
    assert "<script" not in html and "<img" not in html and "javascript:" not in html
    assert "<strong>world</strong>" in html
    assert 'href="https://example.gov" rel="nofollow noopener"' in html


def test_a_bio_over_5000_characters_is_refused(members):
    dana = members["practitioner"]
    with pytest.raises(Invalid, match="Keep the bio to 5,000 characters") as refused:
        update_profile(db.session, dana, dana, **profile_fields(dana, bio="x" * 5_001))
    assert refused.value.field == "bio"
    update_profile(db.session, dana, dana, **profile_fields(dana, bio="x" * 5_000))


def test_at_most_eight_topics(members, topics):
    dana = members["practitioner"]
    nine = [*topics.values(), make_topic("Procurement Analytics")]
    with pytest.raises(Invalid, match="Choose at most 8 topics"):
        update_profile(db.session, dana, dana, **profile_fields(dana, topics=nine))


def test_practitioners_keep_a_city_and_partners_an_organisation(members, city, organisation):
    dana, pat = members["practitioner"], members["partner"]
    with pytest.raises(Invalid, match="City staff keep their city") as refused:
        update_profile(db.session, dana, dana, **profile_fields(dana, city=None))
    assert refused.value.field == "city"
    with pytest.raises(Invalid, match="ask a coordinator to change your role"):
        update_profile(
            db.session, dana, dana, **profile_fields(dana, city=None, organisation=organisation)
        )
    with pytest.raises(Invalid, match="Partner staff keep their organisation") as refused:
        update_profile(db.session, pat, pat, **profile_fields(pat, organisation=None))
    assert refused.value.field == "organisation"
    with pytest.raises(Invalid, match="ask a coordinator to change your role"):
        update_profile(db.session, pat, pat, **profile_fields(pat, city=city, organisation=None))


def test_coordinators_may_name_either_or_neither_but_not_both(members, city, organisation):
    casey = members["coordinator"]
    with pytest.raises(Invalid, match="not both"):
        update_profile(
            db.session, casey, casey, **profile_fields(casey, city=city, organisation=organisation)
        )
    update_profile(db.session, casey, casey, **profile_fields(casey, city=city))
    db.session.commit()
    assert saved(casey).city_id == city.id


def test_a_change_of_city_or_organisation_is_audited(members, tulsa):
    dana = members["practitioner"]
    update_profile(db.session, dana, dana, **profile_fields(dana, job_title="Lead analyst"))
    db.session.commit()
    assert not db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.affiliation")
    ).all()
    update_profile(db.session, dana, dana, **profile_fields(dana, city=tulsa))
    db.session.commit()
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "member.affiliation")
    ).one()
    assert (entry.actor_id, entry.target_id) == (dana.id, dana.id)
    assert "from Springfield, IL to Tulsa, OK" in entry.summary


# The edit form ------------------------------------------------------------------------


@pytest.fixture
def dana(client, members, sign_in_as):
    """The practitioner, signed in."""
    sign_in_as("practitioner")
    return members["practitioner"]


def test_the_form_shows_the_saved_profile(client, dana, topics):
    add_expertise(dana, topics["open-data"])
    response = client.get("/settings/profile")
    html = text_of(response)
    assert response.status_code == 200
    assert f'value="{dana.handle}"' in html
    assert 'value="Springfield, IL"' in html
    assert checked_topics(html) == ["open-data"]
    assert 'name="organisation"' not in html  # city staff name a city
    assert 'name="preview"' in html and 'name="csrf_token"' in html


def test_saving_the_form_updates_the_profile(client, dana, topics, tulsa):
    response = post_form(
        client,
        "/settings/profile",
        {
            **form_fields(
                dana, handle="dana-from-tulsa", city="Tulsa, OK", bio="Ask me **anything**"
            ),
            "topics": ["open-data", "results-driven-contracting"],
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/people/dana-from-tulsa"
    dana = services.get_editable_profile(db.session, saved(dana), saved(dana))
    assert dana.handle == "dana-from-tulsa" and dana.city_id == tulsa.id
    assert dana.bio_html == "<p>Ask me <strong>anything</strong></p>"
    assert [t.slug for t in dana.expertise] == ["open-data", "results-driven-contracting"]
    page = text_of(client.get("/people/dana-from-tulsa"))
    assert "Your profile is saved." in page


def test_unchecking_every_topic_clears_the_expertise(client, dana, topics):
    add_expertise(dana, topics["open-data"])
    assert post_form(client, "/settings/profile", form_fields(dana)).status_code == 303
    assert services.get_editable_profile(db.session, saved(dana), saved(dana)).expertise == []


def test_preview_renders_the_bio_and_saves_nothing(client, dana, topics):
    before = dana.display_name
    response = post_form(
        client,
        "/settings/profile",
        {
            **form_fields(
                dana, display_name="Not Saved", bio="# Hi\n\n- one\n- <script>x</script>"
            ),
            "topics": ["open-data"],
            "preview": "1",
        },
    )
    html = text_of(response)
    assert response.status_code == 200
    assert 'aria-labelledby="preview-heading"' in html and "Preview of your bio" in html
    assert "<li>one</li>" in html and "<script>x" not in html
    # The form keeps what was typed, ready to save.
    assert 'value="Not Saved"' in html
    assert checked_topics(html) == ["open-data"]
    dana = saved(dana)
    assert dana.display_name == before and dana.bio == ""
    assert services.get_editable_profile(db.session, dana, dana).expertise == []


def test_preview_of_a_too_long_bio_shows_the_error(client, dana):
    response = post_form(
        client, "/settings/profile", {**form_fields(dana, bio="y" * 5_001), "preview": "1"}
    )
    assert response.status_code == 400
    assert "Keep the bio to 5,000 characters (this one has 5,001)" in text_of(response)
    assert "Preview of your bio" not in text_of(response)


def test_a_too_long_bio_is_refused_and_nothing_saved(client, dana):
    response = post_form(
        client, "/settings/profile", form_fields(dana, display_name="New Name", bio="z" * 5_001)
    )
    assert response.status_code == 400
    assert "Keep the bio to 5,000 characters" in text_of(response)
    assert saved(dana).display_name != "New Name"


def test_line_breaks_count_once_towards_the_bio_limit(client, dana):
    bio = "line\r\n" * 833  # 6 characters a line once CRLF is one line break
    response = post_form(client, "/settings/profile", form_fields(dana, bio=bio))
    assert response.status_code == 303


def test_a_taken_handle_is_refused_on_the_form(client, dana, members):
    taken = members["partner"].handle
    response = post_form(client, "/settings/profile", form_fields(dana, handle=taken))
    assert response.status_code == 400
    assert f"Someone else has the handle “{taken}”" in text_of(response)
    assert saved(dana).handle != taken


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": "   "}, "Enter the name other members know you by."),
        ({"handle": "no"}, "Use 3 to 40 characters"),
        ({"city": "Atlantis, ZZ"}, "We could not find “Atlantis, ZZ”"),
        ({"city": ""}, "City staff keep their city"),
        ({"topics": ["open-data", "not-a-topic"]}, "Choose topics from the list."),
        ({"job_title": "j" * 121}, "Use at most 120 characters."),
    ],
)
def test_the_form_explains_each_problem(client, dana, topics, changes, message):
    response = post_form(client, "/settings/profile", form_fields(dana, **changes))
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'aria-invalid="true"' in text_of(response) or "topics-error" in text_of(response)


def test_nine_topics_are_refused_on_the_form(client, dana, topics):
    make_topic("Procurement Analytics")
    chosen = [*topics, "procurement-analytics"]
    response = post_form(client, "/settings/profile", {**form_fields(dana), "topics": chosen})
    assert response.status_code == 400
    assert "Choose at most 8 topics (you chose 9)." in text_of(response)


def test_an_empty_form_is_refused(client, dana):
    response = post_form(client, "/settings/profile", {})
    assert response.status_code == 400
    assert saved(dana).display_name == dana.display_name


def test_a_partner_picks_their_organisation(client, members):
    pat = members["partner"]
    other = make_organisation("Open Procurement Lab")
    sign_in(client, pat.email)
    page = text_of(client.get("/settings/profile"))
    assert 'name="city"' not in page and 'name="organisation"' in page
    response = post_form(
        client, "/settings/profile", form_fields(pat, organisation=other.slug, city="")
    )
    assert response.status_code == 303
    assert saved(pat).organisation_id == other.id
    response = post_form(client, "/settings/profile", form_fields(pat, organisation="nowhere"))
    assert response.status_code == 400
    assert "Choose the partner organisation from the list." in text_of(response)


def test_a_coordinator_sees_both_fields(client, members):
    sign_in(client, members["coordinator"].email)
    page = text_of(client.get("/settings/profile"))
    assert 'name="city"' in page and 'name="organisation"' in page
    make_city("Tulsa", "OK", 411_867)
    response = post_form(
        client, "/settings/profile", form_fields(members["coordinator"], city="Tulsa, OK")
    )
    assert response.status_code == 303


def test_visitors_and_pending_accounts_cannot_open_the_form(client, members, sign_in_as):
    assert "/auth/login" in client.get("/settings/profile").headers["Location"]
    sign_in_as("pending")
    assert "/account/status" in client.get("/settings/profile").headers["Location"]
    response = post_form(client, "/settings/profile", form_fields(members["pending"]))
    assert "/account/status" in response.headers["Location"]
    assert saved(members["pending"]).display_name == members["pending"].display_name


def test_the_admin_role_alone_does_not_edit_others_through_the_form(client, members, sign_in_as):
    """The form edits the signed-in member's own profile only; there is no member id in it."""
    sign_in_as("admin")
    admin = members["admin"]
    response = post_form(client, "/settings/profile", form_fields(admin, job_title="Operator"))
    assert response.status_code == 303
    assert saved(admin).job_title == "Operator"
    assert saved(members["practitioner"]).job_title == "Analyst"
