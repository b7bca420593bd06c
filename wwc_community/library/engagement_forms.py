"""Forms for what members do with library entries: the "we adapted this" record and the
buttons that save an entry and mark it helpful. The service checks lengths and says
what is wrong; the view puts its message on the field it concerns."""

from wtforms import HiddenField, RadioField, SelectChoice, TextAreaField

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.library.engagement import (
    ADAPTATION_STATUS_LABELS,
    CHANGES_MAX_LENGTH,
    OUTCOME_MAX_LENGTH,
)

MARKDOWN_HINT = "Markdown works: **bold**, *italic*, lists with -, links as [text](https://…)."


class AdaptationForm(DirectoryForm):
    """What the member's city changed, where it is with it, and what came of it."""

    status = RadioField(
        "Where is your city with it?",
        choices=[
            SelectChoice(status.value, label) for status, label in ADAPTATION_STATUS_LABELS.items()
        ],
        validate_choice=False,
    )
    changes = TextAreaField(
        "What your city changed",
        filters=[unix_newlines],
        description="Required. How your version differs from the original: scope, "
        f"partners, data, timing. {MARKDOWN_HINT} At most {CHANGES_MAX_LENGTH:,} characters.",
    )
    outcome = TextAreaField(
        "Outcome so far",
        filters=[unix_newlines],
        description="Optional. What changed as a result, with figures if you have them. "
        f"{MARKDOWN_HINT} At most {OUTCOME_MAX_LENGTH:,} characters.",
    )


class EngagementButtonForm(DirectoryForm):
    """A button that saves an entry or marks it helpful: the CSRF token, and where to
    go back to."""

    next = HiddenField()
