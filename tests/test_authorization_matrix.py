"""Every route against every role, in one table that each feature extends.

An outcome is what the role gets from the route:
  ok         200
  login      302 to the sign-in page (signed out, or the session no longer counts)
  status     302 to /account/status (signed in but not an approved member)
  forbidden  403
  home       302 to the home page (pages for signed-out visitors only)
  done       303 back to a page after a permitted action
  an int     that exact status
"""

from urllib.parse import urlsplit

import pytest

from tests.certification.matrix import CERTIFICATION_MATRIX
from tests.conftest import ROLES, csrf_token
from tests.matrix_roles import (
    ADMINS,
    COORDINATORS,
    MEMBERS,
    PUBLIC,
    SIGNED_IN,
    VISITORS_ONLY,
    action,
    everyone,
)
from wwc_community.accounts.models import AccountToken, TokenPurpose
from wwc_community.core.database import utcnow
from wwc_community.extensions import db


def target(fixtures, role="pending"):
    return fixtures["members"][role].id


def reset_token(fixtures):
    """A fresh reset token for the practitioner (the page renders its form)."""
    import secrets

    token = secrets.token_urlsafe(32)
    db.session.add(
        AccountToken(
            member_id=fixtures["members"]["practitioner"].id,
            purpose=TokenPurpose.RESET_PASSWORD,
            token_hash=AccountToken.hash(token),
            expires_at=utcnow().replace(year=utcnow().year + 1),
        )
    )
    db.session.commit()
    return token


def new_topic(fixtures):
    """The address of a topic made for this test."""
    from tests.factories import make_topic

    return f"/admin/topics/{make_topic('Matrix Topic').slug}"


def linked_domain(fixtures):
    """The id of an e-mail domain linked to the test city, for the unlink button."""
    from wwc_community.directory.services import link_domain

    link = link_domain(db.session, None, "matrix.example.gov", city=fixtures["city"])
    db.session.commit()
    return link.id


def event_page(suffix="", **fields):
    """The address of an event made for this test (public and published unless told)."""

    def address(fixtures):
        from tests.events.factories import make_event

        fields.setdefault("is_public", True)
        return f"/events/{make_event(**fields).slug}{suffix}"

    return address


def event_check_in(fixtures):
    """The check-in button of a confirmed registration of an event made for this test."""
    from tests.events.factories import make_event
    from tests.factories import make_member
    from wwc_community.events.models import Registration, RegistrationStatus

    event = make_event(is_public=True, seats_taken=1, queue_counter=1)
    registration = Registration(
        event_id=event.id,
        member_id=make_member().id,
        status=RegistrationStatus.CONFIRMED,
        queue_number=1,
    )
    db.session.add(registration)
    db.session.commit()
    return f"/events/{event.slug}/check-in/{registration.id}"


EVENT_MEMBERS_ONLY = {**everyone("ok"), "visitor": 404, "pending": 404, "suspended": 404}
EVENT_DRAFT = {**everyone(404), "coordinator": "ok", "admin": "ok"}


def practitioners_calendar_feed(fixtures):
    """The practitioner's personal calendar feed (events: calendars)."""
    from flask import current_app

    from wwc_community.events.calendar import feed_token

    token = feed_token(fixtures["members"]["practitioner"], current_app.config["SECRET_KEY"])
    return f"/calendar/{token}.ics"


def profile_page(fixtures):
    """The practitioner's profile, which every member may open."""
    return f"/people/{fixtures['members']['practitioner'].handle}"


def organisation_page(fixtures):
    return f"/admin/organisations/{fixtures['organisation'].slug}"


def discussion(fixtures):
    """A thread asked by a fresh member, with one answer by another fresh member."""
    from tests.discussions.factories import make_answer, make_thread
    from tests.factories import make_member

    thread = make_thread(make_member(), title="How do you publish open data?")
    post = make_answer(thread, make_member())
    return thread, post


def thread_page(fixtures):
    thread, _ = discussion(fixtures)
    return f"/discussions/{thread.id}-{thread.slug}"


def answer_of(fixtures, verb: str) -> str:
    _, post = discussion(fixtures)
    return f"/discussions/posts/{post.id}/{verb}"


def own_answer(fixtures) -> str:
    """An answer by the practitioner, which only they may remove."""
    from tests.discussions.factories import make_answer

    thread, _ = discussion(fixtures)
    post = make_answer(thread, fixtures["members"]["practitioner"])
    return f"/discussions/posts/{post.id}/delete"


def practitioners_notification(fixtures) -> str:
    """A notification of the practitioner's, which only they may open."""
    from wwc_community.notifications.services import notify

    [notification] = notify(
        db.session,
        [fixtures["members"]["practitioner"].id],
        kind="answer",
        text="Someone answered your question.",
        url="/discussions",
    )
    db.session.commit()
    return f"/notifications/{notification.id}"


def unsubscribe_link(fixtures) -> str:
    """The practitioner's one-click unsubscribe link, which works for whoever holds it."""
    from wwc_community.notifications.services import unsubscribe_token

    member = fixtures["members"]["practitioner"]
    return f"/notifications/unsubscribe/{unsubscribe_token(member.id, member.email)}"


