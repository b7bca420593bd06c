"""The admins' upload form for a framework file. Activate and retire are buttons that
need only the CSRF token every POST carries. What the file holds is checked by
certification.frameworks (size, UTF-8, then every rule of the format)."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired


class FrameworkUploadForm(FlaskForm):
    """A framework file (YAML or JSON) to load as a new draft version."""

    file = FileField(
        "Framework file (YAML or JSON)",
        validators=[FileRequired("Choose a framework file to load.")],
        description="The same format as an exported version. It is added as a draft; "
        "activate it when you have checked it.",
    )
