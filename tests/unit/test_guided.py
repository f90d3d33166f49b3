"""Guided re-decoding's logic: which terms are offered, what a change may touch, when it is kept.

The decoder here is a scripted stand-in for Whisper so that each rule can be
checked on its own; tests/integration/test_glossary_real.py runs the real model
on real speech.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from glossary.plausible import PlausibleTerms, terms_in
from glossary.terms import Glossary, Term
from minutes.audio import Window
from minutes.guided import GuidedOptions, guided_corrections, local_change
from minutes.progress import Cancelled, CancelToken
from minutes.session import merge_glossary_corrections
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Segment,
    Transcript,
    corrected_text,
)

TERMS = Glossary.from_terms(Term(t) for t in ("CEO", "UST", "GDP", "mp3", "Kubernetes"))


class ScriptedDecoder:
    """Returns a fixed hinted text and fixed scores; records what it was asked."""

    def __init__(self, hinted: str, scores: Sequence[float]) -> None:
        self.hinted = hinted
        self.scores = list(scores)
        self.prompts: list[str] = []
        self.scored: list[list[str]] = []

    def decode_with_prompt(
        self, samples: np.ndarray, language: str, prompt: str, *, beam_size: int = 5
    ) -> str:
        self.prompts.append(prompt)
        return self.hinted

    def text_logprobs(
        self, samples: np.ndarray, language: str, texts: Sequence[str]
    ) -> list[float]:
        self.scored.append(list(texts))
        return self.scores[: len(texts)]


def _transcript(*texts: str, seconds: float = 3.0) -> tuple[Transcript, list[Window]]:
    segs = tuple(
        Segment(i, i * seconds, (i + 1) * seconds, text) for i, text in enumerate(texts)
    )
    audio = np.zeros(int(len(texts) * seconds * 16000), dtype=np.float32)
    return Transcript("ko", len(texts) * seconds, segs), [Window(0.0, audio)]


# -- which terms are plausible ------------------------------------------------


def test_a_hangul_near_miss_offers_the_term() -> None:
    index = PlausibleTerms(TERMS)
    found = index.find("대기없이 씨이호들도 그렇게 말했다")
    assert "CEO" in index.top_terms(found, 3)


def test_a_latin_near_miss_offers_the_term() -> None:
    index = PlausibleTerms(TERMS)
    assert "UST" in index.top_terms(index.find("브레이크 시간에 USB 홍보 동영상이"), 3)


def test_a_term_already_written_is_marked_present() -> None:
    found = PlausibleTerms(TERMS).find("우리 GDP가 올랐다")
    assert any(p.term == "GDP" and p.present for p in found)


def test_unrelated_speech_offers_nothing_near() -> None:
    index = PlausibleTerms(TERMS)
    assert index.find("오늘은 날씨가 정말 좋네요", min_score=0.8) == []


def test_large_glossary_offers_only_a_few_terms_per_stretch() -> None:
    import random

    rng = random.Random(1)
    extra = ["".join(rng.choice("ABCDEFGHKLMNPRST") for _ in range(3)) for _ in range(3000)]
    big = Glossary.from_terms([*TERMS, *(Term(t) for t in extra)])
    index = PlausibleTerms(big)
    top = index.top_terms(index.find("대기없이 씨이호들도 그렇게 말했다"), 4)
    assert len(top) <= 4


def test_terms_written_together_are_both_offered() -> None:
    index = PlausibleTerms(Glossary.from_terms(Term(t) for t in ("KBS", "TV")))
    assert set(index.top_terms(index.find("아무리 KBSTV가 생생하게"), 4)) == {"KBS", "TV"}


def test_a_sure_word_that_only_vaguely_sounds_like_a_term_is_not_redecoded() -> None:
    from minutes.types import Word

    text = "다른 사람이"
    words = (Word(0.0, 0.5, " 다른", 0.95), Word(0.5, 1.0, " 사람이", 0.97))
    transcript = Transcript("ko", 3.0, (Segment(0, 0.0, 1.0, text, words),))
    windows = [Window(0.0, np.zeros(48000, dtype=np.float32))]
    decoder = ScriptedDecoder("DNA 사람이", [0.0, 0.0])
    glossary = Glossary.from_terms([Term("DNA")])
    assert guided_corrections(transcript, windows, glossary, decoder) == []
    assert decoder.prompts == []


def test_terms_in_matches_whole_words_any_case() -> None:
    assert terms_in("MP3조차도 없이", ["mp3", "CEO"]) == ["mp3"]
    assert terms_in("CEOS", ["CEO"]) == []


# -- what a change may touch --------------------------------------------------


def test_local_change_takes_the_term_word_with_its_particle() -> None:
    first, hinted = "핸드폰도 엠피스리조차도 안 갖고", "핸드폰도 MP3조차도 안 갖고"
    change = local_change(first, hinted, "mp3", 24)
    assert change is not None
    assert (change.before, change.after) == ("엠피스리조차도", "mp3조차도")
    assert change.apply("핸드폰도 엠피스리조차도 안 갖고") == "핸드폰도 mp3조차도 안 갖고"


def test_local_change_ignores_differences_away_from_the_term() -> None:
    first = "대기없이 이호들도 그렇게 말했어요"
    hinted = "대기업 CEO들도 그렇게 말했습니다"
    change = local_change(first, hinted, "CEO", 24)
    assert change is not None
    assert change.apply(first) == "대기없이 CEO들도 그렇게 말했어요"


def test_local_change_takes_an_edit_at_the_term_edge() -> None:
    first, hinted = "아무리 KBSTV가 생생하게", "아무리 KBS TV가 생생하게"
    change = local_change(first, hinted, "TV", 24)
    assert change is not None and change.apply(first) == hinted


def test_local_change_refuses_a_long_stretch() -> None:
    first = "이것은 아주 길게 잘못 들린 문장의 한 부분입니다"
    hinted = "GDP"
    assert local_change(first, hinted, "GDP", 12) is None


def test_local_change_needs_the_term_in_a_changed_region() -> None:
    assert local_change("GDP가 올랐다", "GDP가 올랐습니다", "GDP", 24) is None


# -- when a change is kept ----------------------------------------------------


def test_a_confirmed_change_is_a_guided_correction_with_provenance() -> None:
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    decoder = ScriptedDecoder("그래서 현재 GDP 1조 달러", [-20.0, -21.0])
    out = guided_corrections(transcript, windows, TERMS, decoder, GuidedOptions(bias_nats=2.0))
    assert len(out) == 1
    c = out[0]
    assert (c.before, c.after, c.term) == ("뒤집이", "GDP", "GDP")
    assert c.source is CorrectionSource.GUIDED and c.status is CorrectionStatus.ACCEPTED
    assert c.detail is not None
    assert c.detail["first_pass"] == "그래서 현재 뒤집이 1조 달러"
    assert c.detail["hinted"] == "그래서 현재 GDP 1조 달러"
    assert "GDP" in c.detail["terms_offered"]
    assert decoder.scored == [["그래서 현재 뒤집이 1조 달러", "그래서 현재 GDP 1조 달러"]]
    assert Correction.from_dict(c.to_dict()).detail == c.detail


def test_an_unconfirmed_change_is_dropped() -> None:
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    decoder = ScriptedDecoder("그래서 현재 GDP 1조 달러", [-20.0, -25.0])
    options = GuidedOptions(bias_nats=2.0)
    assert guided_corrections(transcript, windows, TERMS, decoder, options) == []


def test_segments_without_a_plausible_term_are_not_redecoded() -> None:
    transcript, windows = _transcript("오늘은 날씨가 정말 좋네요", "우리 GDP가 올랐다")
    decoder = ScriptedDecoder("unused", [0.0, 0.0])
    assert guided_corrections(transcript, windows, TERMS, decoder) == []
    assert decoder.prompts == []


def test_a_term_already_written_is_replaced_only_when_the_audio_clearly_prefers_the_other() -> None:
    glossary = Glossary.from_terms(Term(t) for t in ("DNA", "DNL"))
    transcript, windows = _transcript("DNA를 붙여서 서로 다른 염기서열을")
    # Within the bias but less likely than the first pass: a glossary term stays.
    decoder = ScriptedDecoder("DNL을 붙여서 서로 다른 염기서열을", [-10.0, -11.0])
    assert guided_corrections(transcript, windows, glossary, decoder) == []
    # Hardly more likely (int8 noise, as "UST에" -> "USB에" on an AMD EPYC): it stays too.
    decoder = ScriptedDecoder("DNL을 붙여서 서로 다른 염기서열을", [-10.0, -9.8])
    assert guided_corrections(transcript, windows, glossary, decoder) == []
    decoder = ScriptedDecoder("DNL을 붙여서 서로 다른 염기서열을", [-10.0, -9.0])
    assert [c.after for c in guided_corrections(transcript, windows, glossary, decoder)] == [
        "DNL을"
    ]


def test_hinted_text_without_a_new_term_changes_nothing() -> None:
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    decoder = ScriptedDecoder("그래서 현재 뒤집이 일조 달러", [0.0, 0.0])
    assert guided_corrections(transcript, windows, TERMS, decoder) == []
    assert decoder.scored == []


def test_audio_too_short_is_not_redecoded() -> None:
    transcript, windows = _transcript("뒤집이", seconds=0.1)
    decoder = ScriptedDecoder("GDP", [0.0, 0.0])
    options = GuidedOptions(min_seconds=1.0, pad_seconds=0.0)
    assert guided_corrections(transcript, windows, TERMS, decoder, options) == []
    assert decoder.prompts == []


def test_each_stretch_is_decoded_on_its_own_and_mapped_back() -> None:
    transcript, windows = _transcript(
        "그래서 현재 뒤집이 1조 달러", "아까 USB 홍보 영상이", "네 그렇죠"
    )

    class PerClip(ScriptedDecoder):
        def decode_with_prompt(
            self, samples: np.ndarray, language: str, prompt: str, *, beam_size: int = 5
        ) -> str:
            self.prompts.append(prompt)
            return "그래서 현재 GDP 1조 달러" if "GDP" in prompt else "아까 UST 홍보 영상이"

    decoder = PerClip("", [-30.0, -30.5])
    out = guided_corrections(transcript, windows, TERMS, decoder)
    assert len(decoder.prompts) == 2  # one decoding per stretch, each with its own terms
    found = {(c.segment_id, c.before, c.after) for c in out}
    assert found == {(0, "뒤집이", "GDP"), (1, "USB", "UST")}
    texts = {s.id: s.text for s in transcript.segments}
    for c in out:
        assert texts[c.segment_id][c.start_char : c.end_char] == c.before


def test_only_the_most_promising_segments_fit_the_budget() -> None:
    texts = ["그래서 현재 뒤집이 1조 달러"] * 10
    transcript, windows = _transcript(*texts)
    decoder = ScriptedDecoder("", [])
    stats: dict[str, float] = {}
    options = GuidedOptions(decodes_per_minute=0.0, min_decodes=2)
    guided_corrections(transcript, windows, TERMS, decoder, options, stats=stats)
    assert stats["candidates"] == 10
    assert stats["redecoded"] == 2


def test_empty_glossary_does_nothing() -> None:
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    assert guided_corrections(transcript, windows, Glossary(), ScriptedDecoder("", [])) == []


def test_cancel_stops_the_pass() -> None:
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        guided_corrections(transcript, windows, TERMS, ScriptedDecoder("", []), cancel=token)


# -- how guided corrections live with the others --------------------------------


def _corr(start: int, end: int, before: str, after: str, source: CorrectionSource) -> Correction:
    return Correction(0, start, end, before, after, source, status=CorrectionStatus.ACCEPTED)


def test_guided_wins_an_overlap_with_a_glossary_fix() -> None:
    raw = "대기없이 이호들도 말했다"
    glossary_fix = _corr(5, 7, "이호", "EHO", CorrectionSource.GLOSSARY)
    guided = _corr(5, 9, "이호들도", "CEO들도", CorrectionSource.GUIDED)
    assert corrected_text(raw, [glossary_fix, guided]) == "대기없이 CEO들도 말했다"
    assert corrected_text(raw, [glossary_fix, guided.decide(CorrectionStatus.REJECTED)]) == (
        "대기없이 EHO들도 말했다"
    )


def test_rerun_replaces_guided_corrections_but_keeps_decisions() -> None:
    kept = _corr(0, 2, "뒤집", "GDP", CorrectionSource.GUIDED).decide(CorrectionStatus.REJECTED)
    stale = _corr(3, 5, "이호", "CEO", CorrectionSource.GUIDED)
    llm = _corr(6, 7, "x", "y", CorrectionSource.LLM)
    fresh = [_corr(0, 2, "뒤집", "GDP", CorrectionSource.GUIDED)]
    sources = (CorrectionSource.GLOSSARY, CorrectionSource.GUIDED)
    merged = merge_glossary_corrections([kept, stale, llm], fresh, sources)
    assert kept in merged and llm in merged and stale not in merged
    # A glossary-only re-run (`minutes correct`) leaves guided corrections alone.
    assert stale in merge_glossary_corrections([stale], [], (CorrectionSource.GLOSSARY,))


def test_only_the_words_around_the_term_are_decoded_again() -> None:
    from minutes.types import Word

    words_text = ["오늘", "회의는", "길었는데", "그래서", "현재", "뒤집이", "1조", "달러",
                  "정도라고", "말씀드렸고", "다음", "주에", "다시"]
    words = tuple(
        Word(i * 1.0, i * 1.0 + 0.9, " " + w, 0.2 if w == "뒤집이" else 0.95)
        for i, w in enumerate(words_text)
    )
    text = " ".join(words_text)
    seg = Segment(0, 0.0, len(words_text) * 1.0, text, words)
    transcript = Transcript("ko", seg.end, (seg,))
    windows = [Window(0.0, np.zeros(int(seg.end * 16000), dtype=np.float32))]
    decoder = ScriptedDecoder("그래서 현재 GDP 1조 달러", [-10.0, -10.5])
    options = GuidedOptions(whole_seconds=5.0, context_seconds=2.5)
    out = guided_corrections(transcript, windows, TERMS, decoder, options)
    assert decoder.scored[0][0] == "그래서 현재 뒤집이 1조 달러"  # the stretch only
    assert len(out) == 1
    c = out[0]
    assert text[c.start_char : c.end_char] == "뒤집이" and c.after == "GDP"


def test_a_decoder_failure_keeps_the_first_pass(caplog: pytest.LogCaptureFixture) -> None:
    class Refusing(ScriptedDecoder):
        def decode_with_prompt(
            self, samples: np.ndarray, language: str, prompt: str, *, beam_size: int = 5
        ) -> str:
            raise RuntimeError("prompt too long")

    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    stats: dict[str, float] = {}
    out = guided_corrections(transcript, windows, TERMS, Refusing("", []), stats=stats)
    assert out == [] and stats["failed"] == 1
    assert "first pass is kept" in caplog.text


def test_unreadable_audio_keeps_the_text_corrections(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from minutes.recheck import Guide, fresh_corrections

    glossary = Glossary.from_terms([Term("Kubernetes", variants=("쿠버네티스",)), Term("GDP")])
    text = "쿠버네티스를 보면 뒤집이 1조 달러"  # a near-miss of GDP: guided would run
    transcript = Transcript("ko", 3.0, (Segment(0, 0.0, 3.0, text),))
    broken = tmp_path / "gone.wav"
    broken.write_bytes(b"RIFF not really a wav")
    from minutes.asr import AsrOptions

    guide = Guide(ScriptedDecoder("", []), AsrOptions())  # type: ignore[arg-type]
    out = fresh_corrections(transcript, broken, glossary, guide)
    assert [c.after for c in out] == ["Kubernetes"]
    assert "guided re-decoding skipped" in caplog.text


@pytest.mark.parametrize("term", ["C++", "Node.js", r"a\b", "🚀Launch", "쿠버", "x" * 100])
def test_odd_terms_are_handled(term: str) -> None:
    """Terms the sound keys cannot read, regex characters, backslashes, emoji, very long
    ones: the index builds, and a hinted text naming them keeps their spelling."""
    from minutes.guided import canonical_spelling

    glossary = Glossary.from_terms([Term(term), Term("GDP")])
    index = PlausibleTerms(glossary)
    index.find(f"현재 뒤집이 1조 달러 {term.lower()}")
    assert canonical_spelling(f"우리 {term.upper()} 팀", [term]) in (
        f"우리 {term} 팀", f"우리 {term.upper()} 팀"
    )
    transcript, windows = _transcript("그래서 현재 뒤집이 1조 달러")
    decoder = ScriptedDecoder(f"그래서 현재 GDP 1조 달러 {term}", [-5.0, -5.5, -5.5])
    out = guided_corrections(transcript, windows, glossary, decoder)
    assert all(c.after in ("GDP",) or term in c.after for c in out)