def moderated_thread(verb: str, state: str | None = None):
    """The address of a moderation action on a fresh thread, put in `state` first
    (locked, pinned or closed) so the action applies."""

    def build(fixtures) -> str:
        from tests.discussions.factories import make_thread
        from tests.factories import make_member
        from wwc_community.accounts.models import Role
        from wwc_community.discussions import moderation

        thread, _ = discussion(fixtures)
        coordinator = make_member(Role.COORDINATOR)
        if state == "locked":
            moderation.lock_thread(db.session, coordinator, thread, "Settled.")
        elif state == "pinned":
            moderation.pin_thread(db.session, coordinator, thread)
        elif state == "closed":
            original = make_thread(make_member(), title="The original question on open data")
            moderation.close_as_duplicate(db.session, coordinator, thread, str(original.id))
        db.session.commit()
        return f"/discussions/{thread.id}/{verb}"

    return build


def moderated_answer(verb: str, state: str | None = None):
    """The address of a moderation action on a fresh answer, hidden first (or, for
    "flagged", of dismissing the flags on its thread's question)."""

    def build(fixtures) -> str:
        from tests.factories import make_member
        from wwc_community.accounts.models import Role
        from wwc_community.discussions import moderation

        thread, post = discussion(fixtures)
        if state == "flagged":
            # The question is flagged; the dismiss button names no post.
            moderation.flag_item(db.session, make_member(), thread, None, "spam")
            db.session.commit()
            return f"/discussions/{thread.id}/flags/dismiss"
        if state == "hidden":
            moderation.hide_post(db.session, make_member(Role.COORDINATOR), post, "Spam.")
            db.session.commit()
        return f"/discussions/posts/{post.id}/{verb}"

    return build


def practitioners_post(kind: str, verb: str = ""):
    """The address of `verb` on the practitioner's own question, answer or comment
    (only they may edit it)."""

    def build(fixtures) -> str:
        from tests.discussions.factories import make_answer, make_thread
        from wwc_community.discussions.services import post_comment

        practitioner = fixtures["members"]["practitioner"]
        if kind == "question":
            thread = make_thread(practitioner, title="How do you publish open data?")
            return f"/discussions/{thread.id}/{verb}"
        thread, answer = discussion(fixtures)
        post = make_answer(thread, practitioner)
        if kind == "comment":
            post = post_comment(db.session, practitioner, thread, answer, "Which tool?")
            db.session.commit()
        return f"/discussions/posts/{post.id}/{verb}".rstrip("/")

    return build


# Only the author edits their words; coordinators and admins do not.
OWN_WORDS = {**MEMBERS, **dict.fromkeys(["partner", "coordinator", "admin"], "forbidden")}
OWN_WORDS_DONE = {
    **action(MEMBERS),
    **dict.fromkeys(["partner", "coordinator", "admin"], "forbidden"),
}


def topic_follow(verb: str):
    def build(fixtures) -> str:
        from tests.factories import make_topic

        return f"/discussions/topics/{make_topic('Followed Topic').slug}/{verb}"

    return build


# Library list and feed ---


def library_list(fixtures, path="/library"):
    """`path` once the organisation has a published entry (shown as a card) and a draft
    (never listed): every role gets the same public page."""
    from tests.library.factories import make_practice

    partner = fixtures["members"]["partner"]
    make_practice(fixtures["organisation"], author=partner, title="A listed guide")
    make_practice(fixtures["organisation"], author=partner, title="A draft guide", status="draft")
    return path


# Library publishing and the practice page ---


def library_entry(path: str = "", status: str = "published", own: bool = True, state=None):
    """The address `path` under an entry of the test organisation (or, own=False, of
    another one), left in `status`; state="featured" features it first."""

    def build(fixtures) -> str:
        from tests.factories import make_member, make_organisation
        from tests.library.factories import make_practice
        from wwc_community.accounts.models import Role
        from wwc_community.library import services

        organisation = fixtures["organisation"] if own else make_organisation("Other Lab")
        practice = make_practice(organisation, title="A matrix practice entry", status=status)
        if state == "featured":
            services.set_featured(db.session, make_member(Role.COORDINATOR), practice, True)
            db.session.commit()
        return f"/library/{practice.slug}{path}"

    return build


PARTNERS = {**MEMBERS, "practitioner": "forbidden"}
# Drafts and unpublished entries: 404 to all but the organisation's partners and staff.
STAFF_ONLY_404 = {**everyone(404), "partner": "ok", "coordinator": "ok", "admin": "ok"}
# Another organisation's draft: the test partner does not see it either.
OTHER_DRAFT_404 = {**STAFF_ONLY_404, "partner": 404}
# Changing an entry: members who may see it but not manage it are refused.
MANAGERS = {**PARTNERS}
MANAGERS_DRAFT = {**PARTNERS, "practitioner": 404}
FEATURERS = {**COORDINATORS}


# Library: what members do with entries ---

