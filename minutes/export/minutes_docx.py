"""DOCX minutes: title, metadata, sections, an action-items table, optional transcript.

Built on the transcript exporter's helpers (`minutes.export.docx_writer`),
so fonts are handled the same way: every run, style and the document
defaults carry an explicit East-Asian font (Malgun Gothic, with fontconfig
falling back to Noto Sans CJK KR) and theme font references are removed,
which is what keeps Word from rendering Hangul in a Japanese or Chinese
face. Headings get the same treatment here because python-docx's template
styles them with theme fonts.
"""

from __future__ import annotations

from io import BytesIO
from typing import TYPE_CHECKING

from minutes.export._shared import clock
from minutes.export.docx_writer import (
    _MUTED_COLOUR,
    _STYLE_ORDER_AFTER_RPR,
    _TEXT_COLOUR,
    META_PT,
    Fonts,
    _add_transcript,
    _bottom_rule,
    _child,
    _metadata_line,
    _remove,
    _set_fonts,
    _set_properties,
    _setup_page,
    _setup_styles,
    _text_run,
    fonts_for,
)
from minutes.export.minutes_formats import _meta_items, _template, labels, resolve_due
from minutes.meeting import ActionItem, Minutes, Note, first_time
from minutes.types import Document

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.text.paragraph import Paragraph as DocxParagraph

HEADING_COLOUR = "1F4E79"
_HEADER_FILL = "EEF2F6"
_BORDER_COLOUR = "C9CDD3"
# Column widths of the action-items table (cm): #, task, owner, due, time. A4 minus margins = 16.6.
_COLUMNS_CM = (0.8, 7.7, 2.6, 3.6, 1.9)


def render_minutes_docx(minutes: Minutes, document: Document | None = None) -> bytes:
    """Render minutes as a Word document.

    Args:
        minutes: The minutes.
        document: The reviewed transcript; when given it is appended after a page break.

    Returns:
        The ``.docx`` file content.

    Raises:
        ImportError: python-docx is not installed.
    """
    import docx

    out = docx.Document()
    fonts = fonts_for(minutes.language)
    shell = Document(
        title=minutes.title,
        language=minutes.language,
        duration=minutes.source_duration,
        segments=(),
    )
    _setup_styles(out, fonts)
    _setup_headings(out, fonts)
    _setup_page(out, shell, fonts)
    _set_properties(out, shell)
    out.core_properties.subject = "Meeting minutes"
    _add_title(out, minutes, fonts)
    tpl = _template(minutes)
    for section in tpl.sections:
        heading = out.add_heading(level=1)
        _text_run(heading, tpl.heading(section, minutes.language), fonts)
        _add_section(out, minutes, section, fonts)
    if document is not None and document.segments:
        _add_appendix(out, document, minutes, fonts)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def _setup_headings(out: DocxDocument, fonts: Fonts) -> None:
    from docx.shared import Pt, RGBColor

    for name, size, before in (("Heading 1", 13.5, 16), ("Heading 2", 11.5, 10)):
        style = out.styles[name]
        rpr = _child(style.element, "w:rPr", _STYLE_ORDER_AFTER_RPR)
        _set_fonts(rpr, fonts)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(
            HEADING_COLOUR if name == "Heading 1" else _TEXT_COLOUR
        )
        fmt = style.paragraph_format
        fmt.space_before = Pt(before)
        fmt.space_after = Pt(4)
        fmt.keep_with_next = True
    bullet = out.styles["List Bullet"]
    _set_fonts(_child(bullet.element, "w:rPr", _STYLE_ORDER_AFTER_RPR), fonts)
    bullet.paragraph_format.space_after = Pt(3)


def _add_title(out: DocxDocument, minutes: Minutes, fonts: Fonts) -> None:
    from docx.shared import Pt

    title = out.add_paragraph(style="Title")
    _text_run(title, minutes.title, fonts)
    meta = out.add_paragraph()
    meta.paragraph_format.space_after = Pt(10)
    items = _meta_items(minutes)
    attendees = [i for i in items if i[0] == labels(minutes.language)["attendees"]]
    others = [i for i in items if i not in attendees]
    if others:
        _metadata_line(meta, others, fonts)
    if attendees:
        if others:
            meta.runs[-1].add_break()  # own line: a long list of names would wrap mid-line
        _metadata_line(meta, attendees, fonts)
    if not items:
        _text_run(meta, " ", fonts, size=META_PT)
    _bottom_rule(meta)


