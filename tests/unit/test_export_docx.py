"""DOCX export: content, East-Asian fonts on every run, and a LibreOffice render check."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from minutes.export import export_document
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
)

W_RFONTS = qn("w:rFonts")
W_EAST_ASIA = qn("w:eastAsia")


def korean_document() -> Document:
    segments = (
        Segment(0, 3.0, 7.5, "주간 회의를 시작하겠습니다. 오늘 안건은 세 가지입니다.", (), "S0"),
        Segment(1, 8.0, 12.0, "첫째 쿠베 네티스 이전 일정입니다.", (), "S0"),
        Segment(2, 62.0, 66.0, "Sounds good. Let's review the rollback plan.", (), "S1"),
        Segment(3, 67.0, 69.0, "bad\x00control\x01chars", (), "S1"),
    )
    fix = Correction(
        1, 3, 9, "쿠베 네티스", "쿠버네티스", CorrectionSource.GLOSSARY,
        status=CorrectionStatus.ACCEPTED,
    )  # fmt: skip
    return Document.build(
        Transcript("ko", 75.0, segments, model="large-v3"),
        [fix],
        title="주간 회의 Weekly sync",
        speaker_names={"S0": "김민수", "S1": "Jane Park"},
        created="2024-05-14T10:00:00+09:00",
    )


def english_document() -> Document:
    segments = (Segment(0, 0.0, 2.0, "Hello and welcome.", ()),)
    return Document.build(Transcript("en", 2.0, segments), title="")


def _all_runs(d: docx.document.Document) -> list[object]:
    parts = [d.element.body]
    parts += [s.footer._element for s in d.sections]
    parts += [s.header._element for s in d.sections]
    return [r for part in parts for r in part.iter(qn("w:r"))]


def test_docx_content(tmp_path: Path) -> None:
    path = export_document(korean_document(), "docx", tmp_path / "a.docx")
    d = docx.Document(str(path))
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == "주간 회의 Weekly sync"
    assert d.paragraphs[0].style is not None and d.paragraphs[0].style.name == "Title"
    meta = texts[1]
    for expected in ("2024-05-14 10:00", "00:01:15", "Korean (ko)", "large-v3"):
        assert expected in meta
    assert "Speakers\u00a0김민수, Jane Park" in meta
    body = "\n".join(texts[2:])
    assert "00:00:03\t김민수\n주간 회의를 시작하겠습니다." in body
    assert "첫째 쿠버네티스 이전 일정입니다." in body  # the accepted correction
    assert "00:01:02\tJane Park\nSounds good." in body
    assert "badcontrolchars" in body  # XML-invalid characters dropped, not fatal
    names = ("김민수", "Jane Park")
    speaker_runs = [r for p in d.paragraphs[2:] for r in p.runs if r.text.strip() in names]
    assert len(speaker_runs) == 2 and all(r.bold for r in speaker_runs)
    assert d.core_properties.title == "주간 회의 Weekly sync"


@pytest.mark.parametrize("make", [korean_document, english_document])
def test_every_run_has_an_east_asian_font(tmp_path: Path, make: object) -> None:
    path = export_document(make(), "docx", tmp_path / "a.docx")  # type: ignore[operator]
    d = docx.Document(str(path))
    runs = _all_runs(d)
    assert len(runs) > 5
    for run in runs:
        rfonts = run.find(f"{qn('w:rPr')}/{W_RFONTS}")  # type: ignore[attr-defined]
        assert rfonts is not None, docx.oxml.xmlchemy.serialize_for_reading(run)
        assert rfonts.get(W_EAST_ASIA) == "Malgun Gothic"
        assert rfonts.get(qn("w:ascii")) == "Arial"


def test_styles_carry_fonts_and_language(tmp_path: Path) -> None:
    d = docx.Document(str(export_document(korean_document(), "docx", tmp_path / "a.docx")))
    for style_id in ("Normal", "Title"):
        rfonts = d.styles[style_id].element.find(f"{qn('w:rPr')}/{W_RFONTS}")
        assert rfonts is not None and rfonts.get(W_EAST_ASIA) == "Malgun Gothic"
        assert rfonts.get(qn("w:eastAsiaTheme")) is None  # a theme font would win
    lang = d.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert lang is not None and lang.get(W_EAST_ASIA) == "ko-KR"
    defaults = d.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(W_RFONTS).get(W_EAST_ASIA) == "Malgun Gothic"
    assert defaults.find(qn("w:lang")).get(W_EAST_ASIA) == "ko-KR"


def test_english_document_language_and_placeholder(tmp_path: Path) -> None:
    doc = english_document()
    d = docx.Document(str(export_document(doc, "docx", tmp_path / "a.docx")))
    lang = d.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "en-US"
    assert d.paragraphs[0].text == "Transcript"
    assert "00:00:00\tHello and welcome." in [p.text for p in d.paragraphs]

    empty = Document.build(Transcript("en", 0.0, ()), title="Empty")
    d = docx.Document(str(export_document(empty, "docx", tmp_path / "b.docx")))
    assert d.paragraphs[-1].text == "No speech was recognised."


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    _soffice() is None or shutil.which("pdftotext") is None,
    reason="needs LibreOffice (soffice) and pdftotext: "
    "apt-get install libreoffice-writer fonts-noto-cjk poppler-utils",
)
def test_libreoffice_renders_hangul(tmp_path: Path) -> None:
    path = export_document(korean_document(), "docx", tmp_path / "a.docx")
    profile = tmp_path / "lo-profile"  # private profile: never clash with a running soffice
    subprocess.run(
        [str(_soffice()), f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "a.pdf"
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout  # fmt: skip
    for expected in ("주간 회의", "김민수", "쿠버네티스", "Jane Park", "1 / 1"):
        assert expected in text, text
