"""SRT and WebVTT exports: formats parse back, times are monotonic, cues stay short."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.export import export_document
from minutes.export.subtitles import (
    MAX_CUE_SECONDS,
    MAX_LINE_WIDTH,
    MAX_WIDE_LINE_CHARS,
    Cue,
    build_cues,
    display_width,
    line_width,
    render_srt,
    render_vtt,
    srt_time,
    vtt_time,
)
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
    Word,
)

_SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"
_VTT_TIME = r"(\d{2}):(\d{2}):(\d{2})\.(\d{3})"

LONG_KO = (
    "오늘 회의에서는 다음 분기 로드맵과 쿠버네티스 클러스터 이전 일정을 논의하겠습니다 "
    "먼저 인프라 팀부터 진행 상황을 공유해 주시고 그다음에 데이터 팀 순서로 진행하겠습니다"
)


@dataclass
class ParsedCue:
    start: float
    end: float
    lines: list[str]


def _seconds(match: tuple[str, ...]) -> float:
    h, m, s, ms = (int(x) for x in match)
    return h * 3600 + m * 60 + s + ms / 1000


def parse_srt(text: str) -> list[ParsedCue]:
    """Strict little SRT parser: index line, time line, text lines, blank separator."""
    cues = []
    for number, block in enumerate(text.strip("\n").split("\n\n"), start=1):
        lines = block.split("\n")
        assert lines[0] == str(number)
        m = re.fullmatch(f"{_SRT_TIME} --> {_SRT_TIME}", lines[1])
        assert m, lines[1]
        assert len(lines) >= 3, block
        cues.append(ParsedCue(_seconds(m.groups()[:4]), _seconds(m.groups()[4:]), lines[2:]))
    return cues


def parse_vtt(text: str) -> list[ParsedCue]:
    """Strict little WebVTT parser for what we write (no cue ids, no settings)."""
    blocks = text.strip("\n").split("\n\n")
    assert blocks[0] == "WEBVTT"
    cues = []
    for block in blocks[1:]:
        lines = block.split("\n")
        m = re.fullmatch(f"{_VTT_TIME} --> {_VTT_TIME}", lines[0])
        assert m, lines[0]
        assert len(lines) >= 2 and all(lines[1:]), block
        cues.append(ParsedCue(_seconds(m.groups()[:4]), _seconds(m.groups()[4:]), lines[1:]))
    return cues


def assert_monotonic(cues: list[ParsedCue]) -> None:
    prev_end = 0.0
    for cue in cues:
        assert cue.start >= prev_end - 1e-9, (cue, prev_end)
        assert cue.end >= cue.start
        prev_end = cue.end


def _vtt_plain(line: str) -> str:
    line = re.sub(r"^<v [^>]*>", "", line)
    return line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def make_doc(segments: tuple[Segment, ...], **kwargs: object) -> Document:
    return Document.build(Transcript("ko", 600.0, segments), **kwargs)  # type: ignore[arg-type]


def sample_doc() -> Document:
    words = tuple(
        Word(10.0 + i, 10.8 + i, (" " if i else "") + w) for i, w in enumerate(LONG_KO.split())
    )
    segments = (
        Segment(0, 0.5, 3.0, "안녕하세요 <모두> & 환영합니다", (), "SPEAKER_00"),
        Segment(1, 10.0, 10.0 + len(words), LONG_KO, words, "SPEAKER_01"),
        # Overlaps the previous segment (ends at 32.8): cue times must be clamped.
        Segment(2, 31.0, 36.0, "Thanks, that is a very clear summary of where we are.", (), None),
    )
    fix = Correction(
        1, LONG_KO.index("쿠버네티스"), LONG_KO.index("쿠버네티스") + 5, "쿠버네티스",
        "Kubernetes", CorrectionSource.GLOSSARY, status=CorrectionStatus.ACCEPTED,
    )  # fmt: skip
    return make_doc(segments, corrections=[fix], speaker_names={"SPEAKER_00": "김민수"})


def test_time_formats() -> None:
    assert srt_time(3725.5) == "01:02:05,500"
    assert vtt_time(1.0) == "00:00:01.000"
    assert srt_time(0.0006) == "00:00:00,001"
    assert vtt_time(-3) == "00:00:00.000"


def test_srt_parses_back_with_speaker_prefix(tmp_path: Path) -> None:
    path = export_document(sample_doc(), "srt", tmp_path / "a.srt")
    cues = parse_srt(path.read_text("utf-8"))
    assert_monotonic(cues)
    assert cues[0].start == 0.5 and cues[0].end == 3.0
    # Two lines now: at 24 characters this Korean line exceeds the limit for wide script.
    assert " ".join(cues[0].lines) == "김민수: 안녕하세요 <모두> & 환영합니다"
    long_cues = cues[1:-1]
    assert len(long_cues) >= 3  # the long segment is split
    assert long_cues[0].lines[0].startswith("SPEAKER_01: ")
    assert not long_cues[1].lines[0].startswith("SPEAKER_01")  # prefix only on its first cue
    joined = " ".join(" ".join(c.lines) for c in long_cues).removeprefix("SPEAKER_01: ")
    assert joined == LONG_KO.replace("쿠버네티스", "Kubernetes")


def test_vtt_parses_back_with_voice_tags_and_escapes(tmp_path: Path) -> None:
    text = export_document(sample_doc(), "vtt", tmp_path / "a.vtt").read_text("utf-8")
    assert text.startswith("WEBVTT\n\n")
    cues = parse_vtt(text)
    assert_monotonic(cues)
    assert cues[0].lines[0] == "<v 김민수>안녕하세요 &lt;모두&gt; &amp; 환영합니다"
    assert all(c.lines[0].startswith("<v SPEAKER_01>") for c in cues[1:-1])
    assert not cues[-1].lines[0].startswith("<v")  # no speaker, no voice tag
    assert "-->" not in "".join(line for c in cues for line in c.lines)


def test_cues_are_at_most_two_short_lines() -> None:
    for cue in build_cues(sample_doc(), speaker_prefix=True):
        assert 1 <= len(cue.lines) <= 2
        assert all(display_width(line) <= MAX_LINE_WIDTH for line in cue.lines), cue.lines
        assert all(line_length(line) <= MAX_LINE_WIDTH for line in cue.lines), cue.lines


def test_split_cues_follow_word_timestamps() -> None:
    cues = [c for c in build_cues(sample_doc(), speaker_prefix=False) if c.speaker == "SPEAKER_01"]
    assert len(cues) >= 3
    word_starts = {10.0 + i for i in range(len(LONG_KO.split()))}
    for cue in cues[1:]:
        # Each later cue starts near a word's start (within its 0.8 s span).
        assert min(abs(cue.start - w) for w in word_starts) < 0.8
    assert cues[0].start == 10.0
    assert cues[-1].end == 10.0 + len(LONG_KO.split())


def test_overlapping_segments_are_clamped() -> None:
    cues = build_cues(sample_doc(), speaker_prefix=False)
    assert cues[-2].end == 32.0  # the long segment's end
    assert cues[-1].start == 32.0  # was 31.0 in the transcript
    assert cues[-1].lines == ("Thanks, that is a very clear", "summary of where we are.")


def test_cjk_without_spaces_is_cut() -> None:
    doc = make_doc((Segment(0, 0.0, 20.0, "あ" * 100, ()),))
    cues = build_cues(doc, speaker_prefix=False)
    assert "".join(line for c in cues for line in c.lines) == "あ" * 100
    assert all(display_width(line) <= MAX_LINE_WIDTH for c in cues for line in c.lines)


def test_empty_document_gives_empty_srt_and_header_only_vtt() -> None:
    doc = make_doc((Segment(0, 0.0, 1.0, "  ", ()),))
    assert render_srt(doc) == ""
    assert render_vtt(doc) == "WEBVTT\n"


_words = st.text(alphabet="가나다라마바사아자차카타파하abcdefg<&", min_size=1, max_size=15)


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.lists(_words, min_size=1, max_size=40), min_size=1, max_size=5),
    gaps=st.lists(st.floats(-2.0, 5.0), min_size=5, max_size=5),
)
def test_property_cues_well_formed(texts: list[list[str]], gaps: list[float]) -> None:
    segments, t = [], 0.0
    for i, words in enumerate(texts):
        start = max(0.0, t + gaps[i])
        segments.append(Segment(i, round(start, 3), round(start + 4, 3), " ".join(words), (), "S"))
        t = start + 4
    doc = make_doc(tuple(segments))
    srt = parse_srt(render_srt(doc))
    vtt = parse_vtt(render_vtt(doc))
    assert_monotonic(srt)
    assert_monotonic(vtt)
    assert " ".join(_vtt_plain(x) for c in vtt for x in c.lines) == " ".join(
        " ".join(w) for w in texts
    )
    for cue in vtt:
        assert len(cue.lines) <= 2
        assert all(display_width(_vtt_plain(x)) <= MAX_LINE_WIDTH for x in cue.lines)
        assert all(line_length(_vtt_plain(x)) <= MAX_LINE_WIDTH for x in cue.lines)


# --- Long segments split at clause and word boundaries, within subtitle limits ---

KO_MEETING = (
    "오늘 회의에서는 쿠버네티스 업그레이드 일정을 정하고, 다음 주 배포 전에 QA 체크리스트를 "
    "모두 끝내기로 했습니다. 그리고 비용 보고서는 이대리가 정리합니다."
)
EN_PLAN = (
    "So the plan for this quarter is to finish the migration to the new cluster, and after "
    "that we will start the cost review with the finance team. Any questions so far?"
)
LONG_KO_WORD = "초거대언어모델기반회의록자동요약서비스통합플랫폼"  # 25 syllables, no space
LONG_URL = "https://example.com/a/very/long/path/that/never/ends/in/one/line/at/all?query=1"


def line_length(line: str) -> Fraction:
    """Independent check of the limit: 42 Latin or 18 wide characters per line (exact)."""
    wide = Fraction(MAX_LINE_WIDTH, MAX_WIDE_LINE_CHARS)
    total = Fraction(0)
    for ch in line:
        if not unicodedata.combining(ch):
            total += wide if unicodedata.east_asian_width(ch) in "WF" else 1
    return total


def timed_words(text: str, start: float, step: float) -> tuple[Word, ...]:
    """Whisper-style words (leading space), one every `step` seconds."""
    return tuple(
        Word(start + i * step, start + i * step + step * 0.8, " " + w)
        for i, w in enumerate(text.split())
    )


def cue_text(cue: Cue) -> str:
    return " ".join(cue.lines)


def assert_well_split(cues: list[Cue], text: str, start: float, end: float) -> None:
    """Limits hold, words stay whole, times are contiguous and span the segment."""
    assert MAX_LINE_WIDTH == 42 and MAX_WIDE_LINE_CHARS == 18
    for cue in cues:
        assert 1 <= len(cue.lines) <= 2, cue
        assert all(line_length(line) <= MAX_LINE_WIDTH for line in cue.lines), cue.lines
        assert all(line and line == line.strip() for line in cue.lines), cue.lines
        assert all(abs(line_width(x) - line_length(x)) < 1e-9 for x in cue.lines)
    # Joining lines with single spaces restores the text only if no word was split.
    assert " ".join(cue_text(c) for c in cues) == text
    assert cues[0].start == start and cues[-1].end == end
    for prev, cue in itertools.pairwise(cues):
        assert prev.start < prev.end == cue.start, (prev, cue)
    assert cues[-1].start < cues[-1].end


def test_english_long_segment_breaks_at_clauses_and_follows_words() -> None:
    words = timed_words(EN_PLAN, 20.0, 0.4)
    seg = Segment(0, 20.0, words[-1].end, EN_PLAN, words, "SPEAKER_00")
    doc = make_doc((seg,), speaker_names={"SPEAKER_00": "Ann"})
    cues = build_cues(doc, speaker_prefix=True)
    assert [cue_text(c) for c in cues] == [
        "Ann: So the plan for this quarter is to finish the migration to the new cluster,",
        "and after that we will start the cost review with the finance team.",
        "Any questions so far?",
    ]
    assert_well_split(cues, "Ann: " + EN_PLAN, seg.start, seg.end)
    # Later cues appear exactly when their first word is spoken.
    starts = {w.text.strip(): w.start for w in words}
    assert cues[1].start == starts["and"]
    assert cues[2].start == starts["Any"]
    assert all(c.end - c.start <= MAX_CUE_SECONDS for c in cues)
    # WebVTT shares the split, with a voice tag instead of the prefix.
    vtt = parse_vtt(render_vtt(doc))
    assert [" ".join(_vtt_plain(x) for x in c.lines) for c in vtt] == [
        cue_text(c).removeprefix("Ann: ") for c in cues
    ]
    assert all(c.lines[0].startswith("<v Ann>") for c in vtt)


def test_korean_long_segment_breaks_at_comma_and_sentence_end() -> None:
    words = timed_words(KO_MEETING, 100.0, 0.6)
    seg = Segment(0, 100.0, 112.0, KO_MEETING, words, "SPEAKER_00")
    doc = make_doc((seg,), speaker_names={"SPEAKER_00": "김민수"})
    cues = build_cues(doc, speaker_prefix=True)
    assert [cue_text(c) for c in cues] == [
        "김민수: 오늘 회의에서는 쿠버네티스 업그레이드 일정을 정하고,",
        "다음 주 배포 전에 QA 체크리스트를 모두 끝내기로 했습니다.",
        "그리고 비용 보고서는 이대리가 정리합니다.",
    ]
    assert_well_split(cues, "김민수: " + KO_MEETING, 100.0, 112.0)
    # Korean lines stay within the 16-20 character broadcast norm.
    assert all(len(line) <= 20 for c in cues for line in c.lines)
    starts = {w.text.strip(): w.start for w in words}
    assert cues[1].start == starts["다음"] and cues[2].start == starts["그리고"]
    srt = parse_srt(render_srt(doc))
    assert srt[0].lines[0].startswith("김민수: ")
    assert not any(c.lines[0].startswith("김민수") for c in srt[1:])


def test_segment_without_words_interpolates_by_characters() -> None:
    seg = Segment(0, 50.0, 62.0, EN_PLAN, ())
    cues = build_cues(make_doc((seg,)), speaker_prefix=True)
    assert [cue_text(c) for c in cues] == [
        "So the plan for this quarter is to finish the migration to the new cluster,",
        "and after that we will start the cost review with the finance team.",
        "Any questions so far?",
    ]
    assert_well_split(cues, EN_PLAN, 50.0, 62.0)
    for cue in cues[1:]:
        expected = 50.0 + 12.0 * EN_PLAN.index(cue.lines[0]) / len(EN_PLAN)
        assert abs(cue.start - expected) < 1e-9


def test_slow_speech_is_split_at_the_clause_to_stay_under_max_duration() -> None:
    text = "We reviewed the budget for the new office, and we agreed to postpone the move."
    words = timed_words(text, 0.0, 0.8)  # two lines' worth of text over 12 s
    seg = Segment(0, 0.0, words[-1].end, text, words)
    cues = build_cues(make_doc((seg,)), speaker_prefix=False)
    assert [cue_text(c) for c in cues] == [
        "We reviewed the budget for the new office,",
        "and we agreed to postpone the move.",
    ]
    assert_well_split(cues, text, seg.start, seg.end)
    assert all(c.end - c.start <= MAX_CUE_SECONDS for c in cues)


def test_only_a_word_wider_than_a_line_is_cut() -> None:
    text = f"see {LONG_URL} and {LONG_KO_WORD} for details"
    cues = build_cues(make_doc((Segment(0, 0.0, 6.0, text, ()),)), speaker_prefix=False)
    lines = [line for c in cues for line in c.lines]
    assert all(line_length(line) <= MAX_LINE_WIDTH for line in lines), lines
    parts = [part for line in lines for part in line.split()]
    short = ("see", "and", "for", "details")
    assert [p for p in parts if p in short] == list(short)  # short words stay whole
    pieces = [p for p in parts if p not in short]
    # Each long word is cut into two line-sized pieces, in order, nothing lost.
    assert "".join(pieces) == LONG_URL + LONG_KO_WORD and len(pieces) == 4
    assert pieces[0] in lines and pieces[2] in lines  # a full-width piece is a line of its own
    assert cues[0].start == 0.0 and cues[-1].end == 6.0
    assert all(a.end == b.start for a, b in itertools.pairwise(cues))


def test_japanese_breaks_after_full_stop_not_before_it() -> None:
    text = (
        "今日は会議です。次の議題はクラウドの移行計画と費用の見直しについてです。"
        "よろしくお願いします。"
    )
    cues = build_cues(make_doc((Segment(0, 0.0, 9.0, text, ()),)), speaker_prefix=False)
    lines = [line for c in cues for line in c.lines]
    assert "".join(lines) == text
    assert all(len(line) <= MAX_WIDE_LINE_CHARS for line in lines)
    assert not any(line.startswith(("。", "、")) for line in lines)
    assert all(cue_text(c).endswith("。") for c in cues)
