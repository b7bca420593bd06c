"""Files attached to library entries: what a file really is (read from its bytes, never
from its name), where its bytes live, the words inside it, and the verbs that attach,
remove and open attachments.

The bytes are stored under the instance folder as uploads/<first two hex>/<sha256>,
written atomically, so the same file attached twice (to any entries) is stored once.
The name a member gave the file is cleaned for display and download only: it never
becomes part of a path.

Files are removed after the commit that deleted their last row (see discard_unused_file).
Two cases leave a file behind, harmlessly: an upload whose transaction then fails, and an
entry deleted with its attachments by the database's cascade. Such orphans are never
served (every download goes through a row) and are reused if the same bytes come again.
"""

import csv
import io
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path
from urllib.parse import quote

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wwc_community.accounts.models import Member
from wwc_community.core.errors import Invalid, NotFound, NotPermitted
from wwc_community.library.models import Attachment, Practice
from wwc_community.library.services import may_manage

ACCEPTED = "Attach a PDF, Word (.docx), Excel (.xlsx), CSV or plain-text file."
FILENAME_MAX_LENGTH = 150
EXTRACTED_TEXT_MAX_CHARS = 200_000
# Extraction runs inside the upload request: a long report is cut at this many pages.
PDF_PAGE_LIMIT = 200
# An Office file is a ZIP; more parts than this is not a document anyone wrote.
ZIP_MAX_ENTRIES = 10_000
CONTENT_TYPES_MAX_BYTES = 1024 * 1024
# Room in an upload request for the form around the file (the CSRF token, multipart
# framing), above the file's own limit.
UPLOAD_FORM_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileKind:
    """An accepted kind of file: its MIME type, the extensions it is saved with (the
    first is the one given when the name has another) and its name in words."""

    mime_type: str
    extensions: tuple[str, ...]
    label: str


PDF = FileKind("application/pdf", (".pdf",), "PDF document")
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
    "Word document",
)
XLSX = FileKind(
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    (".xlsx",),
    "Excel spreadsheet",
)
CSV = FileKind("text/csv", (".csv",), "CSV table")
TEXT = FileKind("text/plain", (".txt", ".md", ".text"), "Plain text")
KINDS = {kind.mime_type: kind for kind in (PDF, DOCX, XLSX, CSV, TEXT)}

# The main part's content type in [Content_Types].xml: a plain document or workbook (not
# a template, not macro-enabled).
OFFICE_MAIN_PARTS = {
    "word/document.xml": (DOCX, b"wordprocessingml.document.main+xml"),
    "xl/workbook.xml": (XLSX, b"spreadsheetml.sheet.main+xml"),
}

# Magic numbers of files people commonly attach by mistake, to say what the file is. The
# text check refuses all of them anyway (NUL bytes, controls); these give a clearer reason.
# A signature made of letters ("MZ") only counts when binary bytes follow, so that a CSV
# whose first cell starts with those letters is still text.
KNOWN_SIGNATURES = (
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xfe\xed\xfa\xce", "a Mac program"),
    (b"\xfe\xed\xfa\xcf", "a Mac program"),
    (b"\xce\xfa\xed\xfe", "a Mac program"),
    (b"\xcf\xfa\xed\xfe", "a Mac program"),
    (b"\xca\xfe\xba\xbe", "a program"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an older Office file (.doc or .xls) or a password-protected one: save it as "
        ".docx or .xlsx without a password",
    ),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"RIFF", "a media file"),
    (b"\x1f\x8b", "a compressed (gzip) archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
)
UTF8_BOM = b"\xef\xbb\xbf"
# Control characters that have no place in text (tab, line feed, form feed and carriage
# return are fine).
_BINARY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# What a browser would sniff as markup: "<" then a letter, "!", "?" or "/".
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARKUP_START = re.compile(r"<[a-z!?/]", re.IGNORECASE)


class FileRefused(Invalid):
    """The file is not one the library accepts; the message says what is accepted."""

    def __init__(self, why: str):
        super().__init__(f"{ACCEPTED} {why}", field="file")


class FileTooLarge(Invalid):
    """The file is over the configured size limit."""

    status_code = 413


@dataclass(frozen=True)
class CheckedFile:
    """What a file turned out to be: its kind, the exact content type to serve it with,
    and the words found in it."""

    kind: FileKind
    content_type: str
    text: str = ""


# What a file is -------------------------------------------------------------------------


