"""`flask events …`: the reminders before each event, run by cron."""

import click
from flask import current_app

from wwc_community.events.messages import Reminder, reminders_due, send_reminder
from wwc_community.extensions import db

events_cli = click.Group("events", help="Event reminders.")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


@events_cli.command("send-reminders")
def send_reminders():
    """E-mail confirmed registrants 24 hours and 1 hour before their event starts.

    Run it every few minutes. Safe to run again, or twice at once: each reminder is
    claimed and committed on its own, so none goes twice, and a failure for one leaves
    the others sent and that one for the next run.
    """
    sent = {reminder: 0 for reminder in Reminder}
    failed = 0
    for registration_id, reminder in reminders_due(db.session):
        try:
            if send_reminder(db.session, registration_id, reminder):
                sent[reminder] += 1
            db.session.commit()
        except Exception:
            db.session.rollback()
            current_app.logger.exception(
                "Could not send the %s reminder of registration %s", reminder, registration_id
            )
            failed += 1
    # The listing's transaction, when there was nothing to send.
    db.session.commit()
    click.echo(
        f"Sent {_plural(sum(sent.values()), 'reminder')}: "
        f"{sent[Reminder.DAY_BEFORE]} a day ahead, {sent[Reminder.HOUR_BEFORE]} an hour ahead."
    )
    if failed:
        raise click.ClickException(
            f"{_plural(failed, 'reminder')} could not be sent (see the log); "
            "the next run tries them again."
        )
