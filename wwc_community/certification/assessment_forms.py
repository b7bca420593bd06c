"""The forms of a city's assessment: one criterion's checklist and notes, the three kinds
of evidence, and sharing. They declare fields only; the services check what the values
mean (which items belong to the criterion, whether a library entry exists, what a file
is). The checklist's checkboxes are read with request.form.getlist("items")."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import InputRequired


class ProgressForm(FlaskForm):
    """The notes and the version the form was drawn from (the checklist is rendered from
    the criterion's items)."""

    notes = TextAreaField(
        "Notes",
        description=(
            "What the city has done, what is left and who to ask. Only members from the "
            "city and program coordinators see the notes."
        ),
    )
    version = HiddenField(default="0")


class LinkEvidenceForm(FlaskForm):
    url = StringField("Web address", validators=[InputRequired("Give the web address.")])
    label = StringField("Description", description="Optional: what the page shows.")


class PracticeEvidenceForm(FlaskForm):
    practice = StringField(
        "Library entry",
        description="Paste the address of a published library entry, or its short name.",
        validators=[InputRequired("Give the address of a library entry.")],
    )


class FileEvidenceForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to add.")])


class SharingForm(FlaskForm):
    shares = BooleanField("Let other members see which criteria we met (never notes or evidence)")
