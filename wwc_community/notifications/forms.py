"""Forms for notifications: the "Mark all as read" button."""

from flask_wtf import FlaskForm


class MarkAllReadForm(FlaskForm):
    """The button that marks every notification read: only the CSRF token."""
