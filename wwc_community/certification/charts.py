"""Server-rendered SVG charts for the certification pages.

Pure functions: numbers in, an inline `<svg>` out (as Markup). Every chart has a
`<title>` and a `<desc>` that `aria-labelledby` points at, writes its numbers as text
(so nothing depends on telling colours apart), fills bars with a hatch pattern and an
outline so they stand apart from their track, and uses presentation attributes only:
no `style` attribute, no script (the site's CSP allows neither). Every text is escaped.
The page shows the same numbers in a table beside each chart."""

from datetime import datetime

from markupsafe import Markup, escape

INK = "#1b1f24"
MUTED = "#4a5562"
BRAND = "#0b4f8a"
BRAND_DARK = "#083a66"
WHITE = "#ffffff"
FONT = "system-ui, -apple-system, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"

BAR_WIDTH = 480
BAR_TRACK_X = 0
BAR_TRACK_WIDTH = 300
BAR_ROW_HEIGHT = 54
BAR_HEIGHT = 20


def share_label(met: int, total: int) -> str:
    """A share in whole percents, rounded down (as the score panel shows it)."""
    return f"{(met * 100) // total if total else 0}%"


def bar_label(met: int, total: int) -> str:
    """The words written beside a bar: "3 of 5 met (60%)"."""
    return f"{met} of {total} met ({share_label(met, total)})"


def percent_text(percent: float) -> str:
    """A percentage as the charts write it: whole percents, rounded down."""
    return f"{int(percent)}%"


