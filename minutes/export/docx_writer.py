"""DOCX export (Word, LibreOffice, Pages) via python-docx.

python-docx is imported inside the functions so that ``import minutes.export``
stays cheap for the CLI and the UI.

Fonts: python-docx only sets the Latin font names (``w:ascii``/``w:hAnsi``);
Word then renders Hangul with whatever East-Asian theme font the reader's
Office picks, often a Japanese or Chinese one. So every run, the Normal and
Title styles and the document defaults get an explicit ``w:eastAsia`` font and
the theme font references are removed. Font choices (see resources/fonts.md):
Arial for Latin text (Windows and macOS ship it; LibreOffice substitutes the
metric-compatible Liberation Sans) and Malgun Gothic for Hangul (Windows'
Korean UI font; Office for Mac is expected to bring it, otherwise macOS
substitutes Apple SD Gothic Neo; LibreOffice falls back through
fontconfig to Noto Sans CJK KR or another installed Korean font).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from typing import TYPE_CHECKING

from minutes.export._shared import (
    clock,
    metadata_items,
    paragraphs,
    spoken_segments,
    title_of,
)
from minutes.types import Document

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.text.paragraph import Paragraph as DocxParagraph
    from docx.text.run import Run

LATIN_FONT = "Arial"
BODY_PT = 10.5
BODY_LINE_PT = 16.0
META_PT = 9.0
TITLE_PT = 20.0
TIMESTAMP_GUTTER_CM = 2.0

# Dark, print-friendly colours; each speaker keeps one by order of appearance.
_SPEAKER_COLOURS = ("1F4E79", "7B2C3F", "2E6B30", "5B3F8C", "8A5A00", "1F6F78")
_TEXT_COLOUR = "1F2328"
_MUTED_COLOUR = "6B7280"
_RULE_COLOUR = "C9CDD3"

# Characters XML 1.0 cannot hold; lxml refuses them, so they are dropped.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# Child order of <w:rPr> and <w:pPr> (ECMA-376); Word rejects out-of-order children.
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint",
    "w:noProof", "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing",
    "w:w", "w:kern", "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect",
    "w:bdr", "w:shd", "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang",
    "w:eastAsianLayout", "w:specVanish", "w:oMath",
)  # fmt: skip
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
_STYLE_ORDER_AFTER_RPR = ("w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr")
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


@dataclass(frozen=True)
class Fonts:
    """Font names and language tags written into the document."""

    latin: str
    east_asian: str
    lang: str  # w:lang/@w:val: language of Latin-script text (spell checking)
    east_asian_lang: str | None  # w:lang/@w:eastAsia, None keeps the template's


_CJK_FONTS = {
    "ko": Fonts(LATIN_FONT, "Malgun Gothic", "en-US", "ko-KR"),
    "ja": Fonts(LATIN_FONT, "Yu Gothic", "en-US", "ja-JP"),
    "zh": Fonts(LATIN_FONT, "Microsoft YaHei", "en-US", "zh-CN"),
}
_LANG_TAGS = {"en": "en-US", "de": "de-DE", "fr": "fr-FR", "es": "es-ES", "it": "it-IT"}


def fonts_for(language: str) -> Fonts:
    """Pick fonts and language tags for a document language code.

    Non-CJK documents still get Malgun Gothic as the East-Asian font, because
    speaker names and glossary terms in them are often Korean.

    Args:
        language: ISO 639-1 code as the recogniser reported it (``ko``, ``en``, ``auto``).

    Returns:
        The font choice for every run and style.
    """
    code = language.lower().split("-")[0]
    if code in _CJK_FONTS:
        return _CJK_FONTS[code]
    return Fonts(LATIN_FONT, "Malgun Gothic", _LANG_TAGS.get(code, "en-US"), None)


def render_docx(doc: Document) -> bytes:
    """Render the reviewed transcript as a Word document.

    Args:
        doc: The reviewed document.

    Returns:
        The ``.docx`` file content.

    Raises:
        ImportError: python-docx is not installed.
    """
    import docx

    out = docx.Document()
    fonts = fonts_for(doc.language)
    _setup_styles(out, fonts)
    _setup_page(out, doc, fonts)
    _set_properties(out, doc)
    _add_heading(out, doc, fonts)
    _add_transcript(out, doc, fonts)
    buffer = BytesIO()
    out.save(buffer)
    return buffer.getvalue()


# --- styles and page ----------------------------------------------------------


def _setup_styles(out: DocxDocument, fonts: Fonts) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    defaults = out.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_fonts(rpr, fonts)
            _set_lang(rpr, fonts)

    normal = out.styles["Normal"]
    normal_rpr = _child(normal.element, "w:rPr", _STYLE_ORDER_AFTER_RPR)
    _set_fonts(normal_rpr, fonts)
    _set_lang(normal_rpr, fonts)
    normal.font.size = Pt(BODY_PT)
    normal.font.color.rgb = RGBColor.from_string(_TEXT_COLOUR)
    fmt = normal.paragraph_format
    fmt.space_after = Pt(8)
    # "At least" a fixed height: CJK fonts have taller line metrics than Latin
    # ones, and a multiple would give Korean and English lines uneven spacing.
    fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    fmt.line_spacing = Pt(BODY_LINE_PT)

    title = out.styles["Title"]
    title_rpr = _child(title.element, "w:rPr", _STYLE_ORDER_AFTER_RPR)
    _set_fonts(title_rpr, fonts)
    for tag in ("w:spacing", "w:kern"):  # template's letter-spacing looks odd on Hangul
        _remove(title_rpr, tag)
    title.font.size = Pt(TITLE_PT)
    title.font.bold = True
    title.font.color.rgb = RGBColor.from_string(_TEXT_COLOUR)
    title_ppr = _child(title.element, "w:pPr", ("w:rPr", *_STYLE_ORDER_AFTER_RPR))
    _remove(title_ppr, "w:pBdr")  # the template's blue rule; we draw our own
    title.paragraph_format.space_after = Pt(4)


def _setup_page(out: DocxDocument, doc: Document, fonts: Fonts) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    section = out.sections[0]
    # A4: the paper size nearly everywhere outside North America (and in Korea).
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.2)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.space_after = Pt(0)
    _text_run(footer, f"{title_of(doc)}  ·  ", fonts, size=8, colour=_MUTED_COLOUR)
    _field_run(footer, "PAGE", fonts)
    _text_run(footer, " / ", fonts, size=8, colour=_MUTED_COLOUR)
    _field_run(footer, "NUMPAGES", fonts)


def _set_properties(out: DocxDocument, doc: Document) -> None:
    props = out.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = _xml_safe(title_of(doc))
    props.subject = "Meeting transcript"
    props.author = ""
    props.last_modified_by = ""
    props.comments = "Generated by minutes"
    props.language = doc.language if doc.language != "auto" else ""
    props.keywords = ""
    props.created = props.modified = now
    props.revision = 1


# --- content ------------------------------------------------------------------


def _add_heading(out: DocxDocument, doc: Document, fonts: Fonts) -> None:
    from docx.shared import Pt

    title = out.add_paragraph(style="Title")
    _text_run(title, title_of(doc), fonts)

    meta = out.add_paragraph()
    meta.paragraph_format.space_after = Pt(14)
    _metadata_line(meta, metadata_items(doc, with_model=True), fonts)
    speakers = _speaker_order(doc)
    if speakers:
        # Own line: a long list of names would otherwise wrap mid-metadata.
        meta.runs[-1].add_break()
        _metadata_line(meta, [("Speakers", ", ".join(speakers))], fonts)
    _bottom_rule(meta)


def _metadata_line(meta: DocxParagraph, items: list[tuple[str, str]], fonts: Fonts) -> None:
    for i, (label, value) in enumerate(items):
        if i:
            # No-break space before the dot keeps it off the start of a wrapped line.
            _text_run(meta, "\u00a0\u00a0·   ", fonts, size=META_PT, colour=_RULE_COLOUR)
        _text_run(meta, f"{label}\u00a0", fonts, size=META_PT, colour=_MUTED_COLOUR, bold=True)
        _text_run(meta, value, fonts, size=META_PT, colour=_MUTED_COLOUR)


def _add_transcript(out: DocxDocument, doc: Document, fonts: Fonts) -> None:
    from docx.shared import Cm, Pt

    colours = {name: _SPEAKER_COLOURS[i % len(_SPEAKER_COLOURS)]
               for i, name in enumerate(_speaker_order(doc))}  # fmt: skip
    paras = paragraphs(doc)
    if not paras:
        empty = out.add_paragraph()
        _text_run(empty, "No speech was recognised.", fonts, colour=_MUTED_COLOUR, italic=True)
    for para in paras:
        # Timestamp in a hanging-indent gutter, text aligned to its right.
        p = out.add_paragraph()
        fmt = p.paragraph_format
        fmt.left_indent = Cm(TIMESTAMP_GUTTER_CM)
        fmt.first_line_indent = Cm(-TIMESTAMP_GUTTER_CM)
        fmt.tab_stops.add_tab_stop(Cm(TIMESTAMP_GUTTER_CM))
        fmt.widow_control = True
        stamp = _text_run(p, clock(para.start), fonts, size=META_PT, colour=_MUTED_COLOUR)
        stamp.add_tab()
        if para.speaker:
            colour = colours.get(para.speaker, _TEXT_COLOUR)
            name = _text_run(p, para.speaker, fonts, bold=True, colour=colour)
            name.add_break()
        _text_run(p, para.text, fonts)
        fmt.space_after = Pt(9)


def _speaker_order(doc: Document) -> list[str]:
    """Speaker display names in order of first appearance."""
    seen: dict[str, None] = {}
    for seg in spoken_segments(doc):
        label = doc.speaker_label(seg.speaker)
        if label:
            seen.setdefault(label, None)
    return list(seen)


# --- runs and raw XML ---------------------------------------------------------


def _text_run(
    paragraph: DocxParagraph,
    text: str,
    fonts: Fonts,
    *,
    size: float | None = None,
    colour: str | None = None,
    bold: bool = False,
    italic: bool = False,
) -> Run:
    """Add a run with explicit Latin and East-Asian fonts (every run we create goes here)."""
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(_xml_safe(text))
    _set_fonts(run.element.get_or_add_rPr(), fonts)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    if size is not None:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _field_run(paragraph: DocxParagraph, instruction: str, fonts: Fonts) -> None:
    """Add a simple field (PAGE, NUMPAGES) as begin/instruction/separate/result/end runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def part(tag: str, text: str | None = None, fld_type: str | None = None) -> None:
        run = _text_run(paragraph, "", fonts, size=8, colour=_MUTED_COLOUR)
        elm = OxmlElement(tag)
        if fld_type:
            elm.set(qn("w:fldCharType"), fld_type)
        if text is not None:
            elm.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            elm.text = text
        run.element.append(elm)

    part("w:fldChar", fld_type="begin")
    part("w:instrText", f" {instruction} ")
    part("w:fldChar", fld_type="separate")
    part("w:t", "1")
    part("w:fldChar", fld_type="end")


