"""The load benchmark (bench/load.py) end to end on a tiny dataset, so that it cannot rot:
it builds the data, serves the site under gunicorn, signs members in, loads every page,
measures the ceiling, and finds every accepted answer and registration afterwards.

Nothing here is shared with other tests: the data and logs go to the test's own temporary
folder and every server listens on a free port, so it runs beside the rest of the suite.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Every page and action the issue names, in the order the benchmark runs them.
PAGES = "home discussions thread library practice search event register answer".split()


def test_the_load_benchmark_loads_every_page_and_loses_nothing(tmp_path):
    figures_path = tmp_path / "figures.json"
    docs = tmp_path / "performance.md"
    docs.write_text(
        "# Performance\n\n<!-- load-table:sqlite-1x2 -->\nan old table\n"
        "<!-- /load-table:sqlite-1x2 -->\n\nWhat changed and why.\n"
    )
    # The benchmark chooses the database itself; the suite's own must not leak into it.
    env = {key: value for key, value in os.environ.items() if key != "TEST_DATABASE_URL"}
    env["TMPDIR"] = str(tmp_path)  # the run's logs and the ceiling's database
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "load.py"),
            "--scale",
            "small",
            "--data-dir",
            str(tmp_path / "data"),
            "--quick-build",
            "--workers",
            "1",
            "--threads",
            "2",
            "--clients",
            "2",
            "--members",
            "4",  # enough member/event pairs among the small data's few open events
            "--warmup",
            "0.2",
            "--duration",
            "1",
            "--json",
            str(figures_path),
            "--write",
            str(docs),
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
        cwd=tmp_path,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output

    figures = json.loads(figures_path.read_text())
    assert [page["name"] for page in figures["pages"]] == PAGES
    for page in figures["pages"]:
        assert page["requests_per_second"] > 0, (page, output)
        assert page["errors"] == 0, (page, output)
    assert figures["ceiling"]["requests_per_second"] > 0
    assert figures["loss_check"]["passed"], figures["loss_check"]
    assert figures["loss_check"]["answers_accepted"] > 0
    assert figures["loss_check"]["registrations_accepted"] > 0
    assert "Loss check: passed" in result.stdout

    # The printed table names every page, and the docs' section was replaced in place.
    for page in figures["pages"]:
        assert f"| {page['label']} |" in result.stdout
    written = docs.read_text()
    assert "an old table" not in written
    assert "What changed and why." in written
    assert "| Ceiling (bare Flask) |" in written
    assert written.count("<!-- load-table:sqlite-1x2 -->") == 1