def check_file(data: bytes, filename: str = "") -> CheckedFile:
    """Find what `data` is from its content alone, or raise FileRefused saying why.

    The name only chooses between CSV and plain text, two kinds that are equally safe.
    """
    if not data:
        raise Invalid("The file is empty. Choose a file with something in it.", field="file")
    if data.startswith(b"%PDF-"):
        return _check_pdf(data)
    if data.startswith(b"PK\x03\x04"):
        return _check_office(data)
    if data.startswith(b"{\\rtf"):
        raise FileRefused("This file looks like a rich-text (.rtf) document: save it as .docx.")
    binary_start = _BINARY_BYTES.search(data[:512]) is not None
    for signature, description in KNOWN_SIGNATURES:
        if data.startswith(signature) and (binary_start or not signature.isalpha()):
            raise FileRefused(f"This file looks like {description}.")
    return _check_text(data, filename)


def _check_pdf(data: bytes) -> CheckedFile:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
        page_count = 0 if encrypted else len(reader.pages)
    # A damaged PDF fails in many ways inside pypdf (its own errors, but also ValueError,
    # KeyError, RecursionError...); each means the same thing to the member.
    except Exception as error:  # noqa: BLE001
        raise FileRefused(
            "This PDF could not be read: it may be damaged. Save or export it again."
        ) from error
    if encrypted:
        raise FileRefused(
            "This PDF is protected with a password or encryption: save a copy without it."
        )
    return CheckedFile(PDF, PDF.mime_type, _pdf_text(reader, page_count))


def _pdf_text(reader, page_count: int) -> str:
    """The text of the first pages, up to the cap. A page whose text cannot be extracted
    is skipped: the file is still a readable PDF."""
    parts, length = [], 0
    for number in range(min(page_count, PDF_PAGE_LIMIT)):
        try:
            text = reader.pages[number].extract_text() or ""
        except Exception:  # noqa: BLE001 - see _check_pdf
            continue
        parts.append(text)
        length += len(text) + 1
        if length >= EXTRACTED_TEXT_MAX_CHARS:
            break
    return _clean_text("\n".join(parts))


def _check_office(data: bytes) -> CheckedFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused("This file looks like a damaged ZIP archive.") from error
    if len(entries) > ZIP_MAX_ENTRIES:
        raise FileRefused("This file looks like a ZIP archive, not a Word or Excel file.")
    names = {entry.filename for entry in entries}
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise FileRefused("This file is encrypted: save a copy without a password.")
    if any("vbaproject" in name.lower() for name in names):
        raise FileRefused("This Office file contains macros: save it as .docx or .xlsx.")
    main = [OFFICE_MAIN_PARTS[name] for name in OFFICE_MAIN_PARTS if name in names]
    if "[Content_Types].xml" not in names or len(main) != 1:
        raise FileRefused("This file looks like a ZIP archive, not a Word or Excel file.")
    kind, main_type = main[0]
    try:
        with archive.open("[Content_Types].xml") as part:
            content_types = part.read(CONTENT_TYPES_MAX_BYTES)
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
        raise FileRefused("This file looks like a damaged Word or Excel file.") from error
    if b"macroenabled" in content_types.lower():
        raise FileRefused("This Office file contains macros: save it as .docx or .xlsx.")
    if main_type not in content_types:
        raise FileRefused(
            "This file looks like an Office template or another Office format: "
            "save it as a .docx or .xlsx file."
        )
    return CheckedFile(kind, kind.mime_type)


def _check_text(data: bytes, filename: str) -> CheckedFile:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileRefused("This text is saved as UTF-16: save it as UTF-8 and attach it again.")
    if b"\x00" in data:
        raise FileRefused("This file looks like binary data, not text.")
    text, charset = _decode(data)
    if text is None or _BINARY_CONTROLS.search(text):
        raise FileRefused("This file looks like binary data, not text.")
    start = text.lstrip(" \t\r\n\f\ufeff")
    if _MARKUP_START.match(start):
        raise FileRefused(f"This file looks like {_markup_description(start)}.")
    kind = CSV if _looks_like_csv(text, filename) else TEXT
    return CheckedFile(
        kind, f"{kind.mime_type}; charset={charset}", _clean_text(text[:EXTRACTED_TEXT_MAX_CHARS])
    )


