"""Word document plumbing shared by the briefing and the bulletin: page, fields, tables, saving."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from panels.text import xml_safe

TABLE_STYLES = ("Light Grid Accent 1", "Table Grid")
"""Preferred built-in table styles, best first; a template lacking one falls back to the next."""


class DocumentWriteError(OSError):
    """The document could not be written where asked; nothing was left there."""


def new_document(template: Path | None = None) -> Any:
    """A blank A4 document, or the template's styles, headers and footers with its body cleared."""
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    if template is not None:
        try:
            doc = Document(str(template))
        except Exception as exc:  # noqa: BLE001 - any unreadable template gets the same message
            raise DocumentWriteError(f"cannot use {template} as a template: {exc}") from None
        body = doc.element.body
        for child in list(body):
            if child.tag != qn("w:sectPr"):
                body.remove(child)
    else:
        doc = Document()
        for section in doc.sections:
            section.left_margin = section.right_margin = Mm(20)
            section.top_margin = section.bottom_margin = Mm(20)
        _house_fonts(doc)
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
    return doc


BODY_FONT = "Arial"


def _house_fonts(doc: Any) -> None:
    """Arial throughout (a template brings its own fonts instead)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    for name in (
        "Normal",
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "Caption",
        "Quote",
        "TOC Heading",
    ):
        try:
            style = doc.styles[name]
        except KeyError:
            continue
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        style.font.name = BODY_FONT
    normal = doc.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)


def text_width(doc: Any) -> Any:
    """The width available between the margins of the first section."""
    from docx.shared import Emu

    section = doc.sections[0]
    return Emu(section.page_width - section.left_margin - section.right_margin)


def set_properties(doc: Any, *, title: str, subject: str, now: datetime) -> None:
    """Core document properties: title, subject, author and dates."""
    props = doc.core_properties
    props.title = xml_safe(title)
    props.subject = xml_safe(subject)
    props.author = "leap"
    props.last_modified_by = "leap"
    props.created = now
    props.modified = now
    props.keywords = "LEAP; learning; probation"


def _field_runs(paragraph: Any, instruction: str, placeholder: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(placeholder)
    paragraph.add_run()._r.append(fld_char("end"))


def add_toc(doc: Any, entries: Sequence[tuple[int, str]]) -> None:
    """A table-of-contents field (Word rebuilds it on opening); until then it lists ``entries``."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    first = doc.add_paragraph()
    first.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instr)
    first.add_run()._r.append(fld_char("separate"))
    paragraph = first
    for index, (level, text) in enumerate(entries):
        if index:
            paragraph = doc.add_paragraph()
        style = f"TOC {level}"
        with contextlib.suppress(KeyError):
            paragraph.style = doc.styles[style]
        paragraph.add_run(("    " * (level - 1)) + xml_safe(text))
    if not entries:
        paragraph.add_run("Right-click and choose Update Field to build the contents.")
    paragraph.add_run()._r.append(fld_char("end"))
    # Ask Word to refresh fields (contents, page numbers) when the document is opened.
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.append(update)


def add_page_numbers(doc: Any, label: str) -> None:
    """'label · Page N of M' in every section's footer, unless a template already has a footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    for section in doc.sections:
        footer = section.footer
        if any(p.text.strip() for p in footer.paragraphs) and not footer.is_linked_to_previous:
            existing = footer.paragraphs[-1]
            paragraph = footer.add_paragraph() if existing.text.strip() else existing
        else:
            footer.is_linked_to_previous = False
            paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(f"{xml_safe(label)} · Page ")
        _field_runs(paragraph, "PAGE", "1")
        paragraph.add_run(" of ")
        _field_runs(paragraph, "NUMPAGES", "1")
        for run in paragraph.runs:
            run.font.size = Pt(8)


def style_or_default(doc: Any, names: Sequence[str]) -> str | None:
    """The first of ``names`` the document's styles define."""
    for name in names:
        try:
            doc.styles[name]
        except KeyError:
            continue
        return name
    return None


