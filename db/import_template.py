"""The import template: an .xlsx with leap's columns, a note on filling it in, one example row."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from db.exporter import atomic_output
from findings.models import SOUTH_CENTRAL, Level, Polarity, Rosh, SourceType, Stage
from findings.spreadsheet import FIELD_LABELS, IMPORT_FIELDS, REQUIRED_FIELDS

if TYPE_CHECKING:
    import sqlite_utils

NOTE = (
    "leap import template: one finding per row, below the headers. Required: {required}. "
    "Dates as 2026-03-01, 01/03/2026 or 1 March 2026. PDU by name or code. Themes: slugs or "
    "names separated by ';'. Leave ID blank for new findings. The example row is synthetic: "
    "delete it. The 'Lists' sheet shows the values each column accepts."
)

EXAMPLE = {
    "source_type": SourceType.SFO_REVIEW.label,
    "source_ref": "SFO-EXAMPLE-001",
    "event_date": date(2026, 3, 1),
    "recorded_date": date(2026, 3, 20),
    "stage": Stage.ASSESSMENT.label,
    "polarity": Polarity.WEAKNESS.value,
    "summary": "Self-reported employment was not verified",
    "narrative": "The practitioner accepted the account at face value and did not contact the "
    "employer. (Synthetic example: delete this row.)",
    "rosh": Rosh.HIGH.label,
    "themes": "professional_curiosity; risk_assessment",
    "levels": "practice; supervision",
}


def write_template(path: Path, db: sqlite_utils.Database | None) -> Path:
    """Write the template; PDUs and themes come from ``db`` when given, else the defaults."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font

    from db.reference import list_pdus, list_themes
    from findings.themes import builtin_themes

    pdus = list_pdus(db) if db is not None else SOUTH_CENTRAL.pdus
    themes = list_themes(db) if db is not None else builtin_themes()
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Findings"
    required = ", ".join(FIELD_LABELS[f] for f in REQUIRED_FIELDS)
    sheet.append([NOTE.format(required=required)])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(IMPORT_FIELDS))
    sheet.row_dimensions[1].height = 48
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append([FIELD_LABELS[f] for f in IMPORT_FIELDS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for index, name in enumerate(IMPORT_FIELDS, start=1):
        sheet.cell(row=2, column=index).comment = (
            Comment("Required", "leap") if name in REQUIRED_FIELDS else None
        )
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = (
            40 if name in ("summary", "narrative", "themes") else 16
        )
    example = dict(EXAMPLE, pdu=pdus[0].name if pdus else "")
    sheet.append([example.get(f, "") for f in IMPORT_FIELDS])
    for cell in sheet[3]:
        if isinstance(cell.value, date):
            cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A3"
    lists = workbook.create_sheet("Lists")
    columns = {
        "Source": [s.label for s in SourceType],
        "Stage": [s.label for s in Stage],
        "Polarity": [p.value for p in Polarity],
        "RoSH": [r.label for r in Rosh],
        "PDU": [p.name for p in pdus],
        "Theme slug": [t.slug for t in themes],
        "Theme name": [t.name for t in themes],
        "Level": [level.value for level in Level],
    }
    lists.append(list(columns))
    for i in range(max(len(v) for v in columns.values())):
        lists.append([v[i] if i < len(v) else None for v in columns.values()])
    with atomic_output(path) as handle:
        workbook.save(handle)
    return path
