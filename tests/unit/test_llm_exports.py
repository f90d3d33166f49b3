"""Minutes exports: Markdown checklist, CSV, iCalendar (RFC 5545) and DOCX."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from minutes.export.errors import ExportError
from minutes.export.minutes_formats import (
    export_minutes,
    render_action_items_csv,
    render_action_items_ics,
    render_minutes_md,
    resolve_due,
)
from minutes.meeting import ActionItem
from minutes.types import Document, Segment, Transcript
from tests.unit.test_llm_minutes_io import sample_minutes

MEETING = "2025-05-07T10:00:00+09:00"  # a Wednesday


def test_markdown_has_sections_checklist_and_times() -> None:
    md = render_minutes_md(sample_minutes())
    assert md.startswith("# 주간 회의\n")
    assert "**일시:** 2025-05-07 10:00" in md and "**참석자:** 김과장, 이대리" in md
    for heading in ("## 요약", "## 논의 내용", "## 결정 사항", "## 할 일", "## 미결 사항"):
        assert heading in md
    assert "- [ ] QA 체크리스트 작성 — **이대리** · 기한: 목요일까지 [00:01:20]" in md
    assert "- [x] 릴리스 노트; 공지, 작성 [00:01:35]" in md
    assert "### 배포 [00:01:05]" in md


def test_csv_is_excel_friendly() -> None:
    minutes = sample_minutes()
    items = (*minutes.action_items, ActionItem('=HYPERLINK("x")', "-me", None, ()))
    from dataclasses import replace

    data = render_action_items_csv(replace(minutes, action_items=items))
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8 Hangul
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0]["task"] == "QA 체크리스트 작성" and rows[0]["due_date"] == "2025-05-08"
    assert rows[0]["time"] == "00:01:20" and rows[1]["done"] == "yes"
    assert rows[2]["task"].startswith("'=") and rows[2]["owner"] == "'-me"


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        ("목요일까지", date(2025, 5, 8)),
        ("다음 주 월요일", date(2025, 5, 12)),
        ("by Friday", date(2025, 5, 9)),
        ("next Friday", date(2025, 5, 16)),
        ("5월 20일", date(2025, 5, 20)),
        ("May 3", date(2025, 5, 3)),
        ("2025-06-01", date(2025, 6, 1)),
        ("내일", date(2025, 5, 8)),
        ("3일 안으로", date(2025, 5, 10)),
        ("in 2 weeks", date(2025, 5, 21)),
        ("이번 주까지", date(2025, 5, 9)),
        ("1월 5일", date(2026, 1, 5)),
        ("soon", None),
        ("", None),
    ],
)
def test_resolve_due(due: str, expected: date | None) -> None:
    assert resolve_due(due, MEETING) == expected


def test_relative_due_needs_the_meeting_date() -> None:
    assert resolve_due("금요일까지", None) is None
    assert resolve_due("2025-06-01", None) == date(2025, 6, 1)


def test_ics_is_valid_rfc5545() -> None:
    minutes = sample_minutes()
    long_item = ActionItem("매우 긴 작업 설명 " * 12, "박팀장", "2025-06-01", (3,))
    from dataclasses import replace

    minutes = replace(minutes, action_items=(*minutes.action_items, long_item))
    data = render_action_items_ics(minutes, now=datetime(2025, 5, 7, 1, 0, tzinfo=UTC))
    text = data.decode("utf-8")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    assert text.count("BEGIN:VTODO") == 3
    assert "SUMMARY:릴리스 노트\\; 공지\\, 작성" in text
    assert "DUE;VALUE=DATE:20250508" in text and "STATUS:COMPLETED" in text

    icalendar = pytest.importorskip("icalendar")
    cal = icalendar.Calendar.from_ical(data)
    todos = cal.walk("VTODO")
    assert [str(t["SUMMARY"]) for t in todos][:2] == [
        "QA 체크리스트 작성",
        "릴리스 노트; 공지, 작성",
    ]
    assert str(todos[2]["SUMMARY"]) == long_item.text
    assert todos[0]["DUE"].dt == date(2025, 5, 8)
    assert str(todos[0]["UID"]) == f"{minutes.action_items[0].id}@minutes.local"
    assert "담당: 이대리" in str(todos[0]["DESCRIPTION"])


def _doc() -> Document:
    segs = (
        Segment(3, 65.0, 70.0, "금요일에 배포합시다", speaker="a"),
        Segment(4, 80.5, 85.0, "QA 체크리스트는 제가 쓸게요", speaker="b"),
    )
    return Document.build(
        Transcript("ko", 1830.0, segs), speaker_names={"a": "김과장"}, title="주간 회의"
    )


def test_docx_has_fonts_table_and_appendix() -> None:
    from minutes.export.minutes_docx import render_minutes_docx

    data = render_minutes_docx(sample_minutes(), _doc())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = z.read("word/document.xml").decode("utf-8")
        styles = z.read("word/styles.xml").decode("utf-8")
    assert "<w:tbl>" in body and "QA 체크리스트 작성" in body
    assert 'w:eastAsia="Malgun Gothic"' in body and "w:eastAsiaTheme" not in body
    assert styles
    assert "녹취록" in body and "제가 쓸게요" in body  # transcript appendix
    assert "(05/08)" in body  # resolved due date next to the stated one
    without = render_minutes_docx(sample_minutes())
    with zipfile.ZipFile(io.BytesIO(without)) as z:
        assert "녹취록" not in z.read("word/document.xml").decode("utf-8")
    import docx

    parsed = docx.Document(io.BytesIO(data))
    from docx.oxml.ns import qn

    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        fonts = parsed.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "Malgun Gothic", name
        assert fonts.get(qn("w:eastAsiaTheme")) is None, name
    assert parsed.tables[0].rows[1].cells[1].text == "QA 체크리스트 작성"
    assert [p.text for p in parsed.paragraphs if p.style.name == "Heading 1"][:2] == [
        "요약",
        "논의 내용",
    ]


def test_export_minutes_writes_all_formats(tmp_path: Path) -> None:
    paths = export_minutes(
        sample_minutes(), tmp_path, "weekly", ["md", "docx", "csv", "ics", "json"], _doc()
    )
    assert sorted(p.name for p in paths) == sorted(
        [
            "weekly.minutes.md",
            "weekly.minutes.docx",
            "weekly.actions.csv",
            "weekly.actions.ics",
            "weekly.minutes.json",
        ]
    )
    with pytest.raises(ExportError, match="unknown minutes format"):
        export_minutes(sample_minutes(), tmp_path, "x", ["pdf"])


def test_no_action_items_no_empty_calendar(tmp_path: Path) -> None:
    """RFC 5545 needs at least one component: no VCALENDAR without a VTODO."""
    from dataclasses import replace

    empty = replace(sample_minutes(), action_items=())
    with pytest.raises(ExportError, match="no action items"):
        render_action_items_ics(empty)
    paths = export_minutes(empty, tmp_path, "quiet", ["md", "csv", "ics"])
    assert sorted(p.name for p in paths) == ["quiet.actions.csv", "quiet.minutes.md"]
    assert not (tmp_path / "quiet.actions.ics").exists()