def add_table(
    doc: Any,
    headers: Sequence[str] | None,
    rows: Sequence[Sequence[str]],
    widths_cm: Sequence[float],
    *,
    font_pt: float = 9,
    bold_rows: Sequence[int] = (),
    bold_columns: Sequence[int] = (),
) -> Any:
    """A table in a built-in style, header row repeated on each page, columns at fixed widths.

    Rows are written as XML in one parse: python-docx's cell-by-cell API takes seconds on the
    hundreds of rows an appendix can hold.
    """
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm

    scale = min(1.0, text_width(doc).cm / sum(widths_cm))
    widths = [Cm(w * scale) for w in widths_cm]
    table = doc.add_table(rows=0, cols=len(widths))
    style = style_or_default(doc, TABLE_STYLES)
    if style:
        table.style = doc.styles[style]
    table.autofit = False
    _look(table, header=bool(headers))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    twips = [w.twips for w in widths]
    size = round(font_pt * 2)
    bold_set, bold_cols = set(bold_rows), set(bold_columns)
    parts = []
    if headers:
        parts.append(_row_xml(headers, twips, size, header=True, bold_all=True, bold_cols=set()))
    for index, values in enumerate(rows):
        parts.append(
            _row_xml(
                values, twips, size, header=False, bold_all=index in bold_set, bold_cols=bold_cols
            )
        )
    if parts:
        holder = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(parts)}</w:tbl>")
        for tr in list(holder):
            table._tbl.append(tr)
    return table


def _look(table: Any, *, header: bool) -> None:
    """Style the header row only: no bold first column, no column banding (rows stay banded)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        tbl_pr.append(look)
    flags = {
        "w:firstRow": header,
        "w:lastRow": False,
        "w:firstColumn": False,
        "w:lastColumn": False,
        "w:noHBand": False,
        "w:noVBand": True,
    }
    look.set(qn("w:val"), f"{(0x0020 if header else 0) | 0x0400:04X}")
    for name, on in flags.items():
        look.set(qn(name), "1" if on else "0")


def _row_xml(
    values: Sequence[str],
    twips: Sequence[int],
    size: int,
    *,
    header: bool,
    bold_all: bool,
    bold_cols: set[int],
) -> str:
    cells = []
    for column, (text, width) in enumerate(zip(values, twips, strict=True)):
        run_props = f'{"<w:b/>" if bold_all or column in bold_cols else ""}<w:sz w:val="{size}"/>'
        lines = xml_escape(xml_safe(str(text))).split("\n")
        body = '</w:t><w:br/><w:t xml:space="preserve">'.join(lines)
        cells.append(
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>'
            '<w:p><w:pPr><w:spacing w:after="0"/></w:pPr>'
            f'<w:r><w:rPr>{run_props}</w:rPr><w:t xml:space="preserve">{body}</w:t></w:r>'
            "</w:p></w:tc>"
        )
    row_props = (
        '<w:trPr><w:cantSplit/><w:tblHeader w:val="true"/></w:trPr>'
        if header
        else ("<w:trPr><w:cantSplit/></w:trPr>")
    )
    return f"<w:tr>{row_props}{''.join(cells)}</w:tr>"


def save_atomically(doc: Any, path: Path) -> Path:
    """Save beside ``path`` under a temporary name, then move it into place in one step."""
    path = Path(path).expanduser()
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise DocumentWriteError(f"{path} is a folder; give a file name ending .docx")
    if not folder.is_dir():
        raise DocumentWriteError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".docx", dir=folder)
    except OSError as exc:
        raise DocumentWriteError(f"cannot write in {folder}: {exc.strerror or exc}") from None
    os.close(handle)
    try:
        doc.save(temp_name)
        os.replace(temp_name, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise DocumentWriteError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    return path