def _set_fonts(rpr: BaseOxmlElement, fonts: Fonts) -> None:
    from docx.oxml.ns import qn

    rfonts = _child(rpr, "w:rFonts", _RPR_ORDER[_RPR_ORDER.index("w:rFonts") + 1 :])
    # Theme references override explicit names, so they must go.
    for attr in _THEME_FONT_ATTRS:
        rfonts.attrib.pop(qn(attr), None)
    for attr, name in (
        ("w:ascii", fonts.latin),
        ("w:hAnsi", fonts.latin),
        ("w:cs", fonts.latin),
        ("w:eastAsia", fonts.east_asian),
    ):
        rfonts.set(qn(attr), name)


def _set_lang(rpr: BaseOxmlElement, fonts: Fonts) -> None:
    from docx.oxml.ns import qn

    lang = _child(rpr, "w:lang", _RPR_ORDER[_RPR_ORDER.index("w:lang") + 1 :])
    lang.set(qn("w:val"), fonts.lang)
    if fonts.east_asian_lang:
        lang.set(qn("w:eastAsia"), fonts.east_asian_lang)


def _bottom_rule(paragraph: DocxParagraph) -> None:
    """Draw a thin rule under a paragraph (a paragraph border, so it reflows)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = paragraph._p.get_or_add_pPr()
    border = _child(ppr, "w:pBdr", _PPR_ORDER[_PPR_ORDER.index("w:pBdr") + 1 :])
    bottom = OxmlElement("w:bottom")
    for attr, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "8"),
                        ("w:color", _RULE_COLOUR)):  # fmt: skip
        bottom.set(qn(attr), value)
    border.append(bottom)


def _child(parent: BaseOxmlElement, tag: str, successors: Sequence[str]) -> BaseOxmlElement:
    """Return `parent`'s `tag` child, inserting it in schema order if missing."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        parent.insert_element_before(found, *successors)
    return found  # type: ignore[no-any-return]


def _remove(parent: BaseOxmlElement, tag: str) -> None:
    from docx.oxml.ns import qn

    for elm in parent.findall(qn(tag)):
        parent.remove(elm)


def _xml_safe(text: str) -> str:
    return _XML_INVALID.sub("", text)
