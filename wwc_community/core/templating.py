"""Filters and globals that every template may use."""

from datetime import UTC, datetime

from flask import Flask, request, url_for


def format_date(value: datetime | None) -> str:
    """A date as people in the US read it: "Nov 28, 2026"."""
    if value is None:
        return ""
    return f"{value:%b} {value.day}, {value.year}"


def format_datetime(value: datetime | None) -> str:
    """A UTC timestamp with its time: "Nov 28, 2026, 3:05 PM UTC"."""
    if value is None:
        return ""
    value = value.astimezone(UTC)
    hour = value.hour % 12 or 12
    return f"{format_date(value)}, {hour}:{value:%M} {'AM' if value.hour < 12 else 'PM'} UTC"


def url_with_args(**changes) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register_template_helpers(app: Flask) -> None:
    """Make the helpers above available in every template."""
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_global(url_with_args)

    @app.template_filter("number")
    def format_number(value: int | None) -> str:
        return "" if value is None else f"{value:,}"

    @app.context_processor
    def inject_site():
        return {"site_name": app.config["SITE_NAME"], "current_year": datetime.now(UTC).year}
