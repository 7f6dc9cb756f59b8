"""Exports of coded excerpts (Markdown, Word, LibreOffice, CSV, JSON) behind the name gate."""

from recits.exports.excerpts import (
    FORMATS,
    ExportPreview,
    ExportRefused,
    ExportResult,
    default_path,
    preview_export,
    write_export,
)
from recits.exports.gate import Leak
from recits.exports.selection import ExportFilters, Selection

__all__ = [
    "FORMATS",
    "ExportFilters",
    "ExportPreview",
    "ExportRefused",
    "ExportResult",
    "Leak",
    "Selection",
    "default_path",
    "preview_export",
    "write_export",
]
