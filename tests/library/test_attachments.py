"""Attaching files to library entries through the pages: uploading, the list on the
practice page, downloading with safe headers, removing, the size limit, and who may do
what."""

import html
import io
import re
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import post_form, sign_in
from tests.factories import make_member, make_organisation
from tests.fixtures.library import samples
from tests.library.factories import make_practice
from tests.query_counts import queries_for
from wwc_community.accounts.models import Role
from wwc_community.extensions import db
from wwc_community.library.models import Attachment


def upload(client, practice, data: bytes, filename: str):
    """Send a file through the entry's upload form."""
    return post_form(
        client,
        f"/library/{practice.slug}/attachments",
        {"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def text_of(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def followed(client, response) -> str:
    """The text of the page a 303 leads to (where the flash message is shown)."""
    assert response.status_code == 303, response.get_data(as_text=True)
    return text_of(client.get(response.headers["Location"]))


def stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads"
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.exists() else []


def attachments() -> list[Attachment]:
    return list(db.session.scalars(db.select(Attachment).order_by(Attachment.id)))


def download_address(practice, attachment) -> str:
    return f"/library/{practice.slug}/attachments/{attachment.id}/{quote(attachment.filename)}"


def download(client, address: str):
    """GET a file and close the response (its file is streamed from disk)."""
    response = client.get(address)
    response.get_data()
    response.close()
    return response


@pytest.fixture
def practice(organisation, members):
    return make_practice(organisation, title="Open data inventory guide")


@pytest.fixture
def draft(organisation, members):
    return make_practice(organisation, title="Performance dashboard draft", status="draft")


@pytest.fixture
def partner(client, members):
    sign_in(client, members["partner"].email)
    return members["partner"]


PDF = samples.pdf_with_text("Participatory budgeting in Tulsa", "Turnout rose by 41 percent")


def test_a_partner_attaches_a_pdf_and_everyone_sees_it_listed(app, client, partner, practice):
    page = followed(client, upload(client, practice, PDF, "Tulsa budgeting guide.pdf"))
    assert "“Tulsa budgeting guide.pdf” is attached." in page
    [attachment] = attachments()
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert "Turnout rose by 41 percent" in attachment.extracted_text
    digest = sha256(PDF).hexdigest()
    assert attachment.sha256 == digest
    assert stored_files(app) == [Path(app.instance_path) / "uploads" / digest[:2] / digest]
    assert stored_files(app)[0].read_bytes() == PDF

    # The managing partner sees the upload form and a remove button.
    page = client.get(f"/library/{practice.slug}").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in page and "Remove" in page
    # A visitor sees the file, its type in words, its size and the download link only.
    client.post("/auth/logout", data={"csrf_token": _token(page)})
    visitor_page = client.get(f"/library/{practice.slug}")
    words = text_of(visitor_page)
    assert "Tulsa budgeting guide.pdf" in words
    assert "PDF document" in words and f"{len(PDF)} bytes" in words
    assert download_address(practice, attachment) in visitor_page.get_data(as_text=True)
    assert "Attach the file" not in words and "Remove" not in words


def _token(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


@pytest.mark.parametrize(
    ("data", "filename", "kind", "content_type", "shown_name"),
    [
        (
            samples.docx(),
            "Procurement template.docx",
            "Word document",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Procurement template.docx",
        ),
        (
            samples.xlsx(),
            "Results.xlsx",
            "Excel spreadsheet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Results.xlsx",
        ),
        (
            samples.CSV_WITH_NAMES.encode(),
            "Contacts – Café.csv",
            "CSV table",
            "text/csv; charset=utf-8",
            "Contacts – Café.csv",
        ),
        (
            "Minutes – café, résumé\n".encode("cp1252"),
            "minutes.pdf",
            "Plain text",
            "text/plain; charset=windows-1252",
            "minutes.txt",
        ),
    ],
)
def test_each_accepted_kind_is_stored_with_the_type_found_in_it(
    client, partner, practice, data, filename, kind, content_type, shown_name
):
    page = followed(client, upload(client, practice, data, filename))
    assert f"“{shown_name}” is attached." in page
    [attachment] = attachments()
    assert (attachment.filename, attachment.content_type) == (shown_name, content_type)
    assert kind in text_of(client.get(f"/library/{practice.slug}"))


@pytest.mark.parametrize(
    ("data", "filename", "reason"),
    [
        (samples.HTML_PAGE, "guide.pdf", "This file looks like an HTML page."),
        (samples.SVG_IMAGE, "chart.pdf", "This file looks like an SVG image."),
        (samples.WINDOWS_PROGRAM, "setup.pdf", "This file looks like a Windows program."),
        (samples.plain_zip(), "bundle.docx", "not a Word or Excel file"),
        (samples.docx(macros=True), "macro.docx", "contains macros"),
        (samples.encrypted_pdf(), "locked.pdf", "protected with a password"),
        (samples.GARBAGE_PDF, "broken.pdf", "could not be read"),
        (b"", "empty.pdf", "The file is empty."),
    ],
)
def test_refused_files_are_explained_and_nothing_is_kept(
    app, client, partner, practice, data, filename, reason
):
    page = followed(client, upload(client, practice, data, filename))
    assert reason in page
    if data:
        assert "Attach a PDF, Word (.docx), Excel (.xlsx), CSV or plain-text file." in page
    assert attachments() == [] and stored_files(app) == []


def test_sending_the_form_without_a_file_asks_for_one(client, partner, practice):
    response = post_form(client, f"/library/{practice.slug}/attachments", {})
    assert "Choose a file to attach." in followed(client, response)
    assert attachments() == []


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../../../etc/passwd.csv", "passwd.csv"),
        # Werkzeug reads a backslash in the header as an escape; no separator survives.
        ("..\\..\\instance\\wwc_community.db.csv", "instancewwc_community.db.csv"),
        ("invoice\u202eVSC.exe", "invoiceVSC.csv"),
        ("\u2067report\u2069\x00\x07.csv", "report.csv"),
    ],
)
def test_tricky_names_cannot_reach_the_disk_or_the_header(
    app, client, partner, practice, given, stored
):
    followed(client, upload(client, practice, samples.CSV_WITH_NAMES.encode(), given))
    [attachment] = attachments()
    assert attachment.filename == stored
    digest = attachment.sha256
    assert stored_files(app) == [Path(app.instance_path) / "uploads" / digest[:2] / digest]
    response = download(client, download_address(practice, attachment))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f'attachment; filename="{stored}"'


def test_a_download_is_an_attachment_with_the_checked_type_and_strict_headers(
    client, partner, practice
):
    data = samples.CSV_WITH_NAMES.encode()
    followed(client, upload(client, practice, data, "Résumé données.csv"))
    [attachment] = attachments()
    client.post("/auth/logout", data={"csrf_token": _token(client.get("/").get_data(True))})

    response = download(client, download_address(practice, attachment))
    assert response.status_code == 200
    assert response.data == data
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="Resume donnees.csv"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20donn%C3%A9es.csv"
    )
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_pdf_is_served_as_a_pdf(client, partner, practice):
    followed(client, upload(client, practice, PDF, "guide.PDF"))
    [attachment] = attachments()
    response = download(client, download_address(practice, attachment))
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="guide.PDF"'
    assert response.data == PDF


