"""Admins' framework pages: the versions table, loading a file (all or nothing, every
problem listed), activating, retiring and downloading a version."""

import io

import pytest
import yaml
from sqlalchemy import func, select

from tests.certification.factories import load_starter_framework, make_framework
from tests.conftest import csrf_token, post_form
from tests.factories import make_city
from wwc_community.certification import frameworks
from wwc_community.certification.frameworks import STARTER_FRAMEWORK
from wwc_community.certification.models import Assessment, Criterion, Framework, PracticeArea
from wwc_community.extensions import db

PAGE = "/certification/frameworks"


@pytest.fixture
def admin(client, members, sign_in_as):
    sign_in_as("admin")
    return client


def upload(client, data: bytes, filename: str = "framework.yaml"):
    return client.post(
        f"{PAGE}/load",
        data={"csrf_token": csrf_token(client), "file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def status_of(version: str) -> str:
    db.session.expire_all()
    return db.session.scalar(select(Framework.status).where(Framework.version == version))


def counts() -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Framework, PracticeArea, Criterion)
    )


def test_the_page_lists_every_version_with_its_numbers_and_buttons(admin):
    old = load_starter_framework()
    db.session.add(Assessment(city_id=make_city("Tacoma", "WA").id, framework_id=old.id))
    db.session.commit()
    make_framework(version="draft-2", activate=False)

    page = admin.get(PAGE).get_data(as_text=True)

    assert "<h1>Certification framework versions</h1>" in page
    assert "Sample: replace with the official text" in page
    assert "sample-2026" in page and "draft-2" in page
    assert ">40</td>" in page and ">10</td>" in page  # criteria of each
    assert ">1</td>" in page  # the starter version's assessment
    # The draft can be activated and retired; the active one only retired.
    assert page.count("Activate<span") == 1
    assert 'action="/certification/frameworks/draft-2/activate"' in page
    assert 'action="/certification/frameworks/sample-2026/retire"' in page
    assert 'href="/certification/frameworks/sample-2026.yaml"' in page
    assert 'enctype="multipart/form-data"' in page


def test_no_version_yet_says_how_to_load_one(admin):
    page = admin.get(PAGE).get_data(as_text=True)
    assert "No framework version is loaded yet" in page


def test_uploading_a_good_file_loads_a_draft(admin):
    response = upload(admin, STARTER_FRAMEWORK.read_bytes(), "starter.yaml")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(PAGE)
    assert status_of("sample-2026") == "draft"
    assert counts() == (1, 8, 40)
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Version sample-2026 is loaded as a draft" in page


def test_a_json_file_with_a_byte_order_mark_loads(admin):
    make_framework(version="json-1", activate=False)
    text = frameworks.framework_text(db.session, db.session.scalar(select(Framework)), True)
    text = text.replace('"json-1"', '"json-2"')
    response = upload(admin, "\ufeff".encode() + text.encode(), "copy.json")
    assert response.status_code == 303
    assert status_of("json-2") == "draft"


def test_a_bad_file_is_listed_with_every_problem_and_nothing_is_saved(admin):
    data = yaml.safe_load(STARTER_FRAMEWORK.read_text(encoding="utf-8"))
    data["framework"]["thresholds"] = {"silver": 70, "gold": 60, "platinum": 84}
    data["framework"]["areas"][1]["criteria"][0]["code"] = "DG1"

    response = upload(admin, yaml.safe_dump(data).encode(), "bad.yaml")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The framework file was not loaded" in page
    assert "Nothing was saved" in page
    assert "silver, gold and platinum must increase" in page
    assert "criterion DG1: the code is used twice" in page
    assert counts() == (0, 0, 0)


def test_malformed_yaml_is_refused_with_its_line(admin):
    response = upload(admin, b"framework:\n  name: [oops\n  version: x\n")
    assert response.status_code == 400
    assert "the YAML is malformed at line 3" in response.get_data(as_text=True)


def test_a_file_that_is_not_utf8_is_refused(admin):
    response = upload(admin, "framework:\n  name: Café\n".encode("latin-1"))
    assert response.status_code == 400
    assert "the file is not UTF-8 text" in response.get_data(as_text=True)


def test_a_file_over_the_limit_is_refused(admin, monkeypatch):
    monkeypatch.setattr(frameworks, "FILE_MAX_BYTES", 100)
    response = upload(admin, STARTER_FRAMEWORK.read_bytes()[:500])
    assert response.status_code == 400
    assert "the file is larger than" in response.get_data(as_text=True)
    assert counts() == (0, 0, 0)


def test_a_form_without_a_file_asks_for_one(admin):
    response = post_form(admin, f"{PAGE}/load")
    assert response.status_code == 400
    assert "Choose a framework file to load." in response.get_data(as_text=True)


def test_a_version_already_loaded_is_refused(admin):
    load_starter_framework()
    response = upload(admin, STARTER_FRAMEWORK.read_bytes())
    assert response.status_code == 409
    assert "Version sample-2026 is already loaded" in response.get_data(as_text=True)
    assert counts() == (1, 8, 40)


def test_activating_a_draft_retires_the_active_version(admin):
    make_framework(version="old-1")
    make_framework(version="new-1", activate=False)
    response = post_form(admin, f"{PAGE}/new-1/activate")
    assert response.status_code == 303
    assert (status_of("new-1"), status_of("old-1")) == ("active", "retired")
    page = admin.get(PAGE).get_data(as_text=True)
    assert "Version new-1 is now the active one." in page
    assert "Version old-1 is retired; its assessments are kept." in page


def test_a_retired_version_cannot_be_activated(admin):
    make_framework(version="gone-1", activate=False)
    assert post_form(admin, f"{PAGE}/gone-1/retire").status_code == 303
    assert status_of("gone-1") == "retired"
    response = post_form(admin, f"{PAGE}/gone-1/activate", follow_redirects=True)
    assert "gone-1 is retired" in response.get_data(as_text=True)
    assert status_of("gone-1") == "retired"


def test_an_unknown_version_is_not_found(admin):
    assert post_form(admin, f"{PAGE}/nope/activate").status_code == 404
    assert admin.get(f"{PAGE}/nope.yaml").status_code == 404


def test_a_version_downloads_as_a_yaml_attachment_that_loads_again(admin):
    load_starter_framework()
    response = admin.get(f"{PAGE}/sample-2026.yaml")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="sample-2026.yaml"'
    assert response.mimetype == "application/yaml"
    data = yaml.safe_load(response.get_data(as_text=True))
    assert data["framework"]["version"] == "sample-2026"
    assert len(data["framework"]["areas"]) == 8


@pytest.mark.parametrize("role", ["coordinator", "practitioner"])
def test_only_admins_manage_versions(client, members, sign_in_as, role):
    make_framework(version="draft-1", activate=False)
    sign_in_as(role)
    assert client.get(PAGE).status_code == 403
    assert post_form(client, f"{PAGE}/draft-1/activate").status_code == 403
    assert upload(client, STARTER_FRAMEWORK.read_bytes()).status_code == 403
    assert status_of("draft-1") == "draft"
