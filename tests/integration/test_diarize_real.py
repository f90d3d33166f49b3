"""The offline diarizer on real recordings (../shared/data/speech).

Korean two-speaker dialogues are built at test time into a temporary folder
from the Deeply utterances (CC BY-NC-ND: never copied into the project), as
`bench/diarization_der.py` does. Skips with the reason when the data is absent.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bench.diarization_der import (
    SPEECH,
    Item,
    build_korean_dialogues,
    data_available,
    english_items,
    load_audio,
)
from minutes.diarize import (
    DiarizationResult,
    DiarizeOptions,
    SpeakerTurn,
    assign_word_speakers,
)
from minutes.diarize.embedder import VoiceEncoder
from minutes.diarize.metrics import diarization_error
from minutes.diarize.offline import diarize_offline
from minutes.diarize.profiles import VoiceProfileStore, label_speakers, save_speaker
from minutes.progress import Cancelled, CancelToken
from minutes.types import Segment, Word

pytestmark = pytest.mark.integration

if not data_available():
    pytest.skip(
        f"shared speech data not found at {SPEECH} (set MINUTES_SPEECH_DATA)",
        allow_module_level=True,
    )


@pytest.fixture(scope="module")
def encoder() -> VoiceEncoder:
    return VoiceEncoder()


@pytest.fixture(scope="module")
def korean(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[Item]]:
    folder = tmp_path_factory.mktemp("ko_dialogues")  # deleted with pytest's tmp dirs
    yield build_korean_dialogues(folder)


@pytest.fixture(scope="module")
def korean_runs(
    korean: list[Item], encoder: VoiceEncoder
) -> list[tuple[Item, np.ndarray, DiarizationResult, float]]:
    runs = []
    for item in korean:
        audio = load_audio(item.wav)
        c0 = time.process_time()
        result = diarize_offline(audio, encoder=encoder)
        runs.append((item, audio, result, time.process_time() - c0))
    return runs


def english(name: str) -> Item:
    return next(i for i in english_items() if i.name == name)


def speaker_map(result: DiarizationResult, reference: list[SpeakerTurn]) -> dict[str, str]:
    """Hypothesis speaker -> the reference speaker it overlaps most."""
    out = {}
    for spk in result.speakers:
        ov: dict[str, float] = {}
        for h in (t for t in result.turns if t.speaker == spk):
            for r in reference:
                o = min(h.end, r.end) - max(h.start, r.start)
                if o > 0:
                    ov[r.speaker] = ov.get(r.speaker, 0.0) + o
        out[spk] = max(ov, key=lambda k: ov[k])
    return out


def change_points(turns: list[SpeakerTurn]) -> list[float]:
    """Times where the speaker changes (mid-gap between consecutive turns)."""
    ts = sorted(turns, key=lambda t: t.start)
    return [(a.end + b.start) / 2 for a, b in itertools.pairwise(ts) if a.speaker != b.speaker]


def test_korean_dialogues_two_speakers_low_der_and_boundaries(
    korean_runs: list[tuple[Item, np.ndarray, DiarizationResult, float]],
) -> None:
    for item, audio, result, _ in korean_runs:
        assert result.speakers == ["SPEAKER_1", "SPEAKER_2"], item.name
        der = diarization_error(item.reference, list(result.turns), collar=0.25)
        assert der.der <= 0.10, f"{item.name}: DER {der.der:.1%}"
        ref_changes = change_points(item.reference)
        hyp_changes = change_points(list(result.turns))
        hit = [min(abs(h - r) for h in hyp_changes) <= 0.5 for r in ref_changes]
        assert sum(hit) / len(hit) >= 0.95, f"{item.name}: {sum(hit)}/{len(hit)} turn changes found"
        spurious = [min(abs(h - r) for r in ref_changes) > 0.5 for h in hyp_changes]
        assert sum(spurious) <= 0.10 * len(ref_changes), f"{item.name}: {sum(spurious)} spurious"
        assert len(audio) / 16000 > 150  # the dialogues were really built (~3-4 min)


def test_ami_meeting_excerpt(encoder: VoiceEncoder) -> None:
    item = english("ami_ES2004_excerpt_mixture")
    audio = load_audio(item.wav)
    result = diarize_offline(audio, encoder=encoder)
    assert 2 <= len(result.speakers) <= 5
    assert diarization_error(item.reference, list(result.turns)).der <= 0.20
    # Overlapped speech (13 % of this excerpt) is attributed to one speaker, never twice.
    assert all(a.end <= b.start for a, b in zip(result.turns, result.turns[1:], strict=False))
    forced = diarize_offline(audio, options=DiarizeOptions(speakers=2), encoder=encoder)
    assert len(forced.speakers) == 2
    capped = diarize_offline(audio, options=DiarizeOptions(max_speakers=2), encoder=encoder)
    assert len(capped.speakers) <= 2


def test_pyannote_sample_two_speakers_through_the_public_api() -> None:
    from minutes.diarize import diarize

    item = english("pyannote_sample")
    seen: list[float] = []
    turns = diarize(load_audio(item.wav), 16000, progress=seen.append)
    assert isinstance(turns, list) and all(isinstance(t, SpeakerTurn) for t in turns)
    assert sorted({t.speaker for t in turns}) == ["SPEAKER_1", "SPEAKER_2"]
    assert turns[0].speaker == "SPEAKER_1"
    assert diarization_error(item.reference, turns).der <= 0.10
    assert seen[-1] == 1.0


@pytest.mark.parametrize(
    ("talk", "clips"),
    [
        ("7J207J247Iuk-9j_HEK5nfyw", 40),
        # The whole talk (2.8 min): its first and second halves' voice centroids
        # are 0.90 apart, which the automatic count once split into two speakers.
        ("67CV7Z2s7KeE-a7zuPg5if14", 38),
    ],
)
def test_single_speaker_talk_stays_one_speaker(
    encoder: VoiceEncoder, talk: str, clips: int
) -> None:
    files = sorted((SPEECH / "pansori_tedxkr" / talk).glob("*.flac"))[:clips]
    if len(files) < clips:
        pytest.skip(f"Pansori talk {talk} not found")
    gap = np.zeros(8000, np.float32)
    audio = np.concatenate([np.concatenate([load_audio(f), gap]) for f in files])
    result = diarize_offline(audio, encoder=encoder)
    assert result.speakers == ["SPEAKER_1"]


def test_words_split_at_real_turn_changes(
    korean_runs: list[tuple[Item, np.ndarray, DiarizationResult, float]],
) -> None:
    """An ASR segment spanning two utterances (two speakers) is split between them."""
    item, _, result, _ = korean_runs[0]
    mapping = speaker_map(result, item.reference)
    ref = item.reference
    segments, expected = [], []
    for a, b in itertools.pairwise(ref):
        if a.speaker == b.speaker or b.start - a.end > 0.8:
            continue
        words = []
        for turn in (a, b):  # four pseudo-words spread over each utterance
            edges = np.linspace(turn.start, turn.end, 5)
            words += [
                Word(float(s), float(e), f" w{len(words)}") for s, e in itertools.pairwise(edges)
            ]
        segments.append(Segment(len(segments), a.start, b.end, "", tuple(words)))
        expected.append((a.speaker, b.speaker))
    out = assign_word_speakers(segments, list(result.turns))
    by_first_word = {s.words[0].start: s for s in out}
    correct = 0
    for seg, (sa, sb) in zip(segments, expected, strict=True):
        first = by_first_word.get(seg.words[0].start)
        second = by_first_word.get(seg.words[4].start)
        if (
            first is not None
            and second is not None
            and len(first.words) == 4
            and mapping.get(first.speaker or "") == sa
            and mapping.get(second.speaker or "") == sb
        ):
            correct += 1
    assert len(segments) >= 30
    assert correct / len(segments) >= 0.9, f"{correct}/{len(segments)} split at the right word"


def test_voice_profiles_recognise_speakers_in_another_meeting(
    korean_runs: list[tuple[Item, np.ndarray, DiarizationResult, float]],
    encoder: VoiceEncoder,
    tmp_path: Path,
) -> None:
    (item1, audio1, res1, _), (item2, audio2, res2, _) = korean_runs
    map1, map2 = speaker_map(res1, item1.reference), speaker_map(res2, item2.reference)
    store = VoiceProfileStore(tmp_path / "voices")
    spk_a = next(s for s, r in map1.items() if r == "a")
    save_speaker(store, "지수", audio1, res1.turns, spk_a, encoder=encoder)
    # Only A is known: A is named in the second meeting, B stays numbered.
    names = label_speakers(res2, store)
    assert {map2[s]: n for s, n in names.items()} == {"a": "지수"}
    spk_b = next(s for s, r in map1.items() if r == "b")
    save_speaker(store, "민서", audio1, res1.turns, spk_b, encoder=encoder)
    names = label_speakers(res2, store)
    assert {map2[s]: n for s, n in names.items()} == {"a": "지수", "b": "민서"}
    # The pyannote-style path (no embeddings in the result) embeds the turns itself.
    bare = DiarizationResult(turns=res2.turns, backend="pyannote")
    assert label_speakers(bare, store, audio=audio2, encoder=encoder) == names
    # A stranger is not given either name; deleting a profile forgets the voice.
    item = english("pyannote_sample")
    stranger = diarize_offline(load_audio(item.wav), encoder=encoder)
    assert label_speakers(stranger, store) == {}
    assert store.delete("지수")
    assert {map2[s]: n for s, n in label_speakers(res2, store).items()} == {"b": "민서"}


def test_progress_and_cancel_on_real_audio(korean: list[Item], encoder: VoiceEncoder) -> None:
    audio = load_audio(korean[1].wav)
    token = CancelToken()
    seen: list[float] = []

    def progress(f: float) -> None:
        seen.append(f)
        if f >= 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        diarize_offline(audio, progress=progress, cancel=token, encoder=encoder)
    assert seen == sorted(seen) and 0.3 <= seen[-1] < 1.0


def test_der_agrees_with_pyannote_metrics(
    korean_runs: list[tuple[Item, np.ndarray, DiarizationResult, float]],
) -> None:
    pytest.importorskip("pyannote.metrics", reason="pyannote.metrics not installed (eval only)")
    from minutes.diarize.metrics import pyannote_der

    for item, _, result, _ in korean_runs:
        for collar in (0.0, 0.25):
            mine = diarization_error(item.reference, list(result.turns), collar=collar).der
            theirs = pyannote_der(item.reference, list(result.turns), collar=collar)
            assert mine == pytest.approx(theirs, abs=2e-3)


def test_pyannote_backend_real_pipeline(korean: list[Item]) -> None:
    """Runs only where pyannote.audio imports and a local pipeline folder is configured."""
    import os

    from minutes.diarize import diarize
    from minutes.diarize.pyannote_backend import pyannote_status

    ok, reason = pyannote_status()
    if not ok:
        pytest.skip(
            f"{reason} (pip's torchaudio for torch 2.13 is a CUDA build that does not import "
            "on a CPU-only machine)"
        )
    folder = os.environ.get("MINUTES_PYANNOTE_PIPELINE")
    if not folder:
        pytest.skip(
            "no local pyannote pipeline: set MINUTES_PYANNOTE_PIPELINE to a folder with "
            "config.yaml + checkpoints (the hub pipelines are gated)"
        )
    item = korean[0]
    wanted = DiarizeOptions(backend="pyannote", pyannote_pipeline=str(folder))
    turns = diarize(load_audio(item.wav), options=wanted)
    assert len({t.speaker for t in turns}) == 2
    assert diarization_error(item.reference, turns).der <= 0.10
