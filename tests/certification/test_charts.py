"""The SVG charts: valid XML, described for screen readers, escaped, and their numbers
the ones given."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from markupsafe import Markup

from wwc_community.certification.charts import bar_chart, bar_label, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    return ET.fromstring(str(svg))


def texts(root: ET.Element) -> list[str]:
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def assert_described(root: ET.Element, title: str, description: str) -> None:
    """role="img", and aria-labelledby names the title and the description by id."""
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("style") is None
    ids = root.get("aria-labelledby").split()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert [by_id[ident].tag for ident in ids] == [f"{SVG}title", f"{SVG}desc"]
    assert by_id[ids[0]].text == title
    assert by_id[ids[1]].text == description


def no_inline_styles_or_scripts(root: ET.Element) -> bool:
    return all(
        element.get("style") is None and element.tag != f"{SVG}script" for element in root.iter()
    )


def test_bar_chart_is_valid_svg_with_title_description_and_one_bar_label_per_row():
    svg = bar_chart(
        [("Open Data", 3, 5), ("Evaluations", 0, 4), ("Data Governance", 4, 4)],
        title="Criteria met by area",
        description="Open Data 3 of 5.",
        id_prefix="areas",
    )
    root = parse(svg)
    assert_described(root, "Criteria met by area", "Open Data 3 of 5.")
    assert no_inline_styles_or_scripts(root)
    shown = texts(root)
    assert shown == [
        "Open Data",
        "3 of 5 met (60%)",
        "Evaluations",
        "0 of 4 met (0%)",
        "Data Governance",
        "4 of 4 met (100%)",
    ]


def test_bar_chart_bars_are_hatched_and_outlined_and_as_long_as_their_share():
    root = parse(bar_chart([("A", 1, 4), ("B", 4, 4)], title="t", description="d"))
    rectangles = [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(")]
    tracks = [r for r in root.iter(f"{SVG}rect") if r.get("stroke") and r not in rectangles]
    assert len(rectangles) == 2
    assert all(bar.get("stroke") for bar in rectangles)
    pattern_id = rectangles[0].get("fill")[len("url(#") : -1]
    assert root.find(f".//{SVG}pattern[@id='{pattern_id}']") is not None
    track_width = float(tracks[0].get("width"))
    assert float(rectangles[0].get("width")) == track_width / 4
    assert float(rectangles[1].get("width")) == track_width


def test_bar_chart_escapes_labels_and_title():
    svg = bar_chart(
        [("Budgeting & <Results>", 1, 2)],
        title="Cities & <scores>",
        description='Says "hello" & <b>bold</b>',
    )
    assert "<Results>" not in svg and "<scores>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert texts(root)[0] == "Budgeting & <Results>"
    assert root.find(f"{SVG}title").text == "Cities & <scores>"
    assert root.find(f"{SVG}desc").text == 'Says "hello" & <b>bold</b>'


def test_bar_chart_id_prefix_is_escaped_into_its_ids():
    root = parse(bar_chart([("A", 1, 1)], title="t", description="d", id_prefix='x"y'))
    assert root.get("aria-labelledby") == 'x"y-title x"y-desc'


def test_bar_chart_with_an_area_of_zero_criteria_draws_an_empty_track():
    root = parse(bar_chart([("Empty area", 0, 0)], title="t", description="d"))
    assert texts(root) == ["Empty area", "0 of 0 met (0%)"]
    assert not [r for r in root.iter(f"{SVG}rect") if r.get("fill", "").startswith("url(")]


def test_bar_chart_without_rows_says_so():
    root = parse(bar_chart([], title="t", description="d"))
    assert texts(root) == ["Nothing to show yet."]


def test_bar_label_rounds_the_share_down():
    assert bar_label(2, 3) == "2 of 3 met (66%)"
    assert bar_label(0, 0) == "0 of 0 met (0%)"


START = datetime(2026, 3, 2, 9, 30)


def test_line_chart_is_valid_svg_with_steps_points_thresholds_and_dates():
    points = [(START, 10.0), (START + timedelta(days=3), 30.0), (START + timedelta(days=9), 55.5)]
    svg = line_chart(
        points,
        title="Share met over time",
        description="Three changes.",
        thresholds=[("Silver", 51.0), ("Gold", 67.0), ("Platinum", 84.0)],
        id_prefix="history",
    )
    root = parse(svg)
    assert_described(root, "Share met over time", "Three changes.")
    assert no_inline_styles_or_scripts(root)
    shown = texts(root)
    for label in ("Silver 51%", "Gold 67%", "Platinum 84%", "55%", "Mar 2, 2026", "Mar 11, 2026"):
        assert label in shown
    assert len(list(root.iter(f"{SVG}circle"))) == 3
    path = root.find(f".//{SVG}path").get("d")
    assert path.startswith("M ") and path.count("H ") == 2 and path.count("V ") == 2
    dashed = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 3


def test_line_chart_puts_higher_shares_higher_and_thresholds_at_their_share():
    root = parse(
        line_chart(
            [(START, 0.0), (START + timedelta(days=1), 100.0)],
            title="t",
            description="d",
            thresholds=[("Silver", 50.0)],
        )
    )
    low, high = root.iter(f"{SVG}circle")
    assert float(high.get("cy")) < float(low.get("cy"))
    (silver,) = [line for line in root.iter(f"{SVG}line") if line.get("stroke-dasharray")]
    middle = (float(low.get("cy")) + float(high.get("cy"))) / 2
    assert float(silver.get("y1")) == middle


def test_line_chart_with_one_snapshot_draws_one_point_and_its_date():
    root = parse(line_chart([(START, 20.0)], title="t", description="d"))
    assert len(list(root.iter(f"{SVG}circle"))) == 1
    assert root.find(f".//{SVG}path") is None
    shown = texts(root)
    assert "20%" in shown and "Mar 2, 2026" in shown


def test_line_chart_escapes_threshold_labels():
    svg = line_chart([(START, 20.0)], title="<t>", description="d&d", thresholds=[("A<&>", 40)])
    assert "A<&>" not in svg
    root = parse(svg)
    assert "A<&> 40%" in texts(root)


def test_line_chart_of_changes_on_one_day_writes_that_date_once():
    root = parse(
        line_chart([(START, 10.0), (START + timedelta(hours=2), 20.0)], title="t", description="d")
    )
    assert texts(root).count("Mar 2, 2026") == 1
    assert len(list(root.iter(f"{SVG}circle"))) == 2
