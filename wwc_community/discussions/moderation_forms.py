"""Forms for moderation: flagging, the reasons coordinators give, closing as a duplicate
and moving topics. The moderation services check what is required and say so."""

from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from wwc_community.directory.forms import DirectoryForm, unix_newlines
from wwc_community.discussions.moderation import (
    FLAG_DETAILS_MAX_LENGTH,
    FLAG_REASON_LABELS,
    REASON_MAX_LENGTH,
)


def _reason_field(label: str, description: str) -> TextAreaField:
    return TextAreaField(
        label,
        filters=[unix_newlines],
        validators=[
            Optional(),
            Length(max=REASON_MAX_LENGTH, message=f"Use at most {REASON_MAX_LENGTH:,} characters."),
        ],
        description=description,
    )


class FlagForm(DirectoryForm):
    """A member tells coordinators what is wrong with a question or post."""

    reason = RadioField(
        "What is wrong?",
        choices=[SelectChoice(value.value, label) for value, label in FLAG_REASON_LABELS.items()],
        validate_choice=False,
    )
    details = TextAreaField(
        "Details",
        filters=[unix_newlines],
        validators=[
            Optional(),
            Length(
                max=FLAG_DETAILS_MAX_LENGTH,
                message=f"Use at most {FLAG_DETAILS_MAX_LENGTH:,} characters.",
            ),
        ],
        description="Required when you choose “Something else”; optional otherwise. Only "
        f"coordinators read it. At most {FLAG_DETAILS_MAX_LENGTH:,} characters.",
    )


class HideForm(DirectoryForm):
    """Hide a post: the reason is required and sent to its author."""

    reason = _reason_field(
        "Why are you hiding it?",
        "Required. Sent to the author and kept in the moderation log.",
    )
    back = HiddenField()


class RestoreForm(DirectoryForm):
    reason = _reason_field(
        "Why are you restoring it?",
        "Required. Sent to the author and kept in the moderation log.",
    )
    back = HiddenField()


class LockForm(DirectoryForm):
    reason = _reason_field(
        "Why are you locking it?",
        "Required. Kept in the moderation log; members see that the discussion is locked.",
    )
    back = HiddenField()


class DuplicateForm(DirectoryForm):
    """Close a thread as a duplicate of another."""

    target = StringField(
        "The original discussion",
        description="Paste its address (for example https://…/discussions/12-its-title) or "
        "type its number.",
    )
    reason = _reason_field("Note for the asker", "Optional. Sent to the asker with the link.")


class TopicsForm(DirectoryForm):
    """Choose a thread's topics again; the view fills in the choices."""

    topics = SelectMultipleField(
        "Topics",
        coerce=str,
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        description="One to three.",
    )
    reason = _reason_field("Reason", "Optional. Kept in the moderation log.")


class ModerationButtonForm(DirectoryForm):
    """A moderation button (pin, unpin, unlock, reopen, dismiss): the CSRF token, and
    for dismissing, which post the flags concern (empty for the question)."""

    post_id = HiddenField()
    back = HiddenField()
