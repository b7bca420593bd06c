"""Forms for publishing library entries. The services check lengths, counts, dates and
addresses and say what is wrong; the view puts their message on the part it concerns."""

from flask_wtf import FlaskForm
from wtforms import (
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.widgets import CheckboxInput, ListWidget

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.library.services import (
    LINKS_MAX,
    RESULTS_MAX,
    SUMMARY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    TOPICS_MAX,
)

CRITERIA_HINT = "Codes from the benchmark, separated by commas, e.g. DG1, OD3. Optional."


def _bind_without_control_characters(meta, form, unbound_field, options):
    """Text fields drop control characters (as DirectoryForm's do); lists of rows take no
    filters themselves, their fields do."""
    if unbound_field.field_class in (FieldList, FormField):
        return unbound_field.bind(form=form, **options)
    return DirectoryForm.Meta.bind_field(meta, form, unbound_field, options)


class ResultRowForm(Form):
    """One row of the results table (no CSRF token of its own)."""

    class Meta:
        bind_field = _bind_without_control_characters

    measure = StringField("Measure")
    unit = StringField("Unit")
    baseline_value = StringField("Baseline value")
    baseline_date = StringField("Baseline date")
    result_value = StringField("Result value")
    result_date = StringField("Result date")


class LinkRowForm(Form):
    """One external link."""

    class Meta:
        bind_field = _bind_without_control_characters

    label = StringField("Label")
    url = StringField("Web address")


class PracticeForm(FlaskForm):
    """A library entry; the view fills in the choices."""

    class Meta:
        bind_field = _bind_without_control_characters

    organisation = SelectField("Organisation", invalid_choice_message="Choose an organisation.")
    title = StringField(
        "Title",
        description=f"What the practice is, in {TITLE_MIN_LENGTH} to {TITLE_MAX_LENGTH} "
        "characters.",
    )
    kind = SelectField("Kind of entry", invalid_choice_message="Choose the kind of entry.")
    summary = TextAreaField(
        "Summary",
        filters=[unix_newlines],
        description=f"One or two plain sentences for the library's card, at most "
        f"{SUMMARY_MAX_LENGTH} characters.",
    )
    topics = SelectMultipleField(
        "Topics",
        coerce=str,
        invalid_choice_message="Choose topics from the list.",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=f"One to {TOPICS_MAX}.",
    )
    criteria = StringField("Certification criteria", description=CRITERIA_HINT)
    body = TextAreaField(
        "The practice in full",
        filters=[unix_newlines],
        description="How it works and how to do it. Markdown works: **bold**, lists with -, "
        "headings with ##, links as [text](https://…).",
    )
    problem = TextAreaField("Problem", filters=[unix_newlines], description="What needed fixing.")
    intervention = TextAreaField(
        "Intervention", filters=[unix_newlines], description="What was done about it."
    )
    outcome_measure = StringField(
        "Outcome measure", description="What was measured to tell whether it worked."
    )
    evaluation_design = SelectField(
        "Evaluation design",
        invalid_choice_message="Choose the evaluation design from the list.",
        description="How the results were measured; the evidence tier follows from it.",
    )
    cost = StringField("Cost", description="For example “$40,000 a year and one analyst”.")
    time_to_implement = StringField("Time to implement", description="For example “6 months”.")
    results = FieldList(FormField(ResultRowForm), min_entries=RESULTS_MAX, max_entries=RESULTS_MAX)
    links = FieldList(FormField(LinkRowForm), min_entries=LINKS_MAX, max_entries=LINKS_MAX)
