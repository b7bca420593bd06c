"""Operators see one line per request with its timing, and clients the server's time."""

import logging
import re

import pytest

from tests.query_counts import queries_for
from wwc_community.core.request_log import logger as request_logger


@pytest.fixture
def request_lines(caplog):
    """The request log's lines. Once an app has given the logger its own handler it no
    longer propagates to the root logger, where pytest listens."""
    own_handler = not request_logger.propagate
    if own_handler:
        request_logger.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger=request_logger.name)
    yield lambda: [r.getMessage() for r in caplog.records if r.name == request_logger.name]
    if own_handler:
        request_logger.removeHandler(caplog.handler)


def test_every_response_says_how_long_the_server_took(client, city):
    for path in ("/", f"/cities/{city.slug}", "/no-such-page"):
        timing = client.get(path).headers["Server-Timing"]
        assert re.fullmatch(r"app;dur=\d+\.\d", timing), timing


def test_one_line_per_request_with_status_time_and_sql_count(app, client, request_lines, members):
    app.config["REQUEST_LOG"] = True
    city_slug = members["practitioner"].city.slug
    expected_queries = queries_for(client, f"/cities/{city_slug}?page=1")

    client.get(f"/cities/{city_slug}?page=1")
    client.get("/no-such-page")

    *_, city_line, missing_line = request_lines()
    city_match = re.fullmatch(
        rf"GET /cities/{city_slug}\?page=1 200 (\d+\.\d)ms sql=(\d+) member=-", city_line
    )
    assert city_match, city_line
    assert int(city_match[2]) == expected_queries
    assert re.fullmatch(r"GET /no-such-page 404 \d+\.\dms sql=\d+ member=-", missing_line)


def test_the_line_names_the_member_by_id_and_never_the_session_token(
    app, request_lines, members, sign_in_as
):
    app.config["REQUEST_LOG"] = True
    member = members["practitioner"]
    sign_in_as("practitioner").get("/")
    line = request_lines()[-1]
    assert line.endswith(f"member={member.id}")
    assert member.session_token not in line
