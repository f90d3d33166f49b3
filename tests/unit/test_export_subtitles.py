"""SRT and WebVTT exports: formats parse back, times are monotonic, cues stay short."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.export import export_document
from minutes.export.subtitles import (
    MAX_LINE_WIDTH,
    build_cues,
    display_width,
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
    assert cues[0].lines[0].startswith("김민수: 안녕하세요 <모두> & 환영합니다")
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