def _decode(data: bytes) -> tuple[str | None, str]:
    """The text and its charset: UTF-8 (with or without a byte-order mark), else
    Windows-1252; None when it is neither."""
    if data.startswith(UTF8_BOM):
        try:
            return data[len(UTF8_BOM) :].decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            return None, ""
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return None, ""


def _markup_description(start: str) -> str:
    head = start[:200].lower()
    if "<svg" in head:
        return "an SVG image"
    if head.startswith("<?xml"):
        return "an XML document"
    return "an HTML page"


def _looks_like_csv(text: str, filename: str) -> bool:
    """A .csv name with text in it, or rows that split the same way on one delimiter."""
    if filename.lower().rstrip(" .").endswith(".csv"):
        return True
    lines = [line for line in text[:20_000].splitlines() if line.strip()][:20]
    if len(lines) < 2:
        return False
    for delimiter in (",", ";", "\t"):
        try:
            widths = {len(row) for row in csv.reader(lines, delimiter=delimiter)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() > 1:
            return True
    return False


def _clean_text(text: str) -> str:
    """Text for the search index: no NUL (PostgreSQL refuses it), capped."""
    return text.replace("\x00", "")[:EXTRACTED_TEXT_MAX_CHARS]


# Names ----------------------------------------------------------------------------------

# Unicode categories with no business in a file name: controls, format characters (bidi
# overrides and isolates, zero-width characters), surrogates, private use, unassigned.
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
# Characters that Windows refuses in names, and that would need quoting in a header.
_RESERVED = set('<>:"|?*')
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def clean_filename(name: str) -> str:
    """A name fit to show and to offer on download: the last part of any path, without
    control or format characters, leading dots or runs of spaces, at most 150 characters
    with its extension kept. Never used as a path."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    characters = []
    for character in name:
        category = unicodedata.category(character)
        if category in _DROPPED_CATEGORIES:
            continue
        if category in ("Zs", "Zl", "Zp"):
            character = " "
        elif character in _RESERVED:
            character = "_"
        characters.append(character)
    name = re.sub(r" {2,}", " ", "".join(characters)).strip(" .")
    if not name:
        return "attachment"
    return _shorten(name, FILENAME_MAX_LENGTH)


def _shorten(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    match = _EXTENSION.search(name)
    extension = match.group(0) if match else ""
    return name[: limit - len(extension)].rstrip(" .") + extension


def name_for_kind(name: str, kind: FileKind) -> str:
    """`name` with the extension of what the file really is ("report.pdf" that holds
    plain text becomes "report.txt")."""
    match = _EXTENSION.search(name)
    if match and match.group(0).lower() in kind.extensions:
        return name
    stem = name[: match.start()] if match else name
    return _shorten((stem or "attachment") + kind.extensions[0], FILENAME_MAX_LENGTH)


def ascii_filename(name: str) -> str:
    """The plain-ASCII name for browsers that do not read RFC 5987's filename*."""
    simple = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    simple = re.sub(r"[^A-Za-z0-9 ._()\[\]+,=-]", "_", simple).strip(" ._")
    match = _EXTENSION.search(name)
    if not simple or simple == (match.group(0).strip(".") if match else ""):
        simple = "attachment" + (match.group(0) if match else "")
    return simple


def content_disposition(name: str) -> str:
    """`attachment` with the name, in ASCII and (when it is not ASCII) as RFC 5987 UTF-8."""
    fallback = ascii_filename(name)
    header = f'attachment; filename="{fallback}"'
    if fallback != name:
        header += f"; filename*=UTF-8''{quote(name, safe='')}"
    return header


def kind_of(attachment: Attachment) -> FileKind:
    """The kind an attachment was found to be."""
    return KINDS.get(attachment.content_type.split(";")[0].strip(), TEXT)


def size_in_words(size: int) -> str:
    """ "840 bytes", "12 KB", "3.4 MB"."""
    if size < 1024:
        return f"{size} byte{'' if size == 1 else 's'}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# Storage --------------------------------------------------------------------------------


def uploads_folder(folder: str = "uploads") -> Path:
    """Stored files live under FILES_PATH: the instance folder on one machine, storage
    that every web host mounts when there are several."""
    return Path(current_app.config.get("FILES_PATH") or current_app.instance_path) / folder


def stored_path(digest: str, folder: str = "uploads") -> Path:
    """Where the bytes with this SHA-256 live (in the instance folder's `folder`, a name
    the code gives, never a member). The digest is checked to be 64 hex digits, so
    nothing else can become part of the path."""
    if not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise ValueError(f"not a SHA-256 digest: {digest!r}")
    return uploads_folder(folder) / digest[:2] / digest


def store_bytes(data: bytes, folder: str = "uploads") -> str:
    """Write `data` under its SHA-256 (once: the same bytes are already there) and return
    the digest. A temporary file renamed into place means a reader never sees half a file."""
    digest = sha256(data).hexdigest()
    path = stored_path(digest, folder)
    if path.is_file() and path.stat().st_size == len(data):
        return digest
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return digest


def discard_unused_file(session: Session, digest: str) -> bool:
    """Delete the stored bytes when no attachment uses them any more; call after the
    commit that removed the last row. True when a file was deleted."""
    in_use = session.scalar(select(func.count()).where(Attachment.sha256 == digest))
    if in_use:
        return False
    path = stored_path(digest)
    if path.is_file():
        path.unlink(missing_ok=True)
        return True
    return False


# Verbs ----------------------------------------------------------------------------------


def max_upload_bytes() -> int:
    return current_app.config["LIBRARY_MAX_UPLOAD_BYTES"]


def limit_in_words() -> str:
    """The size limit as people say it: "20 MB"."""
    megabytes = max_upload_bytes() / (1024 * 1024)
    return f"{megabytes:g} MB" if megabytes >= 1 else size_in_words(max_upload_bytes())


def max_upload_request_bytes() -> int:
    """The largest request body the upload route reads: the file and its form."""
    return max_upload_bytes() + UPLOAD_FORM_OVERHEAD_BYTES


def read_upload(stream, limit: int | None = None) -> bytes:
    """Read an uploaded file, refusing it as soon as it passes the limit."""
    limit = max_upload_bytes() if limit is None else limit
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FileTooLarge(
            f"This file is larger than {limit_in_words()}, the largest file that can be "
            "attached. Make it smaller (for example, export the PDF at a lower quality) "
            "or link to it instead."
        )
    return data


def attach_file(
    session: Session, actor: Member, practice: Practice, filename: str, data: bytes
) -> Attachment:
    """Attach the file `data` (uploaded as `filename`) to `practice`: check what it is,
    store its bytes and add the row with its cleaned name and the words inside it."""
    _check_manager(actor, practice)
    if len(data) > max_upload_bytes():
        raise FileTooLarge(f"This file is larger than {limit_in_words()}.")
    cleaned = clean_filename(filename)
    checked = check_file(data, cleaned)
    digest = store_bytes(data)
    attachment = Attachment(
        practice_id=practice.id,
        filename=name_for_kind(cleaned, checked.kind),
        content_type=checked.content_type,
        size=len(data),
        sha256=digest,
        extracted_text=checked.text,
        uploaded_by_id=actor.id,
    )
    session.add(attachment)
    session.flush()
    return attachment


def get_attachment(session: Session, practice: Practice, attachment_id: int) -> Attachment:
    """The attachment of `practice` with this id (the caller has checked who may see the
    entry), or NotFound."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None or attachment.practice_id != practice.id:
        raise NotFound("There is no such attachment on this entry.")
    return attachment


def remove_attachment(
    session: Session, actor: Member, practice: Practice, attachment_id: int
) -> Attachment:
    """Remove an attachment from `practice`. Its bytes stay until the caller commits and
    calls discard_unused_file with the returned row's sha256."""
    _check_manager(actor, practice)
    attachment = get_attachment(session, practice, attachment_id)
    session.delete(attachment)
    session.flush()
    return attachment


def open_attachment(attachment: Attachment) -> Path:
    """The stored file of an attachment, or NotFound when its bytes are missing."""
    path = stored_path(attachment.sha256)
    if not path.is_file():
        current_app.logger.error(
            "The bytes of attachment %s (%s) are missing", attachment.id, attachment.sha256
        )
        raise NotFound("This file is missing. Tell the entry's publisher.")
    return path


def attachments_of(session: Session, practice: Practice) -> list[Attachment]:
    """The entry's attachments, oldest first (one query)."""
    return list(
        session.scalars(
            select(Attachment).where(Attachment.practice_id == practice.id).order_by(Attachment.id)
        )
    )


def _check_manager(actor: Member | None, practice: Practice) -> None:
    if not may_manage(actor, practice.organisation_id):
        raise NotPermitted("Only the publishing organisation's staff can change its files.")