# A button on an entry a member may see: done (303) for members; refusals such as "only
# published entries can be saved" are flashed on the way back, so they end in 303 too.
MEMBER_BUTTON = action(MEMBERS)
# A draft of the test organisation: not found to members who may not see it.
MEMBER_BUTTON_DRAFT = {**MEMBER_BUTTON, "practitioner": 404}
# The practitioner works for the test city; partners, coordinators and admins name no
# city, so the adaptation form is shown again telling them why (400, nothing saved).
ADAPTERS = {**MEMBER_BUTTON, "partner": 400, "coordinator": 400, "admin": 400}


def asking_about_entry(fixtures) -> str:
    """The question form about a published entry."""
    slug = library_entry()(fixtures).removeprefix("/library/")
    return f"/discussions/new?practice={slug}"


# Library attachments ---


def entry_file(path: str = "", status: str = "published", own: bool = True):
    """The address of a PDF attached to an entry of the test organisation (or, own=False,
    of another one) left in `status`, followed by `path` (nothing: the download)."""

    def build(fixtures) -> str:
        from tests.factories import make_member, make_organisation
        from tests.fixtures.library.samples import pdf_with_text
        from tests.library.factories import make_practice
        from wwc_community.accounts.models import Role
        from wwc_community.library import attachments

        organisation = fixtures["organisation"] if own else make_organisation("Other Lab")
        practice = make_practice(organisation, title="An entry with a file", status=status)
        attachment = attachments.attach_file(
            db.session,
            make_member(Role.COORDINATOR),
            practice,
            "guide.pdf",
            pdf_with_text("A guide to open data"),
        )
        db.session.commit()
        return f"/library/{practice.slug}/attachments/{attachment.id}{path or '/guide.pdf'}"

    return build


# Another organisation's entry: its files are not the test partner's to change.
OTHER_MANAGERS = {**action(MANAGERS), "partner": "forbidden"}


