"""Forms for sign-up, sign-in, passwords and member administration."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional

from wwc_community.accounts.models import EmailFrequency, Role

EMAIL_FIELD = dict(
    validators=[
        DataRequired("Enter your e-mail address."),
        Length(max=254, message="Use at most 254 characters."),
        Email("Enter an e-mail address like name@city.gov.", check_deliverability=False),
    ]
)


def _new_password_field(label: str) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired("Choose a password."),
            Length(max=256, message="Use at most 256 characters."),
        ],
        description="At least 12 characters. A phrase of a few words is easy to remember.",
    )


class RegisterForm(FlaskForm):
    email = EmailField(
        "Work e-mail address",
        **EMAIL_FIELD,
        description="Use your work address: a city or partner address can be approved at once.",
    )
    display_name = StringField(
        "Your name",
        validators=[
            DataRequired("Enter the name other members will see."),
            Length(max=80, message="Use at most 80 characters."),
        ],
    )
    password = _new_password_field("Password")
    job_title = StringField(
        "Job title",
        validators=[
            DataRequired("Enter your job title."),
            Length(max=120, message="Use at most 120 characters."),
        ],
    )
    affiliation = RadioField(
        "I work for",
        choices=[
            SelectChoice("city", "A city government"),
            SelectChoice("organisation", "A partner organisation"),
        ],
        default="city",
        validators=[InputRequired("Choose a city or a partner organisation.")],
    )
    city = StringField(
        "City",
        validators=[
            Optional(),
            Length(max=140, message="Use at most 140 characters."),
        ],
        description="Start typing and choose your city, for example “Tulsa, OK”.",
    )
    organisation = SelectField(
        "Partner organisation", coerce=str, validate_choice=False, validators=[Optional()]
    )


class LoginForm(FlaskForm):
    email = EmailField("E-mail address", **EMAIL_FIELD)
    password = PasswordField(
        "Password",
        validators=[
            DataRequired("Enter your password."),
            Length(max=256, message="Use at most 256 characters."),
        ],
    )
    remember = BooleanField("Keep me signed in on this device")


class RequestResetForm(FlaskForm):
    email = EmailField("E-mail address", **EMAIL_FIELD)


class ResetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        "Current password",
        validators=[
            DataRequired("Enter your current password."),
            Length(max=256, message="Use at most 256 characters."),
        ],
    )
    password = _new_password_field("New password")
    confirm = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


class ActionForm(FlaskForm):
    """A button that changes state: only the CSRF token to validate."""


class DeclineForm(FlaskForm):
    reason = TextAreaField(
        "Reason (sent to the applicant)",
        validators=[
            Optional(),
            Length(max=1000, message="Use at most 1,000 characters."),
        ],
    )


class SuspendForm(FlaskForm):
    reason = TextAreaField(
        "Reason (kept in the audit trail)",
        validators=[
            Optional(),
            Length(max=1000, message="Use at most 1,000 characters."),
        ],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validators=[InputRequired("Choose a role.")],
    )


# The account page shows several forms at once: their fields need ids of their own.
class ChangeEmailForm(FlaskForm):
    email = EmailField("New e-mail address", id="new-email", **EMAIL_FIELD)
    password = PasswordField(
        "Your password",
        id="change-email-password",
        validators=[
            DataRequired("Enter your password to confirm it is you."),
            Length(max=256, message="Use at most 256 characters."),
        ],
    )


class NotificationsForm(FlaskForm):
    email_notifications = RadioField(
        "E-mail me about activity I follow",
        choices=[SelectChoice(f.value, f.label) for f in EmailFrequency],
        validators=[InputRequired("Choose how often we may e-mail you.")],
    )


# Time zones a member picks from: the United States' first, then UTC.
TIME_ZONE_CHOICES = [
    ("", "Show events in their own time zone"),
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
    ("UTC", "UTC"),
]


class TimeZoneForm(FlaskForm):
    time_zone = SelectField(
        "Show event times in",
        choices=[SelectChoice(value, label) for value, label in TIME_ZONE_CHOICES],
        validate_choice=True,
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        id="delete-password",
        validators=[
            DataRequired("Enter your password to confirm it is you."),
            Length(max=256, message="Use at most 256 characters."),
        ],
    )
    confirm = BooleanField(
        "I understand that my account and personal details are removed for good",
        id="delete-confirm",
        validators=[
            DataRequired("Tick the box to confirm you want to delete your account."),
        ],
    )