def _add_section(out: DocxDocument, minutes: Minutes, section: str, fonts: Fonts) -> None:
    lab = labels(minutes.language)
    if section == "summary":
        _para(out, minutes.summary, fonts) if minutes.summary else _none(out, lab, fonts)
    elif section == "discussion":
        if not minutes.topics:
            _none(out, lab, fonts)
        for topic in minutes.topics:
            heading = out.add_heading(level=2)
            _text_run(heading, topic.title, fonts)
            _stamp_run(heading, minutes, topic.segment_ids, fonts)
            for point in topic.points:
                _text_run(out.add_paragraph(style="List Bullet"), point, fonts)
    elif section == "action_items":
        _action_table(out, minutes, minutes.action_items, fonts) if minutes.action_items else _none(
            out, lab, fonts
        )
    else:
        notes: tuple[Note, ...] = (
            minutes.decisions if section == "decisions" else minutes.open_questions
        )
        if not notes:
            _none(out, lab, fonts)
        for note in notes:
            p = out.add_paragraph(style="List Bullet")
            _text_run(p, note.text, fonts)
            _stamp_run(p, minutes, note.segment_ids, fonts)


def _para(out: DocxDocument, text: str, fonts: Fonts) -> None:
    _text_run(out.add_paragraph(), text, fonts)


def _none(out: DocxDocument, lab: dict[str, str], fonts: Fonts) -> None:
    _text_run(out.add_paragraph(), lab["none"], fonts, colour=_MUTED_COLOUR, italic=True)


def _stamp_run(
    paragraph: DocxParagraph, minutes: Minutes, ids: tuple[int, ...], fonts: Fonts
) -> None:
    t = first_time(minutes, ids)
    if t is not None:
        _text_run(
            paragraph,
            f"  {clock(t)}",
            fonts,
            size=META_PT,
            colour=_MUTED_COLOUR,
            bold=False,
        )


def _action_table(
    out: DocxDocument, minutes: Minutes, items: tuple[ActionItem, ...], fonts: Fonts
) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Cm, Pt

    lab = labels(minutes.language)
    table = out.add_table(rows=1, cols=len(_COLUMNS_CM))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    headers = ("#", lab["task"], lab["owner"], lab["due"], lab["time"])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        _cell_text(cell, text, fonts, bold=True)
        _shade(cell, _HEADER_FILL)
    _repeat_header(table.rows[0])
    for n, item in enumerate(items, start=1):
        cells = table.add_row().cells
        due = item.due or ""
        resolved = resolve_due(item.due, minutes.date)
        if resolved is not None and resolved.isoformat() not in due:
            due = f"{due} ({resolved:%m/%d})"
        t = first_time(minutes, item.segment_ids)
        box = "☑ " if item.done else ""
        values = (str(n), box + item.text, item.owner or "", due, clock(t) if t is not None else "")
        for cell, text in zip(cells, values, strict=True):
            _cell_text(cell, text, fonts)
    # LibreOffice sizes columns from the table grid, Word from the cells: set both.
    for column, width in zip(table.columns, _COLUMNS_CM, strict=True):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, _COLUMNS_CM, strict=True):
            cell.width = Cm(width)
    _borders(table)
    # A small paragraph after the table: Word wants one there, and a full-height
    # empty line would leave a gap before the next heading.
    spacer = out.add_paragraph().paragraph_format
    spacer.space_after = spacer.space_before = 0
    spacer.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    spacer.line_spacing = Pt(2)


def _cell_text(cell: object, text: str, fonts: Fonts, *, bold: bool = False) -> None:
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    _text_run(paragraph, text, fonts, size=9.5, bold=bold)


def _shade(cell: object, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tcpr.insert_element_before(
        shd, "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark"
    )


def _repeat_header(row: object) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    trpr.append(header)


def _borders(table: object) -> None:
    """Thin grey borders and some cell padding (python-docx's default table has none)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tblpr = table._tbl.tblPr  # type: ignore[attr-defined]
    _remove(tblpr, "w:tblBorders")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), "4")
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), _BORDER_COLOUR)
        borders.append(el)
    # Schema order matters to Word: borders before layout/margins/look.
    tblpr.insert_element_before(
        borders,
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    )
    margins = OxmlElement("w:tblCellMar")
    for edge, width in (("top", 60), ("bottom", 60), ("left", 100), ("right", 100)):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(width))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    _remove(tblpr, "w:tblCellMar")
    tblpr.insert_element_before(
        margins, "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange"
    )


def _add_appendix(out: DocxDocument, document: Document, minutes: Minutes, fonts: Fonts) -> None:
    heading = out.add_heading(level=1)
    heading.paragraph_format.page_break_before = True
    _text_run(heading, labels(minutes.language)["transcript"], fonts)
    _add_transcript(out, document, fonts)