def _number(value: float) -> str:
    """A coordinate, short and stable: 12, 12.5, 12.33."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _open_svg(id_prefix: str, title: str, description: str, width: int, height: int) -> list[str]:
    prefix = escape(id_prefix)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{prefix}-title {prefix}-desc" '
        f'font-family="{FONT}" font-size="14" fill="{INK}">',
        f'<title id="{prefix}-title">{escape(title)}</title>',
        f'<desc id="{prefix}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    rows: list[tuple[str, int, int]],
    *,
    title: str,
    description: str,
    id_prefix: str = "bar-chart",
) -> Markup:
    """A horizontal bar per row (label, met, total): the label above the bar, the share
    met as a hatched, outlined bar inside an outlined track, and "3 of 5 met (60%)"
    written beside it. A row with no criteria gets an empty track and "0 of 0 met"."""
    height = max(1, len(rows)) * BAR_ROW_HEIGHT + 8
    prefix = escape(id_prefix)
    parts = _open_svg(id_prefix, title, description, BAR_WIDTH, height)
    parts.append(
        f'<defs><pattern id="{prefix}-hatch" patternUnits="userSpaceOnUse" width="8" '
        f'height="8" patternTransform="rotate(45)">'
        f'<rect width="8" height="8" fill="{BRAND}"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="{WHITE}" stroke-width="3"/>'
        f"</pattern></defs>"
    )
    if not rows:
        parts.append(f'<text x="0" y="28">{escape("Nothing to show yet.")}</text>')
    for index, (label, met, total) in enumerate(rows):
        top = index * BAR_ROW_HEIGHT + 4
        bar_y = top + 22
        filled = BAR_TRACK_WIDTH * met / total if total else 0
        parts.append('<g class="chart-row">')
        parts.append(
            f'<text x="{BAR_TRACK_X}" y="{top + 15}" font-weight="600">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{BAR_TRACK_X}" y="{bar_y}" width="{BAR_TRACK_WIDTH}" '
            f'height="{BAR_HEIGHT}" fill="{WHITE}" stroke="{MUTED}" stroke-width="1"/>'
        )
        if filled:
            parts.append(
                f'<rect x="{BAR_TRACK_X}" y="{bar_y}" width="{_number(filled)}" '
                f'height="{BAR_HEIGHT}" fill="url(#{prefix}-hatch)" stroke="{BRAND_DARK}" '
                f'stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{BAR_TRACK_X + BAR_TRACK_WIDTH + 10}" y="{bar_y + 15}" '
            f'class="chart-value">{escape(bar_label(met, total))}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


LINE_WIDTH = 480
LINE_HEIGHT = 300
PLOT_LEFT = 46
PLOT_RIGHT = 372
PLOT_TOP = 16
PLOT_BOTTOM = 256


def date_text(value: datetime) -> str:
    return f"{value:%b} {value.day}, {value.year}"


def line_chart(
    points: list[tuple[datetime, float]],
    *,
    title: str,
    description: str,
    thresholds: list[tuple[str, float]] = (),
    id_prefix: str = "line-chart",
) -> Markup:
    """The share met over time, as steps (the share holds until the next change), with a
    circle at each change, the latest share written beside its point, a 0-100% axis,
    the first and last dates, and each level's threshold as a labelled dashed line.
    One point is drawn as a circle in the middle of the plot."""
    points = sorted(points, key=lambda point: point[0])
    parts = _open_svg(id_prefix, title, description, LINE_WIDTH, LINE_HEIGHT)
    plot_height = PLOT_BOTTOM - PLOT_TOP

    def y_of(percent: float) -> float:
        return PLOT_BOTTOM - plot_height * min(max(percent, 0), 100) / 100

    # Axes and the 0-100% scale.
    parts.append('<g class="chart-axis">')
    for tick in (0, 25, 50, 75, 100):
        y = _number(y_of(tick))
        parts.append(
            f'<line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_RIGHT}" y2="{y}" stroke="{MUTED}" '
            f'stroke-width="{1 if tick == 0 else 0.5}"/>'
        )
        parts.append(
            f'<text x="{PLOT_LEFT - 8}" y="{_number(y_of(tick) + 5)}" '
            f'text-anchor="end">{tick}%</text>'
        )
    parts.append(
        f'<line x1="{PLOT_LEFT}" y1="{PLOT_TOP}" x2="{PLOT_LEFT}" y2="{PLOT_BOTTOM}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append("</g>")

    # The level thresholds: dashed lines, labelled at the right.
    for label, percent in thresholds:
        y = _number(y_of(percent))
        parts.append(
            f'<g class="chart-threshold"><line x1="{PLOT_LEFT}" y1="{y}" x2="{PLOT_RIGHT}" '
            f'y2="{y}" stroke="{INK}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{PLOT_RIGHT + 6}" y="{_number(y_of(percent) + 5)}">'
            f"{escape(label)} {escape(percent_text(percent))}</text></g>"
        )

    if points:
        first, last = points[0][0], points[-1][0]
        span = (last - first).total_seconds()

        def x_of(moment: datetime) -> float:
            if span <= 0:
                return (PLOT_LEFT + PLOT_RIGHT) / 2
            return PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * (moment - first).total_seconds() / span

        coordinates = [(x_of(moment), y_of(percent)) for moment, percent in points]
        if len(coordinates) > 1:
            path = [f"M {_number(coordinates[0][0])} {_number(coordinates[0][1])}"]
            for x, y in coordinates[1:]:
                path.append(f"H {_number(x)} V {_number(y)}")
            parts.append(
                f'<path class="chart-line" d="{" ".join(path)}" fill="none" '
                f'stroke="{BRAND}" stroke-width="3"/>'
            )
        for x, y in coordinates:
            parts.append(
                f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4.5" fill="{WHITE}" '
                f'stroke="{BRAND_DARK}" stroke-width="2.5"/>'
            )
        last_x, last_y = coordinates[-1]
        parts.append(
            f'<text class="chart-value" x="{_number(last_x)}" y="{_number(max(last_y - 10, 12))}" '
            f'text-anchor="end" font-weight="700">'
            f"{escape(percent_text(points[-1][1]))}</text>"
        )
        # The first and the last date under the axis.
        if span > 0 and date_text(first) != date_text(last):
            parts.append(
                f'<text x="{PLOT_LEFT}" y="{PLOT_BOTTOM + 24}">{escape(date_text(first))}</text>'
            )
            parts.append(
                f'<text x="{PLOT_RIGHT}" y="{PLOT_BOTTOM + 24}" text-anchor="end">'
                f"{escape(date_text(last))}</text>"
            )
        else:
            parts.append(
                f'<text x="{_number((PLOT_LEFT + PLOT_RIGHT) / 2)}" y="{PLOT_BOTTOM + 24}" '
                f'text-anchor="middle">'
                f"{escape(date_text(first))}</text>"
            )
    else:
        parts.append(
            f'<text x="{PLOT_LEFT + 12}" y="{PLOT_TOP + 24}">{escape("No changes yet.")}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