def test_a_wrong_name_in_the_address_redirects_to_the_right_one(client, partner, practice):
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    [attachment] = attachments()
    response = client.get(f"/library/{practice.slug}/attachments/{attachment.id}/other.html")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(download_address(practice, attachment))


def test_an_attachment_belongs_to_its_own_entry(client, partner, practice, organisation):
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    [attachment] = attachments()
    other = make_practice(organisation, title="Another guide")
    assert client.get(download_address(other, attachment)).status_code == 404
    missing = f"/library/{practice.slug}/attachments/{attachment.id + 99}/guide.pdf"
    assert client.get(missing).status_code == 404
    response = post_form(client, f"/library/{other.slug}/attachments/{attachment.id}/delete")
    assert response.status_code == 404
    assert len(attachments()) == 1


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("visitor", 404),
        ("practitioner", 404),
        ("pending", 404),
        ("partner", 200),
        ("coordinator", 200),
    ],
)
def test_a_drafts_files_are_not_found_by_those_who_may_not_see_it(
    client, members, draft, sign_in_as, role, status
):
    sign_in(client, members["partner"].email)
    followed(client, upload(client, draft, PDF, "draft.pdf"))
    [attachment] = attachments()
    client.post("/auth/logout", data={"csrf_token": _token(client.get("/").get_data(True))})
    sign_in_as(role)
    assert download(client, download_address(draft, attachment)).status_code == status


def test_the_same_bytes_are_stored_once_and_removed_with_their_last_attachment(
    app, client, partner, practice, organisation
):
    second = make_practice(organisation, title="A second guide")
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    followed(client, upload(client, second, PDF, "same guide.pdf"))
    first_row, second_row = attachments()
    assert first_row.sha256 == second_row.sha256
    assert len(stored_files(app)) == 1

    response = post_form(client, f"/library/{practice.slug}/attachments/{first_row.id}/delete")
    assert "“guide.pdf” is removed." in followed(client, response)
    assert [row.id for row in attachments()] == [second_row.id]
    assert len(stored_files(app)) == 1, "the other entry still uses the file"
    assert download(client, download_address(second, second_row)).data == PDF

    post_form(client, f"/library/{second.slug}/attachments/{second_row.id}/delete")
    assert attachments() == [] and stored_files(app) == []


