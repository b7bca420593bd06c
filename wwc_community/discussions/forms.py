"""Forms for discussions: ask, answer, comment, edit, and the buttons that act on posts.

The services check lengths and counts and say what is wrong; the view puts their
message on the field it concerns."""

from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.discussions.services import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    TITLE_MIN_LENGTH,
    TOPICS_MAX,
)

MARKDOWN_HINT = (
    "Markdown works: **bold**, *italic*, lists with -, links as [text](https://…). "
    f"At most {BODY_MAX_LENGTH:,} characters."
)
CRITERIA_HINT = "Codes from the benchmark, separated by commas, e.g. DG1, OD3. Optional."


class AskForm(DirectoryForm):
    """A new question; the view fills in the topic choices."""

    title = StringField(
        "Your question",
        description=f"One sentence that says what you want to know: {TITLE_MIN_LENGTH} to "
        f"{TITLE_MAX_LENGTH} characters.",
    )
    body = TextAreaField(
        "Details",
        filters=[unix_newlines],
        description="What you have tried, what your city needs, and any constraints. "
        + MARKDOWN_HINT,
    )
    topics = SelectMultipleField(
        "Topics",
        coerce=str,
        invalid_choice_message="Choose topics from the list.",
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description=f"One to {TOPICS_MAX}, so that members who know them see your question.",
    )
    city = StringField(
        "City this is about",
        description="Name and state, for example “Austin, TX”. Leave it empty if the "
        "question is not about one city.",
    )
    criteria = StringField("Certification criteria", description=CRITERIA_HINT)


class AnswerForm(DirectoryForm):
    """An answer to the thread's question."""

    body = TextAreaField("Your answer", filters=[unix_newlines], description=MARKDOWN_HINT)


class PostActionForm(DirectoryForm):
    """A button that acts on a post (vote, accept, remove): only the CSRF token."""


class CommentForm(DirectoryForm):
    """A short comment under an answer."""

    body = TextAreaField(
        "Your comment",
        filters=[unix_newlines],
        description=f"A short reply to this answer, at most {COMMENT_MAX_LENGTH:,} characters. "
        "Markdown works.",
    )


class EditQuestionForm(DirectoryForm):
    """One's own question, changed (a moderator moves its topics)."""

    title = AskForm.title
    body = AskForm.body
    criteria = AskForm.criteria


class EditAnswerForm(DirectoryForm):
    """One's own answer, changed."""

    body = TextAreaField("Your answer", filters=[unix_newlines], description=MARKDOWN_HINT)


class EditCommentForm(DirectoryForm):
    """One's own comment, changed."""

    body = CommentForm.body
