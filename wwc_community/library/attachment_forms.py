"""The form that attaches a file to an entry (the remove buttons need only the CSRF token
that every POST carries). What the file is and how large it may be are checked by
library.attachments, from its bytes."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class AttachmentForm(FlaskForm):
    """A file to attach to an entry."""

    file = FileField("File to attach", validators=[FileRequired("Choose a file to attach.")])
