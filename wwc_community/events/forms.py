"""Forms for coordinators: an event (times as a date and a clock time in the event's own
time zone), postponing it and cancelling it. The services check lengths, times, the
capacity and the questions and say what is wrong; the view puts their message on the
field it concerns."""

from datetime import datetime

from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Optional
from wtforms.widgets import CheckboxInput, ListWidget

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.events.models import EventType, QuestionKind
from wwc_community.events.services import CAPACITY_MAX, MAX_QUESTIONS
from wwc_community.library.forms import (
    CRITERIA_HINT,
    _bind_without_control_characters,
)

# The zones most member cities keep, east to west, then UTC.
TIME_ZONES = [
    SelectChoice("America/New_York", "Eastern (New York)"),
    SelectChoice("America/Chicago", "Central (Chicago)"),
    SelectChoice("America/Denver", "Mountain (Denver)"),
    SelectChoice("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    SelectChoice("America/Los_Angeles", "Pacific (Los Angeles)"),
    SelectChoice("America/Anchorage", "Alaska (Anchorage)"),
    SelectChoice("Pacific/Honolulu", "Hawaii (Honolulu)"),
    SelectChoice("UTC", "UTC"),
]

QUESTION_KIND_LABELS = {
    QuestionKind.SHORT_TEXT: "Short text",
    QuestionKind.LONG_TEXT: "Long text",
    QuestionKind.ONE_CHOICE: "One choice",
    QuestionKind.SEVERAL_CHOICES: "Several choices",
    QuestionKind.YES_NO: "Yes or no",
}

# A date and a clock time typed separately: (date field, time field, what it is).
DATE_TIME_PAIRS = {
    "starts": "the start",
    "ends": "the end",
    "registration_opens": "the opening of registration",
    "registration_closes": "the close of registration",
}


def _date(label: str) -> DateField:
    return DateField(
        label,
        validators=[Optional()],
        invalid_value_message="Give the date as shown, for example 2026-07-14.",
    )


def _time(label: str) -> TimeField:
    return TimeField(
        label,
        validators=[Optional()],
        invalid_value_message="Give the time as hours and minutes, for example 14:30.",
    )


class QuestionRowForm(Form):
    """One registration question (no CSRF token of its own); an empty prompt is no
    question."""

    class Meta:
        bind_field = _bind_without_control_characters

    prompt = StringField("Question")
    kind = SelectField(
        "Kind of answer",
        choices=[SelectChoice(kind.value, label) for kind, label in QUESTION_KIND_LABELS.items()],
        default=QuestionKind.SHORT_TEXT.value,
        invalid_choice_message="Choose the kind of answer from the list.",
    )
    required = BooleanField("An answer is required")
    choices = TextAreaField("Options, one a line", filters=[unix_newlines])


class _DateTimeForm(DirectoryForm):
    """Checks that each date given has its time and each time its date."""

    class Meta:
        bind_field = _bind_without_control_characters

    def local(self, name: str) -> datetime | None:
        """The date and time of pair `name` ("starts") as one naive datetime, or None."""
        day, clock = self[f"{name}_date"].data, self[f"{name}_time"].data
        if day is None or clock is None:
            return None
        return datetime.combine(day, clock)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, words in DATE_TIME_PAIRS.items():
            if f"{name}_date" not in self:
                continue
            day, clock = self[f"{name}_date"], self[f"{name}_time"]
            if day.errors or clock.errors:
                continue
            if day.data is not None and clock.data is None:
                clock.errors = [f"Give the time of {words} as well."]
                valid = False
            elif clock.data is not None and day.data is None:
                day.errors = [f"Give the date of {words} as well."]
                valid = False
        return valid


class EventForm(_DateTimeForm):
    """An event; the view fills in the topics (and an event's own zone if it is not
    listed)."""

    title = StringField("Title")
    event_type = SelectField(
        "Type of event",
        choices=[SelectChoice(kind.value, kind.label) for kind in EventType],
        invalid_choice_message="Choose the type of event.",
    )
    description = TextAreaField(
        "Description",
        filters=[unix_newlines],
        description="What members will learn and who it is for. Markdown works: **bold**, "
        "lists with -, headings with ##, links as [text](https://…).",
    )
    is_public = BooleanField(
        "Visitors can see it (public)",
        description="Otherwise only signed-in members see the event.",
    )
    time_zone = SelectField(
        "Time zone",
        choices=list(TIME_ZONES),
        default="America/New_York",
        invalid_choice_message="Choose a time zone from the list.",
        description="The dates and times below are in this zone.",
    )
    starts_date = _date("Start date")
    starts_time = _time("Start time")
    ends_date = _date("End date")
    ends_time = _time("End time")
    is_online = BooleanField("Online event", default=True)
    location = StringField(
        "Location", description="For an event in person: the venue, street and city."
    )
    join_url = StringField(
        "Link to join",
        description="For an online event. Only confirmed registrants see it.",
    )
    capacity = IntegerField(
        "Capacity",
        invalid_value_message=f"Give the number of seats, from 0 to {CAPACITY_MAX:,}.",
        description=f"The number of seats, from 0 to {CAPACITY_MAX:,}.",
    )
    waitlist_enabled = BooleanField(
        "Keep a waitlist when the event is full",
        default=True,
        description="The first in line gets a seat that opens up, automatically.",
    )
    registration_opens_date = _date("Opening date")
    registration_opens_time = _time("Opening time")
    registration_closes_date = _date("Closing date")
    registration_closes_time = _time("Closing time")
    topics = SelectMultipleField(
        "Topics",
        coerce=int,
        invalid_choice_message="Choose topics from the list.",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    criteria = StringField("Certification criteria", description=CRITERIA_HINT)
    questions = FieldList(
        FormField(QuestionRowForm), min_entries=MAX_QUESTIONS, max_entries=MAX_QUESTIONS
    )


class PostponeForm(_DateTimeForm):
    """The event's new date and time, in its own time zone."""

    starts_date = _date("New start date")
    starts_time = _time("New start time")
    ends_date = _date("New end date")
    ends_time = _time("New end time")


class CancelEventForm(DirectoryForm):
    """Why the event is cancelled: every registrant reads it."""

    reason = TextAreaField(
        "Reason",
        filters=[unix_newlines],
        description="Registrants get it by e-mail, and it stays on the event's page.",
    )
