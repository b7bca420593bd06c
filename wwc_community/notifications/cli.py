"""`flask notifications …`: the daily digest, run by cron."""

import click
from flask import current_app

from wwc_community.core.errors import Conflict
from wwc_community.extensions import db
from wwc_community.notifications.services import (
    members_due_a_digest,
    send_digest,
    settle_unwanted_email,
)

notifications_cli = click.Group("notifications", help="Notification e-mail.")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@notifications_cli.command("send-digests")
def send_digests():
    """E-mail each member who wants a digest one message with what has not gone out yet.

    Safe to run again at any time: each member's digest is its own unit of work (claimed
    and committed on its own), so an item is never sent twice, and a failure for one
    member leaves the others sent and that member's items for the next run.
    """
    settled = settle_unwanted_email(db.session)
    db.session.commit()
    digests = notifications = failed = 0
    for member_id in members_due_a_digest(db.session):
        try:
            count = send_digest(db.session, member_id)
            db.session.commit()
        except Conflict:
            # Another run sent these items a moment ago.
            db.session.rollback()
            continue
        except Exception:
            db.session.rollback()
            current_app.logger.exception("Could not send the digest of member %s", member_id)
            failed += 1
            continue
        if count:
            digests += 1
            notifications += count
    click.echo(
        f"Sent {_plural(digests, 'digest')} covering {_plural(notifications, 'notification')}."
    )
    if settled:
        click.echo(f"Left out {_plural(settled, 'notification')} of members who want no e-mail.")
    if failed:
        raise click.ClickException(
            f"{_plural(failed, 'digest')} could not be sent (see the log); "
            "the next run tries them again."
        )
