"""Word-level speaker assignment: splitting ASR segments at speaker changes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from minutes.diarize import SpeakerTurn, assign_word_speakers
from minutes.diarize.assign import TurnIndex
from minutes.types import Segment, Word

A, B, C = "SPEAKER_1", "SPEAKER_2", "SPEAKER_3"


def seg(i: int, words: list[tuple[float, float, str]], **kw: object) -> Segment:
    ws = tuple(Word(s, e, t) for s, e, t in words)
    start = kw.pop("start", ws[0].start if ws else 0.0)
    end = kw.pop("end", ws[-1].end if ws else 1.0)
    text = "".join(w.text for w in ws).strip()
    return Segment(id=i, start=start, end=end, text=text, words=ws, **kw)  # type: ignore[arg-type]


def test_turn_change_inside_a_segment_splits_it() -> None:
    s = seg(
        7,
        [(0.0, 0.4, " Hello"), (0.5, 0.9, " there."), (1.6, 2.0, " Hi"), (2.1, 2.5, " back.")],
        start=0.0,
        end=2.6,
        avg_logprob=-0.2,
    )
    turns = [SpeakerTurn(0.0, 1.2, A), SpeakerTurn(1.3, 3.0, B)]
    out = assign_word_speakers([s], turns)
    assert [(x.id, x.speaker, x.text) for x in out] == [(0, A, "Hello there."), (1, B, "Hi back.")]
    assert (out[0].start, out[0].end) == (0.0, 0.9)  # outer edge kept, inner edge from words
    assert (out[1].start, out[1].end) == (1.6, 2.6)
    assert all(x.avg_logprob == -0.2 for x in out)
    assert [w.text for w in out[0].words + out[1].words] == [w.text for w in s.words]


def test_unsplit_segment_keeps_raw_text_and_timing() -> None:
    s = Segment(3, 0.0, 2.0, "Raw  text, as ASR wrote it", (Word(0.1, 0.5, " Raw"),))
    (out,) = assign_word_speakers([s], [SpeakerTurn(0.0, 5.0, A)])
    assert out.text == s.text and (out.start, out.end) == (0.0, 2.0)
    assert out.speaker == A and out.id == 0


def test_ids_renumbered_in_order_and_inputs_untouched() -> None:
    segs = [
        seg(10, [(0.0, 0.5, " a"), (2.0, 2.5, " b")]),
        seg(11, [(3.0, 3.5, " c")]),
    ]
    turns = [SpeakerTurn(0.0, 1.0, A), SpeakerTurn(1.9, 4.0, B)]
    out = assign_word_speakers(segs, turns)
    assert [x.id for x in out] == [0, 1, 2]
    assert [x.speaker for x in out] == [A, B, B]
    assert segs[0].id == 10 and segs[0].speaker is None  # frozen inputs not replaced


def test_segment_without_words_gets_largest_overlap() -> None:
    s = Segment(0, 1.0, 4.0, "x")
    turns = [SpeakerTurn(0.0, 2.0, A), SpeakerTurn(2.0, 4.5, B)]
    assert assign_word_speakers([s], turns)[0].speaker == B


def test_no_overlap_takes_nearest_turn_within_one_second_else_none() -> None:
    near = Segment(0, 5.5, 6.0, "near")
    far = Segment(1, 8.0, 9.0, "far")
    turns = [SpeakerTurn(0.0, 5.0, A), SpeakerTurn(6.8, 7.0, B)]
    out = assign_word_speakers([near, far], turns)
    assert out[0].speaker == A  # 0.5 s after A's turn vs 0.8 s before B's
    assert out[1].speaker == B  # 1.0 s after B's end: still within reach
    assert assign_word_speakers([Segment(0, 8.5, 9.0, "x")], turns)[0].speaker is None


def test_no_turns_at_all() -> None:
    s = seg(0, [(0.0, 0.5, " a")])
    assert assign_word_speakers([s], [])[0].speaker is None
    assert assign_word_speakers([], [SpeakerTurn(0, 1, A)]) == []


def test_word_in_a_pause_does_not_split() -> None:
    # The middle word falls in a 3 s silence between two turns of the same speaker.
    s = seg(0, [(0.0, 0.5, " one"), (2.0, 2.3, " two"), (4.0, 4.5, " three")])
    turns = [SpeakerTurn(0.0, 0.6, A), SpeakerTurn(3.9, 5.0, A), SpeakerTurn(10, 11, B)]
    (out,) = assign_word_speakers([s], turns)
    assert out.speaker == A


def test_overlapping_turns_dominant_speaker_wins() -> None:
    # B talks over A briefly (pyannote reports overlap): words go to whoever covers them most.
    s = seg(0, [(0.0, 1.0, " long"), (1.0, 1.4, " yes"), (1.5, 3.0, " words")])
    turns = [SpeakerTurn(0.0, 3.0, A), SpeakerTurn(1.0, 1.4, B)]
    (out,) = assign_word_speakers([s], turns)
    assert out.speaker == A  # tie on "yes" -> the earlier turn; no spurious split


def test_zero_length_word_uses_containing_turn() -> None:
    s = seg(0, [(1.0, 1.0, " a"), (3.0, 3.0, " b")])
    out = assign_word_speakers([s], [SpeakerTurn(0, 2, A), SpeakerTurn(2, 4, B)])
    assert [x.speaker for x in out] == [A, B]


def test_three_way_split() -> None:
    s = seg(0, [(0.1, 0.3, " a"), (1.1, 1.3, " b"), (2.1, 2.3, " c")])
    turns = [SpeakerTurn(0, 1, A), SpeakerTurn(1, 2, B), SpeakerTurn(2, 3, C)]
    out = assign_word_speakers([s], turns)
    assert [(x.speaker, x.text) for x in out] == [(A, "a"), (B, "b"), (C, "c")]


def test_turn_index_handles_long_turn_before_short_ones() -> None:
    # A long early turn must still be found after many later, shorter turns.
    turns = [SpeakerTurn(0.0, 100.0, A)] + [SpeakerTurn(i, i + 0.1, B) for i in range(1, 90)]
    idx = TurnIndex(turns)
    assert idx.speaker_at(50.3, 50.8) == A
    assert idx.overlaps(50.0, 50.15) == {A: pytest.approx(0.15), B: pytest.approx(0.1)}


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(0.05, 2.0), min_size=1, max_size=25),
    st.lists(st.tuples(st.floats(0.1, 4.0), st.sampled_from([A, B, C])), min_size=0, max_size=12),
)
def test_split_preserves_words_and_order(
    durations: list[float], turn_spec: list[tuple[float, str]]
) -> None:
    t = 0.0
    words = []
    for i, d in enumerate(durations):
        words.append((t, t + d, f" w{i}"))
        t += d + 0.05
    s = seg(0, words)
    turns, u = [], 0.0
    for d, spk in turn_spec:
        turns.append(SpeakerTurn(u, u + d, spk))
        u += d
    out = assign_word_speakers([s], turns)
    assert [w for x in out for w in x.words] == list(s.words)
    assert [x.id for x in out] == list(range(len(out)))
    assert all(out[i].speaker != out[i + 1].speaker for i in range(len(out) - 1))
    assert all(x.start <= x.end for x in out)
    assert out[0].start == s.start and out[-1].end == s.end