def test_other_organisations_and_members_cannot_attach_or_remove(client, members, practice, draft):
    sign_in(client, members["partner"].email)
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    [attachment] = attachments()
    client.post("/auth/logout", data={"csrf_token": _token(client.get("/").get_data(True))})

    outsider = make_member(Role.PARTNER, organisation=make_organisation("Open Procurement Lab"))
    sign_in(client, outsider.email)
    assert upload(client, practice, PDF, "mine.pdf").status_code == 403
    assert upload(client, draft, PDF, "mine.pdf").status_code == 404
    delete = f"/library/{practice.slug}/attachments/{attachment.id}/delete"
    assert post_form(client, delete).status_code == 403
    assert len(attachments()) == 1


def test_a_coordinator_manages_any_organisations_files(client, members, practice):
    sign_in(client, members["coordinator"].email)
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    [attachment] = attachments()
    followed(
        client, post_form(client, f"/library/{practice.slug}/attachments/{attachment.id}/delete")
    )
    assert attachments() == []


def test_the_page_makes_as_many_queries_with_one_file_as_with_many(client, partner, practice):
    followed(client, upload(client, practice, PDF, "guide.pdf"))
    one = queries_for(client, f"/library/{practice.slug}")
    for number in range(8):
        followed(client, upload(client, practice, f"Notes {number}\n".encode(), f"n{number}.txt"))
    assert queries_for(client, f"/library/{practice.slug}") == one


# The size limit -------------------------------------------------------------------------


@pytest.fixture
def small_limit(app_with):
    """An app that accepts files up to 1,000 bytes, a partner signed in, and an entry."""
    app = app_with(LIBRARY_MAX_UPLOAD_BYTES=1000)
    organisation = make_organisation("Civic Evidence Lab")
    partner = make_member(Role.PARTNER, organisation=organisation)
    client = app.test_client()
    sign_in(client, partner.email)
    return app, client, make_practice(organisation, title="Small files only", author=partner)


def test_a_file_one_byte_over_the_limit_gets_413_and_a_clear_page(small_limit):
    app, client, practice = small_limit
    response = upload(client, practice, b"x" * 1001, "too big.txt")
    assert response.status_code == 413
    page = text_of(response)
    assert "larger than 1000 bytes, the largest file that can be attached" in page
    assert f'href="/library/{practice.slug}#attachments"' in response.get_data(as_text=True)
    assert attachments() == [] and stored_files(app) == []

    exactly = upload(client, practice, b"x" * 1000, "just right.txt")
    assert "“just right.txt” is attached." in followed(client, exactly)


def test_a_request_far_over_the_limit_is_refused_before_it_is_read(app_with):
    app = app_with(LIBRARY_MAX_UPLOAD_BYTES=1000)
    organisation = make_organisation("Civic Evidence Lab")
    partner = make_member(Role.PARTNER, organisation=organisation)
    client = app.test_client()
    sign_in(client, partner.email)
    practice = make_practice(organisation, author=partner)
    response = upload(client, practice, b"x" * (100 * 1024), "huge.txt")
    assert response.status_code == 413
    assert "files up to 1,000 bytes can be attached" in text_of(response)
    assert attachments() == []


def test_the_limit_defaults_to_20_mb_and_other_forms_stay_small(client, partner, practice):
    assert client.application.config["LIBRARY_MAX_UPLOAD_BYTES"] == 20 * 1024 * 1024
    # A file over the 1 MB that other forms may send, encoded by hand (the test client
    # would spool it to a temporary file it never closes).
    data = b"Budget line, amount\n" * (1536 * 1024 // 20)
    boundary = "attachment-test-boundary"
    token = _token(client.get(f"/library/{practice.slug}").get_data(as_text=True))
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n'
            f"{token}\r\n--{boundary}\r\n"
            'Content-Disposition: form-data; name="file"; filename="budget.csv"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = client.post(
        f"/library/{practice.slug}/attachments",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )
    assert "“budget.csv” is attached." in followed(client, response)
    assert attachments()[0].size == len(data)
    response = client.post("/auth/login", data={"email": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_files_go_to_the_shared_storage_folder_when_one_is_set(
    app, client, partner, practice, tmp_path
):
    shared = tmp_path / "shared-storage"
    app.config["FILES_PATH"] = str(shared)
    followed(client, upload(client, practice, PDF, "Tulsa budgeting guide.pdf"))
    digest = sha256(PDF).hexdigest()
    assert (shared / "uploads" / digest[:2] / digest).read_bytes() == PDF
    assert stored_files(app) == []  # nothing in the instance folder
    [attachment] = attachments()
    assert download(client, download_address(practice, attachment)).status_code == 200
