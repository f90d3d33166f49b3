"""Cutting ASR segments into sentences at word times."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.segmenting import split_all, split_sentences
from minutes.types import Segment, Word


def _segment(*timed: tuple[str, float, float], text: str | None = None) -> Segment:
    words = tuple(Word(start, end, f" {token}") for token, start, end in timed)
    joined = "".join(w.text for w in words).strip()
    return Segment(
        id=3,
        start=timed[0][1] - 0.2,
        end=timed[-1][2] + 0.3,
        text=joined if text is None else text,
        words=words,
        avg_logprob=-0.3,
    )


def _evenly(tokens: str, start: float = 0.0, step: float = 0.5) -> list[tuple[str, float, float]]:
    return [(t, start + i * step, start + i * step + step) for i, t in enumerate(tokens.split())]


def test_unpunctuated_korean_is_cut_at_its_sentence_endings() -> None:
    said = "지금도 카메라를 가지고 계시죠 대충 최근에 보면은 사진을 찍었습니다 다음 달에 또 갑니다"
    seg = _segment(*_evenly(said))
    pieces = split_sentences(seg)
    assert [p.text for p in pieces] == [
        "지금도 카메라를 가지고 계시죠",
        "대충 최근에 보면은 사진을 찍었습니다",
        "다음 달에 또 갑니다",
    ]
    # The outer edges stay the segment's; inner edges are the words' times.
    assert pieces[0].start == seg.start and pieces[-1].end == seg.end
    assert pieces[0].end == 2.0 and pieces[1].start == 2.0
    assert all(p.id == seg.id and p.avg_logprob == seg.avg_logprob for p in pieces)
    assert [w for p in pieces for w in p.words] == list(seg.words)


def test_english_full_stops_cut_but_abbreviations_do_not() -> None:
    seg = _segment(*_evenly("We met Mr. Kim at noon. He agreed to ship the release on Friday."))
    assert [p.text for p in split_sentences(seg)] == [
        "We met Mr. Kim at noon.",
        "He agreed to ship the release on Friday.",
    ]


def test_a_short_sentence_stays_with_its_neighbour() -> None:
    # "네." lasts 0.5 s: under a second, it is not a segment of its own.
    seg = _segment(*_evenly("네. 그럼 다음 주까지 보고서를 정리해 주세요."))
    assert [p.text for p in split_sentences(seg)] == [seg.text]


def test_a_long_pause_ends_a_sentence_but_a_short_one_does_not() -> None:
    words = [*_evenly("so the plan is"), *_evenly("we ship it on monday", start=2.0 + 1.0)]
    assert len(split_sentences(_segment(*words))) == 1  # 1 s pause: same sentence
    words = [*_evenly("so the plan is"), *_evenly("we ship it on monday", start=2.0 + 2.5)]
    assert [p.text for p in split_sentences(_segment(*words))] == [
        "so the plan is",
        "we ship it on monday",
    ]


def test_an_over_long_sentence_is_cut_at_the_comma_nearest_its_middle() -> None:
    tokens = "one two three four five, six seven eight nine ten eleven, twelve thirteen fourteen"
    tokens += " fifteen sixteen, seventeen eighteen nineteen twenty"
    seg = _segment(*_evenly(tokens, step=1.0))  # 20 s, no sentence end
    pieces = split_sentences(seg, max_seconds=15.0)
    assert [p.text for p in pieces] == [
        "one two three four five, six seven eight nine ten eleven,",
        "twelve thirteen fourteen fifteen sixteen, seventeen eighteen nineteen twenty",
    ]
    assert all(p.end - p.start <= 15.0 for p in pieces)


def test_nothing_is_cut_when_the_words_do_not_rebuild_the_text() -> None:
    # A repetition cut can leave words and text apart: the segment is kept whole.
    seg = _segment(*_evenly("계시죠 대충 찍었습니다 다음 달에"), text="계시죠 대충")
    assert split_sentences(seg) == [seg]
    no_words = Segment(0, 0.0, 30.0, "긴 문장입니다. 다른 문장입니다.")
    assert split_sentences(no_words) == [no_words]


_TOKENS = st.sampled_from(["회의", "합니다", "했어요.", "ok,", "ship", "it.", "Mr.", "네", "죠"])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.tuples(_TOKENS, st.floats(0.05, 1.5), st.floats(0.0, 3.0)), min_size=1, max_size=60)
)
def test_pieces_keep_every_word_in_order(spec: list[tuple[str, float, float]]) -> None:
    timed, t = [], 0.0
    for token, length, gap in spec:
        timed.append((token, t, t + length))
        t += length + gap
    seg = _segment(*timed)
    pieces = split_all([seg])
    assert [w for p in pieces for w in p.words] == list(seg.words)
    assert " ".join(p.text for p in pieces) == seg.text
    assert pieces[0].start == seg.start and pieces[-1].end == seg.end
    assert all(a.end <= b.start for a, b in pairwise(pieces))
    if len(pieces) > 1:
        assert all(p.words[-1].end - p.words[0].start >= 1.0 for p in pieces)
