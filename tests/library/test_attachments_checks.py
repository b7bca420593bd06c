"""What a file is, read from its bytes: the kinds the library accepts, what it refuses and
why, the words found inside, and the names offered on download."""

import pytest

from tests.fixtures.library import samples
from wwc_community.core.errors import Invalid
from wwc_community.library.attachments import (
    ACCEPTED,
    EXTRACTED_TEXT_MAX_CHARS,
    check_file,
    clean_filename,
    content_disposition,
    name_for_kind,
)


def test_a_pdf_is_accepted_and_its_words_are_extracted():
    checked = check_file(
        samples.pdf_with_text("Participatory budgeting in Tulsa", "Turnout rose (41%) in 2023")
    )
    assert checked.content_type == "application/pdf"
    assert checked.kind.label == "PDF document"
    assert "Participatory budgeting in Tulsa" in checked.text
    assert "Turnout rose (41%) in 2023" in checked.text


def test_word_and_excel_files_are_accepted():
    assert check_file(samples.docx()).content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert check_file(samples.xlsx()).content_type == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.mark.parametrize(
    ("data", "charset"),
    [
        (samples.CSV_WITH_NAMES.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + samples.CSV_WITH_NAMES.encode("utf-8"), "utf-8"),
        ("city,contact\nSan José,José Núñez\nZürich,Zoë\n".encode("cp1252"), "windows-1252"),
    ],
    ids=["utf-8", "utf-8 with a byte-order mark", "windows-1252"],
)
def test_csv_in_each_encoding_keeps_its_names(data, charset):
    checked = check_file(data, "contacts.csv")
    assert checked.content_type == f"text/csv; charset={charset}"
    assert "José Núñez" in checked.text
    assert not checked.text.startswith("\ufeff")


def test_rows_that_split_alike_are_csv_whatever_the_name():
    assert check_file(b"year;amount\n2023;10\n2024;12\n", "export").kind.label == "CSV table"


def test_prose_is_plain_text():
    checked = check_file(samples.PLAIN_TEXT.encode(), "notes.txt")
    assert checked.content_type == "text/plain; charset=utf-8"
    assert "working group" in checked.text


def test_a_csv_whose_first_cell_begins_like_a_program_is_still_text():
    assert check_file(b"MZ district,total\nNorth,4\n", "totals.csv").kind.label == "CSV table"


def test_extracted_text_is_capped():
    line = "Open data inventory row with a few words in it\n"
    data = (line * (EXTRACTED_TEXT_MAX_CHARS // len(line) + 100)).encode()
    assert len(check_file(data, "big.txt").text) == EXTRACTED_TEXT_MAX_CHARS


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (samples.HTML_PAGE, "This file looks like an HTML page."),
        (b"\xef\xbb\xbf  \n\t<!doctype html><p>hi</p>", "This file looks like an HTML page."),
        (b"<script>alert(1)</script>", "This file looks like an HTML page."),
        (samples.SVG_IMAGE, "This file looks like an SVG image."),
        (samples.BARE_SVG, "This file looks like an SVG image."),
        (b'<?xml version="1.0"?><rss/>', "This file looks like an XML document."),
        (samples.WINDOWS_PROGRAM, "This file looks like a Windows program."),
        (samples.LINUX_PROGRAM, "This file looks like a Linux program."),
        (samples.plain_zip(), "This file looks like a ZIP archive, not a Word or Excel file."),
        (samples.docx(macros=True), "This Office file contains macros"),
        (samples.encrypted_zip_docx(), "This file is encrypted"),
        (samples.encrypted_pdf(), "This PDF is protected with a password"),
        (samples.GARBAGE_PDF, "This PDF could not be read"),
        (b"%PDF-1.4\n", "This PDF could not be read"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "This file looks like a PNG image."),
        ("Notes".encode("utf-16"), "This text is saved as UTF-16"),
        (b"year,amount\x00\x01\x02", "This file looks like binary data, not text."),
        (b"line one\x1b[31m red\n", "This file looks like binary data, not text."),
        (b"PK\x03\x04 truncated", "This file looks like a damaged ZIP archive."),
    ],
    ids=[
        "html",
        "html after a bom and spaces",
        "script",
        "svg with xml declaration",
        "bare svg",
        "xml",
        "windows program",
        "linux program",
        "zip that is not office",
        "macro-enabled word",
        "encrypted zip",
        "encrypted pdf",
        "garbage pdf",
        "pdf header only",
        "png",
        "utf-16",
        "nul bytes",
        "escape codes",
        "broken zip",
    ],
)
def test_refused_files_say_what_is_accepted_and_what_the_file_looks_like(data, reason):
    with pytest.raises(Invalid) as refused:
        check_file(data, "report.pdf")
    assert refused.value.message.startswith(ACCEPTED)
    assert reason in refused.value.message


def test_an_empty_file_is_refused():
    with pytest.raises(Invalid, match="The file is empty"):
        check_file(b"", "empty.pdf")


@pytest.mark.parametrize(
    ("given", "cleaned"),
    [
        ("../../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        ("C:\\Users\\ana\\Budget 2024.xlsx", "Budget 2024.xlsx"),
        (".htaccess", "htaccess"),
        ("...", "attachment"),
        ("", "attachment"),
        ("report\u202etxt.exe", "reporttxt.exe"),
        ("\u2066invoice\u2069.pdf", "invoice.pdf"),
        ("zero\u200bwidth\ufeff.csv", "zerowidth.csv"),
        ("line\nbreak\r\x00\x1f.txt", "linebreak.txt"),
        ("Cafe\u0301 menu.csv", "Caf\u00e9 menu.csv"),
        ('quote" <angle> pipe|star*?.pdf', "quote_ _angle_ pipe_star__.pdf"),
        ("lots     of\u00a0\u2003spaces .pdf", "lots of spaces .pdf"),
        ("Résumé données.csv", "Résumé données.csv"),
    ],
)
def test_names_lose_paths_controls_and_unicode_tricks(given, cleaned):
    assert clean_filename(given) == cleaned


def test_long_names_keep_their_extension():
    name = clean_filename("a" * 300 + ".pdf")
    assert len(name) == 150 and name.endswith("aaa.pdf")


@pytest.mark.parametrize(
    ("name", "kind_of_sample", "expected"),
    [
        ("report.pdf", samples.PLAIN_TEXT.encode(), "report.txt"),
        ("data", samples.CSV_WITH_NAMES.encode(), "data.csv"),
        ("Notes.TXT", samples.PLAIN_TEXT.encode(), "Notes.TXT"),
        ("guide.docx", samples.pdf_with_text("Guide"), "guide.pdf"),
        ("results.xlsx", samples.xlsx(), "results.xlsx"),
        ("v2.final", samples.docx(), "v2.docx"),
    ],
)
def test_the_download_name_carries_the_extension_of_what_the_file_is(
    name, kind_of_sample, expected
):
    assert name_for_kind(name, check_file(kind_of_sample, name).kind) == expected


def test_the_download_header_has_an_ascii_name_and_the_exact_one():
    assert content_disposition("Budget 2024.xlsx") == 'attachment; filename="Budget 2024.xlsx"'
    header = content_disposition("Résumé données.csv")
    assert header == (
        'attachment; filename="Resume donnees.csv"; '
        "filename*=UTF-8''R%C3%A9sum%C3%A9%20donn%C3%A9es.csv"
    )
    assert content_disposition("報告.pdf").startswith('attachment; filename="attachment.pdf"; ')
