"""`flask certification …`: load, export, list, activate and retire, run as the
command line does (app.test_cli_runner())."""

import json

import pytest
import yaml
from sqlalchemy import func, select

from tests.certification.factories import make_framework
from tests.factories import make_city
from wwc_community.certification import frameworks
from wwc_community.certification.frameworks import STARTER_FRAMEWORK
from wwc_community.certification.models import (
    Assessment,
    Criterion,
    Framework,
    FrameworkStatus,
    PracticeArea,
)
from wwc_community.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        db.session.commit()
        result = runner.invoke(args=["certification", *args])
        db.session.expire_all()
        return result

    return run


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Framework, PracticeArea, Criterion)
    )


def status_of(version: str) -> str:
    return db.session.scalar(select(Framework.status).where(Framework.version == version))


def test_load_reads_the_file_and_saves_a_draft(cli):
    result = cli("load", str(STARTER_FRAMEWORK))
    assert result.exit_code == 0, result.output
    assert result.output == "Loaded sample-2026: 8 areas, 40 criteria (draft).\n"
    assert status_of("sample-2026") == FrameworkStatus.DRAFT
    assert counts() == (1, 8, 40)


def test_load_with_activate_makes_it_active_and_retires_the_previous_one(cli):
    make_framework(version="old-1")
    result = cli("load", str(STARTER_FRAMEWORK), "--activate")
    assert result.exit_code == 0, result.output
    assert "Loaded sample-2026: 8 areas, 40 criteria (active)." in result.output
    assert "Retired old-1; its assessments are kept." in result.output
    assert status_of("sample-2026") == FrameworkStatus.ACTIVE
    assert status_of("old-1") == FrameworkStatus.RETIRED


def test_a_bad_file_prints_every_problem_exits_1_and_saves_nothing(cli, tmp_path):
    data = yaml.safe_load(STARTER_FRAMEWORK.read_text(encoding="utf-8"))
    data["framework"]["name"] = ""
    data["framework"]["thresholds"]["gold"] = 40
    data["framework"]["areas"][0]["criteria"][0]["required"] = 99
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")

    result = cli("load", str(path))

    assert result.exit_code == 1
    assert "bad.yaml was not loaded; nothing was saved" in result.output
    assert "framework: “name” is missing" in result.output
    assert "silver, gold and platinum must increase" in result.output
    assert "criterion DG1: “required” is 99" in result.output
    assert counts() == (0, 0, 0)


def test_malformed_yaml_says_where(cli, tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("framework:\n  name: [oops\n  version: x\n", encoding="utf-8")
    result = cli("load", str(path))
    assert result.exit_code == 1
    assert "the YAML is malformed at line 3" in result.output
    assert counts() == (0, 0, 0)


def test_a_file_that_is_not_utf8_is_refused(cli, tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("framework:\n  name: Café\n".encode("latin-1"))
    result = cli("load", str(path))
    assert result.exit_code == 1
    assert "the file is not UTF-8 text" in result.output


def test_loading_a_version_twice_is_refused(cli):
    assert cli("load", str(STARTER_FRAMEWORK)).exit_code == 0
    result = cli("load", str(STARTER_FRAMEWORK))
    assert result.exit_code == 1
    assert "Version sample-2026 is already loaded" in result.output
    assert counts() == (1, 8, 40)


def test_export_writes_the_active_version_to_standard_output(cli):
    make_framework(version="draft-1", activate=False)
    make_framework(version="live-1")
    result = cli("export")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Certification framework live-1")
    data = yaml.safe_load(result.output)
    assert data["framework"]["version"] == "live-1"
    assert [area["code"] for area in data["framework"]["areas"]] == ["DG", "OD"]


def test_export_of_a_named_version_as_json_to_a_file_loads_again(cli, tmp_path):
    make_framework(version="draft-1", activate=False)
    path = tmp_path / "out.json"
    result = cli("export", "--version", "draft-1", "--json", "-o", str(path))
    assert result.exit_code == 0, result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["framework"]["version"] == "draft-1"
    data["framework"]["version"] = "draft-2"
    path.write_text(json.dumps(data), encoding="utf-8")
    loaded = cli("load", str(path))
    assert loaded.output == "Loaded draft-2: 2 areas, 10 criteria (draft).\n"


def test_export_without_an_active_version_or_of_an_unknown_one_fails(cli):
    result = cli("export")
    assert result.exit_code == 1
    assert "No framework version is active" in result.output
    result = cli("export", "--version", "nope")
    assert result.exit_code == 1
    assert "There is no framework version nope" in result.output


def test_list_shows_versions_status_criteria_and_assessments(cli):
    old = make_framework(version="old-1")
    db.session.add(Assessment(city_id=make_city().id, framework_id=old.id))
    db.session.commit()
    make_framework(version="new-1", activate=False, areas=("DG",))
    result = cli("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["Version", "Status", "Criteria", "Assessments"]
    assert lines[1].split() == ["new-1", "draft", "5", "0"]
    assert lines[2].split() == ["old-1", "active", "10", "1"]


def test_list_with_nothing_loaded_says_how_to_load(cli):
    result = cli("list")
    assert result.exit_code == 0
    assert "No framework version is loaded" in result.output


def test_activate_and_retire(cli):
    make_framework(version="old-1")
    make_framework(version="new-1", activate=False)

    result = cli("activate", "new-1")
    assert result.exit_code == 0, result.output
    assert result.output == "Activated new-1.\nRetired old-1; its assessments are kept.\n"
    assert (status_of("new-1"), status_of("old-1")) == ("active", "retired")

    result = cli("retire", "new-1")
    assert result.exit_code == 0, result.output
    assert status_of("new-1") == "retired"
    assert frameworks.active_framework(db.session) is None


def test_a_retired_version_cannot_be_activated_or_retired_again(cli):
    make_framework(version="gone-1", activate=False)
    assert cli("retire", "gone-1").exit_code == 0
    result = cli("activate", "gone-1")
    assert result.exit_code == 1
    assert "gone-1 is retired" in result.output
    result = cli("retire", "gone-1")
    assert result.exit_code == 1
    assert "already retired" in result.output
    assert cli("activate", "missing").exit_code == 1
