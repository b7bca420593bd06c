"""Forms for the directory: a member's profile, and the admin pages for organisations,
topics, e-mail domains and certification."""

import re

from flask_wtf import FlaskForm
from wtforms import (
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    ValidationError,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from wwc_community.directory.models import CertificationLevel
from wwc_community.directory.services import (
    BIO_MAX_LENGTH,
    DISPLAY_NAME_MAX_LENGTH,
    EXPERTISE_MAX,
    HANDLE_MAX_LENGTH,
    HANDLE_MIN_LENGTH,
    JOB_FIELD_MAX_LENGTH,
    handle_problem,
    normalise_handle,
)

DESCRIPTION_MAX = 2000
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _without_control_characters(value):
    """Drop characters nobody types on purpose (PostgreSQL refuses NUL in text)."""
    return _CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class DirectoryForm(FlaskForm):
    """A form whose text fields arrive without control characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = [*unbound_field.kwargs.get("filters", []), _without_control_characters]
            return unbound_field.bind(form=form, filters=filters, **options)


def _description_field(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=DESCRIPTION_MAX, message=f"Use at most {DESCRIPTION_MAX:,} characters."),
        ],
        description=description,
    )


def _domain_field() -> StringField:
    return StringField(
        "E-mail domain",
        validators=[
            DataRequired("Enter a domain, for example austintexas.gov."),
            Length(max=253, message="A domain has at most 253 characters."),
        ],
        description="The part after the @, for example austintexas.gov. Verified addresses "
        "on this domain and its subdomains are approved at once.",
    )


def _city_field() -> StringField:
    """A city typed as members know it; the view resolves it with find_city_by_label."""
    return StringField(
        "City",
        validators=[Optional(), Length(max=140, message="Use at most 140 characters.")],
        description="Name and state, for example “Austin, TX”.",
    )


def _organisation_field() -> SelectField:
    """A partner organisation by slug; the view fills in the choices and checks the answer."""
    return SelectField(
        "Partner organisation", coerce=str, validate_choice=False, validators=[Optional()]
    )


class OrganisationForm(DirectoryForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the organisation's name."),
            Length(max=160, message="Use at most 160 characters."),
        ],
    )
    website = URLField(
        "Website",
        validators=[
            Optional(),
            Length(max=300, message="Use at most 300 characters."),
            Regexp(
                r"(?i)^https?://[^\s/.]+\.[^\s]+$",
                message="Enter a full web address, for example https://example.org.",
            ),
        ],
        description="Optional. A full address starting with https://.",
    )
    description = _description_field(
        "Description", "Optional. What the organisation does for cities, in a sentence or two."
    )


class TopicForm(DirectoryForm):
    name = StringField(
        "Name",
        validators=[
            DataRequired("Enter the topic's name."),
            Length(max=80, message="Use at most 80 characters."),
        ],
    )
    description = _description_field(
        "Description", "Optional. The practice area this topic covers, in a sentence or two."
    )


class DomainForm(DirectoryForm):
    """Link a domain to a city or to a partner organisation."""

    domain = _domain_field()
    owner = RadioField(
        "Link it to",
        choices=[
            SelectChoice("city", "A city"),
            SelectChoice("organisation", "A partner organisation"),
        ],
        default="city",
        validators=[InputRequired("Choose a city or a partner organisation.")],
    )
    city = _city_field()
    organisation = _organisation_field()


class OrganisationDomainForm(DirectoryForm):
    """Link a domain to the organisation whose page this is."""

    domain = _domain_field()


class UnlinkDomainForm(DirectoryForm):
    """The unlink button: only the CSRF token to validate."""


class FollowButtonForm(DirectoryForm):
    """The follow and stop-following buttons of a topic's page: only the CSRF token."""


class YearField(IntegerField):
    """A whole-number year, with a message of ours when the text is not a number."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        text = valuelist[0].strip()
        if not text.isdigit() or len(text) > 4:
            self.data = None
            raise ValueError("Enter the year as four digits, for example 2023.")
        self.data = int(text)


class CertificationForm(DirectoryForm):
    level = SelectField(
        "Certification level",
        choices=[SelectChoice(level.value, level.label) for level in CertificationLevel],
        validators=[InputRequired("Choose a certification level.")],
    )
    year = YearField(
        "Year awarded",
        validators=[Optional()],
        description="Required for Silver, Gold and Platinum. Left out for “Not certified”.",
    )


def _single_spaced(value):
    return " ".join(value.split()) if isinstance(value, str) else value


def unix_newlines(value):
    """Browsers send a textarea's line breaks as CRLF; count each as one character."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _job_field(label: str, description: str) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            Length(
                max=JOB_FIELD_MAX_LENGTH, message=f"Use at most {JOB_FIELD_MAX_LENGTH} characters."
            ),
        ],
        filters=[_single_spaced],
        description=description,
    )


class ProfileForm(DirectoryForm):
    """What a member's profile shows. The view offers the city, the organisation or both,
    depending on the member's role, and fills in the choices."""

    display_name = StringField(
        "Your name",
        validators=[
            DataRequired("Enter the name other members know you by."),
            Length(
                max=DISPLAY_NAME_MAX_LENGTH,
                message=f"Use at most {DISPLAY_NAME_MAX_LENGTH} characters.",
            ),
        ],
        filters=[_single_spaced],
    )
    handle = StringField(
        "Handle",
        validators=[DataRequired("Choose a handle: it makes the address of your profile.")],
        filters=[normalise_handle],
        description=f"The address of your profile, /people/your-handle: {HANDLE_MIN_LENGTH} to "
        f"{HANDLE_MAX_LENGTH} characters, using a to z, 0 to 9 and hyphens.",
    )
    job_title = _job_field("Job title", "For example “Performance analyst”.")
    department = _job_field("Department", "For example “Office of Performance and Innovation”.")
    city = _city_field()
    organisation = _organisation_field()
    topics = SelectMultipleField(
        "Expertise",
        coerce=str,
        invalid_choice_message="Choose topics from the list.",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=f"The practice areas peers may ask you about; up to {EXPERTISE_MAX}.",
    )
    bio = TextAreaField(
        "About you",
        filters=[unix_newlines],
        description="What you work on and what you could help others with. Markdown works: "
        "**bold**, *italic*, lists with -, links as [text](https://…). "
        f"At most {BIO_MAX_LENGTH:,} characters.",
    )

    def validate_handle(self, field):
        problem = handle_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_topics(self, field):
        if len(field.data or []) > EXPERTISE_MAX:
            raise ValidationError(
                f"Choose at most {EXPERTISE_MAX} topics (you chose {len(field.data)})."
            )

    def validate_bio(self, field):
        if len(field.data or "") > BIO_MAX_LENGTH:
            raise ValidationError(
                f"Keep the bio to {BIO_MAX_LENGTH:,} characters (this one has {len(field.data):,})."
            )
