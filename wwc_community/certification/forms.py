"""Forms for the benchmark pages: asking a peer about a criterion.

The discussion services check the title's and body's lengths and say what is wrong; the
view puts their message on the field it concerns."""

from wtforms import SelectField, StringField, TextAreaField

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.discussions.forms import MARKDOWN_HINT
from wwc_community.discussions.services import TITLE_MAX_LENGTH, TITLE_MIN_LENGTH


class AskPeerForm(DirectoryForm):
    """A question to one peer; the view fills in the topic choices (slug, name)."""

    title = StringField(
        "Your question",
        description=f"One sentence that says what you want to know: {TITLE_MIN_LENGTH} to "
        f"{TITLE_MAX_LENGTH} characters.",
    )
    body = TextAreaField(
        "Details",
        filters=[unix_newlines],
        description="What your city has tried and what you would like to learn from theirs. "
        + MARKDOWN_HINT,
    )
    topic = SelectField(
        "Topic",
        coerce=str,
        validate_choice=False,
        description="Where the question is listed in the discussions.",
    )