# (endpoint, method, path builder, form data, outcomes by role)
MATRIX = [
    ("core.home", "GET", lambda f: "/", None, PUBLIC),
    ("core.about", "GET", lambda f: "/about", None, PUBLIC),
    ("core.healthz", "GET", lambda f: "/healthz", None, PUBLIC),
    ("core.audit_trail", "GET", lambda f: "/admin/audit", None, ADMINS),
    ("static", "GET", lambda f: "/static/css/site.css", None, PUBLIC),
    ("accounts.register", "GET", lambda f: "/auth/register", None, VISITORS_ONLY),
    # An empty form is re-rendered with its errors (400): past authorization, nothing saved.
    (
        "accounts.register",
        "POST",
        lambda f: "/auth/register",
        {},
        {**VISITORS_ONLY, "visitor": 400, "suspended": 400},
    ),
    ("accounts.check_email", "GET", lambda f: "/auth/check-email", None, PUBLIC),
    ("accounts.verify_email", "GET", lambda f: "/auth/verify/not-a-token", None, everyone(400)),
    (
        "accounts.resend_verification",
        "POST",
        lambda f: "/auth/verify/resend",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(
                ["pending", "practitioner", "partner", "coordinator", "admin"], "status"
            ),
        },
    ),
    (
        "accounts.status",
        "GET",
        lambda f: "/account/status",
        None,
        {**SIGNED_IN, **dict.fromkeys(["practitioner", "partner", "coordinator", "admin"], "home")},
    ),
    ("accounts.login", "GET", lambda f: "/auth/login", None, VISITORS_ONLY),
    (
        "accounts.login",
        "POST",
        lambda f: "/auth/login",
        {},
        {**VISITORS_ONLY, "visitor": 400, "suspended": 400},
    ),
    (
        "accounts.logout",
        "POST",
        lambda f: "/auth/logout",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(["pending", "practitioner", "partner", "coordinator", "admin"], "home"),
        },
    ),
    ("accounts.request_reset", "GET", lambda f: "/auth/reset", None, PUBLIC),
    ("accounts.request_reset", "POST", lambda f: "/auth/reset", {}, everyone(400)),
    ("accounts.reset_password", "GET", lambda f: f"/auth/reset/{reset_token(f)}", None, PUBLIC),
    (
        "accounts.reset_password",
        "POST",
        lambda f: f"/auth/reset/{reset_token(f)}",
        {},
        everyone(400),
    ),
    ("accounts.change_password", "GET", lambda f: "/settings/password", None, SIGNED_IN),
    (
        "accounts.change_password",
        "POST",
        lambda f: "/settings/password",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(["pending", "practitioner", "partner", "coordinator", "admin"], 400),
        },
    ),
    ("accounts.account_settings", "GET", lambda f: "/settings/account", None, SIGNED_IN),
    (
        "accounts.change_email",
        "POST",
        lambda f: "/settings/account/email",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(["pending", "practitioner", "partner", "coordinator", "admin"], 400),
        },
    ),
    (
        "accounts.cancel_email_change",
        "POST",
        lambda f: "/settings/account/email/cancel",
        {},
        action(SIGNED_IN),
    ),
    (
        "accounts.confirm_email_change",
        "GET",
        lambda f: "/auth/email/not-a-token",
        None,
        everyone(400),
    ),
    (
        "accounts.change_notifications",
        "POST",
        lambda f: "/settings/account/notifications",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(["pending", "practitioner", "partner", "coordinator", "admin"], 400),
        },
    ),
    (
        "accounts.change_time_zone",
        "POST",
        lambda f: "/settings/account/time-zone",
        {"time_zone": "America/Chicago"},
        action(SIGNED_IN),
    ),
    (
        "accounts.delete_account",
        "POST",
        lambda f: "/settings/account/delete",
        {},
        {
            **SIGNED_IN,
            **dict.fromkeys(["pending", "practitioner", "partner", "coordinator", "admin"], 400),
        },
    ),
    ("accounts.admin_members", "GET", lambda f: "/admin/members", None, COORDINATORS),
    ("accounts.export_members", "GET", lambda f: "/admin/members/export.csv", None, COORDINATORS),
    ("accounts.admin_member", "GET", lambda f: f"/admin/members/{target(f)}", None, COORDINATORS),
    (
        "accounts.approve_member",
        "POST",
        lambda f: f"/admin/members/{target(f)}/approve",
        {},
        action(COORDINATORS),
    ),
    (
        "accounts.decline_member",
        "POST",
        lambda f: f"/admin/members/{target(f)}/decline",
        {"reason": ""},
        action(COORDINATORS),
    ),
    (
        "accounts.suspend_member",
        "POST",
        lambda f: f"/admin/members/{target(f, 'practitioner')}/suspend",
        {"reason": ""},
        {**action(COORDINATORS), "practitioner": "forbidden"},
    ),
    (
        "accounts.reinstate_member",
        "POST",
        lambda f: f"/admin/members/{target(f, 'suspended')}/reinstate",
        {},
        action(COORDINATORS),
    ),
    (
        "accounts.assign_role",
        "POST",
        lambda f: f"/admin/members/{target(f, 'practitioner')}/role",
        {"role": "partner"},
        {**action(ADMINS), "practitioner": "forbidden"},
    ),
    ("directory.cities", "GET", lambda f: "/cities", None, PUBLIC),
    ("directory.suggest_cities", "GET", lambda f: "/cities/suggest?q=spr", None, PUBLIC),
    ("directory.city", "GET", lambda f: f"/cities/{f['city'].slug}", None, PUBLIC),
    ("directory.organisation", "GET", lambda f: f"/orgs/{f['organisation'].slug}", None, PUBLIC),
    ("directory.topic", "GET", lambda f: new_topic(f).replace("/admin", ""), None, PUBLIC),
    ("directory.people", "GET", lambda f: "/people", None, MEMBERS),
    ("directory.profile", "GET", profile_page, None, MEMBERS),
    ("directory.edit_profile", "GET", lambda f: "/settings/profile", None, MEMBERS),
    (
        "directory.edit_profile",
        "POST",
        lambda f: "/settings/profile",
        {},
        {**MEMBERS, **dict.fromkeys(["practitioner", "partner", "coordinator", "admin"], 400)},
    ),
    ("directory.admin_organisations", "GET", lambda f: "/admin/organisations", None, COORDINATORS),
    (
        "directory.admin_new_organisation",
        "GET",
        lambda f: "/admin/organisations/new",
        None,
        COORDINATORS,
    ),
    (
        "directory.admin_new_organisation",
        "POST",
        lambda f: "/admin/organisations/new",
        {"name": "Open Procurement Lab"},
        action(COORDINATORS),
    ),
    ("directory.admin_organisation", "GET", organisation_page, None, COORDINATORS),
    (
        "directory.admin_organisation",
        "POST",
        organisation_page,
        {"name": "Civic Evidence Lab", "website": "https://evidence.example.org"},
        action(COORDINATORS),
    ),
    (
        "directory.admin_link_organisation_domain",
        "POST",
        lambda f: organisation_page(f) + "/domains",
        {"domain": "evidence.example.org"},
        action(COORDINATORS),
    ),
    ("directory.admin_topics", "GET", lambda f: "/admin/topics", None, COORDINATORS),
    ("directory.admin_new_topic", "GET", lambda f: "/admin/topics/new", None, COORDINATORS),
    (
        "directory.admin_new_topic",
        "POST",
        lambda f: "/admin/topics/new",
        {"name": "Open Data"},
        action(COORDINATORS),
    ),
    ("directory.admin_topic", "GET", new_topic, None, COORDINATORS),
    (
        "directory.admin_topic",
        "POST",
        new_topic,
        {"name": "Renamed Topic"},
        action(COORDINATORS),
    ),
    ("directory.admin_domains", "GET", lambda f: "/admin/domains", None, COORDINATORS),
    (
        "directory.admin_domains",
        "POST",
        lambda f: "/admin/domains",
        {"domain": "springfield.example.gov", "owner": "city", "city": "Springfield, IL"},
        action(COORDINATORS),
    ),
    (
        "directory.admin_unlink_domain",
        "POST",
        lambda f: f"/admin/domains/{linked_domain(f)}/unlink",
        {},
        action(COORDINATORS),
    ),
    (
        "directory.admin_city_certification",
        "GET",
        lambda f: f"/admin/cities/{f['city'].slug}/certification",
        None,
        ADMINS,
    ),
    (
        "directory.admin_city_certification",
        "POST",
        lambda f: f"/admin/cities/{f['city'].slug}/certification",
        {"level": "gold", "year": "2023"},
        action(ADMINS),
    ),
    ("discussions.threads", "GET", lambda f: "/discussions", None, MEMBERS),
    ("discussions.ask", "GET", lambda f: "/discussions/new", None, MEMBERS),
    # An empty question is shown again with its errors (400): nothing saved.
    (
        "discussions.ask",
        "POST",
        lambda f: "/discussions/new",
        {},
        {**MEMBERS, **dict.fromkeys(["practitioner", "partner", "coordinator", "admin"], 400)},
    ),
    # Similar questions while asking: the script's HTML piece, and the button without it
    # (the form shown again with the list, nothing saved).
    ("discussions.similar", "GET", lambda f: "/discussions/similar?title=open+data", None, MEMBERS),
    (
        "discussions.ask",
        "GET",
        lambda f: "/discussions/new?title=How+do+you+publish+open+data",
        None,
        MEMBERS,
    ),
    (
        "discussions.ask",
        "POST",
        lambda f: "/discussions/new",
        {"title": "How do you publish open data?", "check_similar": "1"},
        MEMBERS,
    ),
    ("discussions.thread", "GET", thread_page, None, MEMBERS),
    (
        "discussions.answer",
        "POST",
        lambda f: thread_page(f).split("-")[0] + "/answers",
        {"body": "We used a public dashboard."},
        action(MEMBERS),
    ),
    ("discussions.vote", "POST", lambda f: answer_of(f, "vote"), {}, action(MEMBERS)),
    # Only the asker or a coordinator accepts an answer.
    (
        "discussions.accept",
        "POST",
        lambda f: answer_of(f, "accept"),
        {},
        action(COORDINATORS),
    ),
    (
        "discussions.delete",
        "POST",
        own_answer,
        {},
        {**action(MEMBERS), **dict.fromkeys(["partner", "coordinator", "admin"], "forbidden")},
    ),
    # The thread page: permalinks, comments, editing one's own words and the history of
    # every version, following threads and topics.
    ("discussions.permalink", "GET", practitioners_post("answer"), None, action(MEMBERS, 302)),
    (
        "discussions.comment",
        "POST",
        lambda f: answer_of(f, "comments"),
        {"body": "Which tool did you use?"},
        action(MEMBERS),
    ),
    ("discussions.edit_question", "GET", practitioners_post("question", "edit"), None, OWN_WORDS),
    (
        "discussions.edit_question",
        "POST",
        practitioners_post("question", "edit"),
        {"title": "How do you publish open budget data?", "body": "Changed."},
        OWN_WORDS_DONE,
    ),
    ("discussions.edit_post", "GET", practitioners_post("answer", "edit"), None, OWN_WORDS),
    (
        "discussions.edit_post",
        "POST",
        practitioners_post("comment", "edit"),
        {"body": "Which tool, and which version?"},
        OWN_WORDS_DONE,
    ),
    (
        "discussions.question_history",
        "GET",
        practitioners_post("question", "history"),
        None,
        MEMBERS,
    ),
    ("discussions.post_history", "GET", practitioners_post("answer", "history"), None, MEMBERS),
    (
        "discussions.follow_thread",
        "POST",
        lambda f: thread_page(f).split("-")[0] + "/follow",
        {},
        action(MEMBERS),
    ),
    (
        "discussions.unfollow_thread",
        "POST",
        lambda f: thread_page(f).split("-")[0] + "/unfollow",
        {},
        action(MEMBERS),
    ),
    ("discussions.follow_topic", "POST", topic_follow("follow"), {}, action(MEMBERS)),
    ("discussions.unfollow_topic", "POST", topic_follow("unfollow"), {}, action(MEMBERS)),
    # Notifications: the list, opening an item (its owner only; anyone else's is unknown),
    # marking all read, and the e-mail's unsubscribe link (no sign-in: the token is proof).
    ("notifications.index", "GET", lambda f: "/notifications", None, MEMBERS),
    (
        "notifications.open_notification",
        "GET",
        practitioners_notification,
        None,
        {
            **MEMBERS,
            "practitioner": "done",
            **dict.fromkeys(["partner", "coordinator", "admin"], 404),
        },
    ),
    ("notifications.mark_all_read", "POST", lambda f: "/notifications/read", {}, action(MEMBERS)),
    ("notifications.unsubscribe", "GET", unsubscribe_link, None, PUBLIC),
    ("notifications.unsubscribe", "POST", unsubscribe_link, {}, PUBLIC),
    # Moderation: any member flags (not their own writing); coordinators work the flag
    # queue, hide and restore posts, lock, pin, move and close threads, and read the log.
    # Empty close and move forms are shown again with their errors (400): nothing saved.
    ("discussions.flag_thread", "GET", moderated_thread("flag"), None, MEMBERS),
    (
        "discussions.flag_thread",
        "POST",
        moderated_thread("flag"),
        {"reason": "off_topic"},
        action(MEMBERS),
    ),
    ("discussions.flag_post", "GET", moderated_answer("flag"), None, MEMBERS),
    (
        "discussions.flag_post",
        "POST",
        moderated_answer("flag"),
        {"reason": "spam"},
        action(MEMBERS),
    ),
    ("discussions.flags", "GET", lambda f: "/discussions/flags", None, COORDINATORS),
    (
        "discussions.flags",
        "GET",
        lambda f: "/discussions/flags?show=resolved",
        None,
        COORDINATORS,
    ),
    (
        "discussions.dismiss_flags",
        "POST",
        moderated_answer("dismiss", "flagged"),
        {},
        action(COORDINATORS),
    ),
    ("discussions.hide_post", "GET", moderated_answer("hide"), None, COORDINATORS),
    (
        "discussions.hide_post",
        "POST",
        moderated_answer("hide"),
        {"reason": "Advertising."},
        action(COORDINATORS),
    ),
    ("discussions.restore_post", "GET", moderated_answer("restore", "hidden"), None, COORDINATORS),
    (
        "discussions.restore_post",
        "POST",
        moderated_answer("restore", "hidden"),
        {"reason": "A real answer."},
        action(COORDINATORS),
    ),
    ("discussions.lock_thread", "GET", moderated_thread("lock"), None, COORDINATORS),
    (
        "discussions.lock_thread",
        "POST",
        moderated_thread("lock"),
        {"reason": "Settled."},
        action(COORDINATORS),
    ),
    (
        "discussions.unlock_thread",
        "POST",
        moderated_thread("unlock", "locked"),
        {},
        action(COORDINATORS),
    ),
    ("discussions.pin_thread", "POST", moderated_thread("pin"), {}, action(COORDINATORS)),
    (
        "discussions.unpin_thread",
        "POST",
        moderated_thread("unpin", "pinned"),
        {},
        action(COORDINATORS),
    ),
    ("discussions.move_topics", "GET", moderated_thread("topics"), None, COORDINATORS),
    (
        "discussions.move_topics",
        "POST",
        moderated_thread("topics"),
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    ("discussions.close_duplicate", "GET", moderated_thread("close"), None, COORDINATORS),
    (
        "discussions.close_duplicate",
        "POST",
        moderated_thread("close"),
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    (
        "discussions.reopen_thread",
        "POST",
        moderated_thread("reopen", "closed"),
        {},
        action(COORDINATORS),
    ),
    (
        "discussions.moderation_log",
        "GET",
        lambda f: "/discussions/moderation-log",
        None,
        COORDINATORS,
    ),
    # Library publishing and the practice page.
    ("library.new_practice", "GET", lambda f: "/library/new", None, PARTNERS),
    (
        "library.new_practice",
        "POST",
        lambda f: "/library/new",
        {},
        {**PARTNERS, "partner": 400, "coordinator": 400, "admin": 400},
    ),
    ("library.manage", "GET", lambda f: "/library/manage", None, PARTNERS),
    ("library.practice", "GET", library_entry(), None, PUBLIC),
    ("library.practice", "GET", library_entry(status="draft"), None, STAFF_ONLY_404),
    ("library.practice", "GET", library_entry(status="unpublished"), None, STAFF_ONLY_404),
    ("library.practice", "GET", library_entry(status="draft", own=False), None, OTHER_DRAFT_404),
    ("library.versions", "GET", library_entry("/versions"), None, PUBLIC),
    (
        "library.versions",
        "GET",
        library_entry("/versions", status="unpublished"),
        None,
        STAFF_ONLY_404,
    ),
    ("library.version", "GET", library_entry("/versions/1"), None, PUBLIC),
    (
        "library.version",
        "GET",
        library_entry("/versions/1", status="unpublished", own=False),
        None,
        OTHER_DRAFT_404,
    ),
    ("library.edit_practice", "GET", library_entry("/edit"), None, MANAGERS),
    (
        "library.edit_practice",
        "GET",
        library_entry("/edit", own=False),
        None,
        {**MANAGERS, "partner": "forbidden"},
    ),
    ("library.edit_practice", "GET", library_entry("/edit", status="draft"), None, MANAGERS_DRAFT),
    (
        "library.edit_practice",
        "GET",
        library_entry("/edit", status="draft", own=False),
        None,
        {**MANAGERS_DRAFT, "partner": 404},
    ),
    (
        "library.edit_practice",
        "POST",
        library_entry("/edit"),
        {},
        {**MANAGERS, "partner": 400, "coordinator": 400, "admin": 400},
    ),
    (
        "library.publish_practice",
        "POST",
        library_entry("/publish", status="draft"),
        {},
        action(MANAGERS_DRAFT),
    ),
    (
        "library.publish_practice",
        "POST",
        library_entry("/publish", status="draft", own=False),
        {},
        {**action(MANAGERS_DRAFT), "partner": 404},
    ),
    ("library.unpublish_practice", "POST", library_entry("/unpublish"), {}, action(MANAGERS)),
    (
        "library.unpublish_practice",
        "POST",
        library_entry("/unpublish", own=False),
        {},
        {**action(MANAGERS), "partner": "forbidden"},
    ),
    ("library.feature_practice", "POST", library_entry("/feature"), {}, action(FEATURERS)),
    (
        "library.unfeature_practice",
        "POST",
        library_entry("/unfeature", state="featured"),
        {},
        action(FEATURERS),
    ),
    # Library list and feed: public, the same for every role.
    ("library.practices", "GET", library_list, None, PUBLIC),
    (
        "library.practices",
        "GET",
        lambda f: library_list(f, "/library?topic=none&band=100k-250k&sort=helpful&page=2"),
        None,
        PUBLIC,
    ),
    ("library.feed", "GET", lambda f: library_list(f, "/library/feed.atom"), None, PUBLIC),
    # Search: public; each viewer gets the results they may see (tests/search).
    ("search.search", "GET", lambda f: "/search", None, PUBLIC),
    (
        "search.search",
        "GET",
        lambda f: '/search?q="open+data+-budget&kind=practice&sort=newest&page=2',
        None,
        PUBLIC,
    ),
    # Library: what members do with entries (saved, helpful, adaptations, questions).
    ("library.saved_entries", "GET", lambda f: "/library/saved", None, MEMBERS),
    ("library.save_entry", "POST", library_entry("/save"), {}, MEMBER_BUTTON),
    ("library.save_entry", "POST", library_entry("/save", status="draft"), {}, MEMBER_BUTTON_DRAFT),
    (
        "library.save_entry",
        "POST",
        library_entry("/save", status="draft", own=False),
        {},
        {**MEMBER_BUTTON_DRAFT, "partner": 404},
    ),
    ("library.unsave_entry", "POST", library_entry("/unsave"), {}, MEMBER_BUTTON),
    ("library.mark_helpful", "POST", library_entry("/helpful"), {}, MEMBER_BUTTON),
    (
        "library.mark_helpful",
        "POST",
        library_entry("/helpful", status="unpublished"),
        {},
        MEMBER_BUTTON_DRAFT,
    ),
    ("library.take_back_helpful", "POST", library_entry("/helpful/remove"), {}, MEMBER_BUTTON),
    ("library.record_adaptation", "GET", library_entry("/adapt"), None, MEMBERS),
    (
        "library.record_adaptation",
        "GET",
        library_entry("/adapt", status="draft"),
        None,
        {**MEMBERS, "practitioner": 404, "partner": 409, "coordinator": 409, "admin": 409},
    ),
    (
        "library.record_adaptation",
        "POST",
        library_entry("/adapt"),
        {"status": "piloting", "changes": "We tried it in two wards."},
        ADAPTERS,
    ),
    ("library.adaptation_log", "GET", library_entry("/adaptations"), None, PUBLIC),
    (
        "library.adaptation_log",
        "GET",
        library_entry("/adaptations", status="draft"),
        None,
        STAFF_ONLY_404,
    ),
    ("discussions.ask", "GET", asking_about_entry, None, MEMBERS),
    # Library attachments: the entry's managers upload (a form without a file is flashed
    # back, 303, nothing saved) and remove; whoever may see the entry downloads; a
    # draft's files are not found by anyone else.
    ("library.upload_attachment", "POST", library_entry("/attachments"), {}, action(MANAGERS)),
    (
        "library.upload_attachment",
        "POST",
        library_entry("/attachments", status="draft"),
        {},
        {**action(MANAGERS), "practitioner": 404},
    ),
    (
        "library.upload_attachment",
        "POST",
        library_entry("/attachments", own=False),
        {},
        OTHER_MANAGERS,
    ),
    ("library.remove_attachment", "POST", entry_file("/delete"), {}, action(MANAGERS)),
    ("library.remove_attachment", "POST", entry_file("/delete", own=False), {}, OTHER_MANAGERS),
    ("library.download_attachment", "GET", entry_file(), None, PUBLIC),
    ("library.download_attachment", "GET", entry_file(status="draft"), None, STAFF_ONLY_404),
    (
        "library.download_attachment",
        "GET",
        entry_file(status="draft", own=False),
        None,
        OTHER_DRAFT_404,
    ),
    # Events: the list and the pages for whoever may see them; registering and
    # cancelling for members (a cancel without a registration is flashed back).
    ("events.events", "GET", lambda f: "/events", None, PUBLIC),
    (
        "events.events",
        "GET",
        lambda f: "/events?when=past&topic=none&type=webinar&format=online&page=2",
        None,
        PUBLIC,
    ),
    ("events.event", "GET", event_page(), None, PUBLIC),
    ("events.event", "GET", event_page(is_public=False), None, EVENT_MEMBERS_ONLY),
    ("events.event", "GET", event_page(status="draft"), None, EVENT_DRAFT),
    ("events.register", "POST", event_page("/register"), {}, action(MEMBERS)),
    (
        "events.register",
        "POST",
        event_page("/register", status="draft"),
        {},
        # Coordinators see the draft; registering is refused with the page's message.
        {**action(MEMBERS), "practitioner": 404, "partner": 404, "coordinator": 400, "admin": 400},
    ),
    ("events.cancel", "POST", event_page("/cancel"), {}, action(MEMBERS)),
    # events: coordinators. Creating, editing, publishing, postponing, cancelling and
    # duplicating events; an empty form is refused with its errors (400).
    ("events.new_event", "GET", lambda f: "/events/new", None, COORDINATORS),
    (
        "events.new_event",
        "POST",
        lambda f: "/events/new",
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    ("events.edit_event", "GET", event_page("/edit"), None, COORDINATORS),
    (
        "events.edit_event",
        "POST",
        event_page("/edit"),
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    (
        "events.publish_event",
        "POST",
        event_page("/publish", status="draft"),
        {},
        action(COORDINATORS),
    ),
    ("events.postpone_event", "GET", event_page("/postpone"), None, COORDINATORS),
    (
        "events.postpone_event",
        "POST",
        event_page("/postpone"),
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    ("events.cancel_event", "GET", event_page("/cancel-event"), None, COORDINATORS),
    (
        "events.cancel_event",
        "POST",
        event_page("/cancel-event"),
        {},
        {**COORDINATORS, "coordinator": 400, "admin": 400},
    ),
    ("events.duplicate_event", "POST", event_page("/duplicate"), {}, action(COORDINATORS)),
    # events: registrants. Coordinators only: the lists with answers, the CSV export,
    # e-mail to registrants (an empty message is refused), and check-in at the door.
    ("events.registrants", "GET", event_page("/registrants"), None, COORDINATORS),
    (
        "events.registrants",
        "GET",
        event_page("/registrants", is_public=False, status="draft"),
        None,
        COORDINATORS,
    ),
    ("events.registrants_csv", "GET", event_page("/registrants.csv"), None, COORDINATORS),
    ("events.email_registrants", "GET", event_page("/email"), None, COORDINATORS),
    (
        "events.email_registrants",
        "POST",
        event_page("/email"),
        {"subject": "Room change", "body": "We moved to room 4."},
        action(COORDINATORS),
    ),
    (
        "events.email_registrants",
        "POST",
        event_page("/email"),
        {},
        action(COORDINATORS, 400),
    ),
    ("events.check_in", "GET", event_page("/check-in"), None, COORDINATORS),
    ("events.mark_attendance", "POST", event_check_in, {"attended": "1"}, action(COORDINATORS)),
    # events: calendars. An event's .ics for whoever may see the event (cancelled ones
    # too); a feed for whoever holds its address (the token is the proof), a bad address
    # is not found; resetting the address is for members.
    ("event_calendars.event_ics", "GET", event_page(".ics"), None, PUBLIC),
    (
        "event_calendars.event_ics",
        "GET",
        event_page(".ics", is_public=False),
        None,
        EVENT_MEMBERS_ONLY,
    ),
    ("event_calendars.event_ics", "GET", event_page(".ics", status="draft"), None, EVENT_DRAFT),
    ("event_calendars.event_ics", "GET", event_page(".ics", status="cancelled"), None, PUBLIC),
    ("event_calendars.feed", "GET", practitioners_calendar_feed, None, PUBLIC),
    (
        "event_calendars.feed",
        "GET",
        lambda f: "/calendar/1.not-a-signature.ics",
        None,
        everyone(404),
    ),
    (
        "event_calendars.reset_calendar_address",
        "POST",
        lambda f: "/account/calendar/reset",
        {},
        action(MEMBERS),
    ),
    *CERTIFICATION_MATRIX,
]

ROWS = [pytest.param(row, role, id=f"{row[0]}-{row[1]}-{role}") for row in MATRIX for role in ROLES]


def test_every_route_is_in_the_matrix(app):
    covered = {(endpoint, method) for endpoint, method, *_ in MATRIX}
    missing = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if (rule.endpoint, method) not in covered:
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert not missing, "Routes missing from the authorization matrix:\n" + "\n".join(missing)


def _outcome(response) -> str | int:
    location = response.headers.get("Location", "")
    if response.status_code == 200:
        return "ok"
    if response.status_code == 403:
        return "forbidden"
    if response.status_code == 302 and "/auth/login" in location:
        return "login"
    if response.status_code == 302 and "/account/status" in location:
        return "status"
    if response.status_code == 302 and urlsplit(location).path == "/":
        return "home"
    if response.status_code == 303:
        return "done"
    return response.status_code


@pytest.mark.parametrize(("row", "role"), ROWS)
def test_route_answers_each_role_as_the_matrix_says(
    app, client, members, city, organisation, sign_in_as, row, role
):
    endpoint, method, path, data, outcomes = row
    fixtures = {"members": members, "city": city, "organisation": organisation}
    sign_in_as(role)
    url = path(fixtures)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.open(
            url, method=method, data={"csrf_token": csrf_token(client), **(data or {})}
        )
    response.close()  # static files are streamed from an open file
    assert _outcome(response) == outcomes[role], (
        f"{method} {url} as {role}: {response.status_code} {response.headers.get('Location')}"
    )
