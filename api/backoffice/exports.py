"""Exports of an inbox listing: the columns an agent chooses, as CSV, XLSX or ODS,
written row by row so that memory stays flat whatever the number of requests.

CSV is streamed as it is written; XLSX (xlsxwriter in constant-memory mode) and
ODS (a small streaming writer here: odfpy and pyexcel-ods build the whole
document in memory) are written to a temporary file first, since a spreadsheet
is a zip whose index comes last. Text that a spreadsheet would take for a
formula (= + - @ at the start) is written as text: in XLSX and ODS as a string
cell, in CSV behind an apostrophe (OWASP's advice against CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import xlsxwriter  # type: ignore[import-untyped]  # no stubs published
from django.utils import timezone

from api.submissions.models import Submission
from api.workflows.library import compiled

from .queries import citizen_name

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _status(submission: Submission) -> str:
    workflow = compiled(submission.workflow_version_id) if submission.workflow_version_id else None
    status = workflow.status(submission.status) if workflow else None
    return status.label.fr if status else submission.status


def flat(value: Any) -> str | int | float:
    """An answer as one cell: numbers stay numbers, the rest becomes readable text."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, (int, float)):
        return value
    if value is None:
        return ""
    if isinstance(value, list):
        return " ; ".join(str(flat(item)) for item in value)
    if isinstance(value, dict):
        if "name" in value and "id" in value:  # a file
            return str(value["name"])
        if {"lat", "lon"} <= value.keys():
            return f"{value['lat']}, {value['lon']}"
        if "street" in value:
            return ", ".join(str(value[key]) for key in ("street", "complement", "postcode", "city") if value.get(key))
        return ", ".join(f"{key}: {flat(item)}" for key, item in value.items())
    return str(value)


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    read: Callable[[Submission], Any]


BUILT_IN: dict[str, Column] = {
    column.name: column
    for column in [
        Column("reference", "Référence", lambda s: s.reference or ""),
        Column("procedure", "Démarche", lambda s: s.procedure.title),
        Column("status", "Statut", _status),
        Column("submitted_at", "Envoyée le", lambda s: _when(s.submitted_at)),
        Column("status_since", "Dans ce statut depuis", lambda s: _when(s.status_since)),
        Column("closed_at", "Terminée le", lambda s: _when(s.closed_at)),
        Column("deadline", "Échéance", lambda s: _when(s.deadline)),
        Column("role", "Service", lambda s: s.role.name if s.role else ""),
        Column("assignee", "Agent", lambda s: s.assignee.get_full_name() or s.assignee.username if s.assignee else ""),
        Column("citizen", "Demandeur", citizen_name),
        Column("tracking_code", "Code de suivi", lambda s: s.tracking_code or ""),
    ]
}
DEFAULT_COLUMNS = ["reference", "procedure", "status", "submitted_at", "citizen", "assignee"]


def column(name: str) -> Column | None:
    """A built-in column, ``data.<field>`` (an answer) or ``backoffice.<field>``."""
    if name in BUILT_IN:
        return BUILT_IN[name]
    prefix, _dot, field = name.partition(".")
    if prefix not in ("data", "backoffice") or not field or not field.replace("_", "a").isalnum():
        return None
    return Column(name, field, lambda s: flat(getattr(s, prefix).get(field)))


def rows(queryset: Iterable[Submission], columns: list[Column]) -> Iterator[list[Any]]:
    for submission in queryset:
        yield [flat(col.read(submission)) for col in columns]


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_chunks(header: list[str], body: Iterable[list[Any]]) -> Iterator[str]:
    """CSV (RFC 4180, UTF-8 with a BOM so that spreadsheets read accents right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(header)
    for count, row in enumerate(body, start=1):
        writer.writerow([_safe_text(value) for value in row])
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_xlsx(path: Path, header: list[str], body: Iterable[list[Any]], progress: Callable[[int], None]) -> int:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Demandes")
    bold = workbook.add_format({"bold": True})
    for index, title in enumerate(header):
        sheet.write_string(0, index, title, bold)
    count = 0
    for count, row in enumerate(body, start=1):
        for index, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(count, index, value)
            else:
                sheet.write_string(count, index, str(value))
        progress(count)
    workbook.close()
    return count


ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""
ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Demandes">'
)
ODS_TAIL = "</table:table></office:spreadsheet></office:body></office:document-content>"


def _ods_cell(value: Any) -> str:
    if isinstance(value, (int, float)):
        return f'<table:table-cell office:value-type="float" office:value={quoteattr(repr(value))}/>'
    text = escape(_xml_text(str(value)))
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def _xml_text(text: str) -> str:
    """Characters XML 1.0 cannot hold (control characters) are left out."""
    return "".join(ch for ch in text if ch in "\t\n\r" or ord(ch) >= 0x20)


def write_ods(path: Path, header: list[str], body: Iterable[list[Any]], progress: Callable[[int], None]) -> int:
    count = 0
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), FORMATS["ods"])  # first and stored, as ODF requires
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)
        entry = zipfile.ZipInfo("content.xml", date_time=(2026, 1, 1, 0, 0, 0))
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w") as content:
            content.write(ODS_HEAD.encode())
            content.write(("<table:table-row>" + "".join(map(_ods_cell, header)) + "</table:table-row>").encode())
            for count, row in enumerate(body, start=1):
                content.write(("<table:table-row>" + "".join(map(_ods_cell, row)) + "</table:table-row>").encode())
                progress(count)
            content.write(ODS_TAIL.encode())
    return count


WRITERS = {"xlsx": write_xlsx, "ods": write_ods}
