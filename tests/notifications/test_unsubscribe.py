"""One-click unsubscribe: the link and headers in every notification e-mail."""

from itsdangerous import URLSafeSerializer

from tests.conftest import outbox
from tests.notifications.conftest import make_notifications
from wwc_community.accounts.models import EmailFrequency
from wwc_community.extensions import db
from wwc_community.notifications.services import unsubscribe_token

ONE_CLICK = "List-Unsubscribe=One-Click"


def unsubscribe_url(message) -> str:
    """The URL of the message's List-Unsubscribe header."""
    header = message["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">"), header
    return header[1:-1]


def path_of(url: str) -> str:
    return url.removeprefix("http://127.0.0.1:5000")


def test_every_notification_mail_carries_the_one_click_headers_and_link(app, runner, make_reader):
    eager = make_reader(EmailFrequency.IMMEDIATELY)
    daily = make_reader(EmailFrequency.DAILY)
    make_notifications(eager, 1)
    make_notifications(daily, 2)
    assert runner.invoke(args=["notifications", "send-digests"]).exit_code == 0

    immediate, digest = outbox(app)
    for message in (immediate, digest):
        url = unsubscribe_url(message)
        assert url.startswith("http://127.0.0.1:5000/notifications/unsubscribe/")
        assert message["List-Unsubscribe-Post"] == ONE_CLICK
        assert url in message.get_content()
    # Each member's link is their own.
    assert unsubscribe_url(immediate) != unsubscribe_url(digest)


def test_the_link_shows_one_button_and_changes_nothing_by_itself(app, client, make_reader):
    member = make_reader(EmailFrequency.IMMEDIATELY, display_name="Ivy Immediate")
    make_notifications(member, 1)
    path = path_of(unsubscribe_url(outbox(app)[0]))

    page = client.get(path).get_data(as_text=True)

    assert "<h1>Stop notification e-mails</h1>" in page
    assert '<button type="submit">Stop these e-mails</button>' in page
    assert "Ivy Immediate" in page
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.IMMEDIATELY


def test_the_button_works_without_signing_in_or_a_form_token(app, client, make_reader):
    member = make_reader(EmailFrequency.IMMEDIATELY)
    make_notifications(member, 1)
    path = path_of(unsubscribe_url(outbox(app)[0]))

    response = client.post(path)

    assert response.status_code == 200
    assert "You will get no more e-mail about activity." in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.NEVER
    # Nothing more is mailed, at once or in a digest.
    make_notifications(member, 1)
    assert len(outbox(app)) == 1
    # The page now says e-mail is already off.
    assert "already off" in client.get(path).get_data(as_text=True)


def test_a_mail_client_can_unsubscribe_in_one_click(app, client, runner, make_reader):
    member = make_reader(EmailFrequency.DAILY)
    make_notifications(member, 1)
    runner.invoke(args=["notifications", "send-digests"])
    path = path_of(unsubscribe_url(outbox(app)[0]))

    response = client.post(path, data=ONE_CLICK, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.NEVER


def test_a_forged_or_broken_token_is_refused_with_a_clear_page(app, client, make_reader):
    member = make_reader()
    good = unsubscribe_token(member.id, member.email)
    other_key = URLSafeSerializer("not the secret key", salt="notifications.unsubscribe")
    wrong_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="something else")
    forged = [
        other_key.dumps(["email-notifications", member.id, good.split(".")[0]]),
        wrong_salt.dumps(["email-notifications", member.id, "x"]),
        good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        "not-a-token",
        URLSafeSerializer(app.config["SECRET_KEY"], salt="notifications.unsubscribe").dumps(
            {"member": member.id}
        ),
    ]
    for token in forged:
        for method in ("GET", "POST"):
            response = client.open(f"/notifications/unsubscribe/{token}", method=method)
            assert response.status_code == 404, (token, method)
            assert "This link does not work" in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.DAILY


def test_a_link_stops_working_when_the_address_changes(app, client, make_reader):
    member = make_reader()
    token = unsubscribe_token(member.id, member.email)
    member.email = "new-address@example.gov"
    db.session.commit()
    assert client.post(f"/notifications/unsubscribe/{token}").status_code == 404
    db.session.refresh(member)
    assert member.email_notifications == EmailFrequency.DAILY
