"""Real speech through the embedded Whisper base model."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.corpus import cer, concat_clips, pansori_clips, wer
from minutes.asr import AsrOptions, WhisperTranscriber
from minutes.progress import Cancelled, CancelToken
from tests.conftest import JFK_REFERENCE, SAMPLE

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _text(t: WhisperTranscriber, path: Path, **opts: object) -> str:
    return " ".join(s.text for s in t.transcribe_file(path, AsrOptions(**opts)))  # type: ignore[arg-type]


def test_jfk_sample(base_transcriber: WhisperTranscriber) -> None:
    info: dict[str, object] = {}
    segments = list(
        base_transcriber.transcribe_file(SAMPLE, AsrOptions(language="auto"), info=info)
    )
    text = " ".join(s.text for s in segments)
    assert wer(JFK_REFERENCE, text) <= 0.15, text  # int8 output differs between CPUs
    assert info["language"] == "en"
    words = [w for s in segments for w in s.words]
    assert words and all(0 <= w.start <= w.end <= 11.1 for w in words)
    assert [s.id for s in segments] == list(range(len(segments)))


def test_korean_clips_come_out_in_hangul_with_low_cer(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path, record_property: object
) -> None:
    clips = [c for c in pansori_clips() if c.duration >= 4.0][:24]
    path, reference = concat_clips(clips, tmp_path / "ko.wav", gap=0.6)
    hyp = _text(base_transcriber, path, language="ko")
    hangul = sum(1 for ch in hyp if "가" <= ch <= "힣")
    assert hangul > 0.8 * sum(1 for ch in hyp if ch.isalpha())
    score = cer(reference, hyp)
    record_property("pansori_cer", round(score, 3))  # type: ignore[operator]
    print(f"Pansori CER over {len(clips)} clips: {score:.3f}")
    assert score < 0.25


def test_a_talk_comes_out_in_sentences_not_30_second_chunks(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    from bench.corpus import sentence_end_times

    clips = [c for c in pansori_clips() if c.duration >= 4.0][:24]
    path, _ = concat_clips(clips, tmp_path / "talk.wav", gap=0.6)
    # Where a recorded utterance ends a sentence and the next begins. Other
    # utterance cuts fall mid-sentence and need not be segment boundaries.
    sentence_ends = sentence_end_times(clips, gap=0.6)
    whole = list(base_transcriber.transcribe_file(path, AsrOptions(language="ko")))
    chunks = list(
        base_transcriber.transcribe_file(path, AsrOptions(language="ko", sentence_segments=False))
    )
    # The same words, only grouped differently.
    assert [w.text for s in whole for w in s.words] == [w.text for s in chunks for w in s.words]
    lengths = sorted(s.end - s.start for s in whole)
    median = lengths[len(lengths) // 2]
    chunk_median = sorted(s.end - s.start for s in chunks)[len(chunks) // 2]
    print(
        f"\n{len(chunks)} chunks (median {chunk_median:.1f} s) -> {len(whole)} segments "
        f"(median {median:.1f} s, longest {lengths[-1]:.1f} s)"
    )
    assert chunk_median > 20.0 and median < 10.0
    starts = [s.start for s in whole]
    found = sum(1 for e in sentence_ends if any(abs(e - st) < 1.5 for st in starts))
    print(f"{found} of {len(sentence_ends)} sentence ends between utterances are boundaries")
    assert found >= 0.8 * len(sentence_ends), (found, len(sentence_ends))


def test_auto_language_detects_korean(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    clips = [c for c in pansori_clips() if c.duration >= 5.0][:3]
    path, _ = concat_clips(clips, tmp_path / "ko3.wav")
    info: dict[str, object] = {}
    list(base_transcriber.transcribe_file(path, AsrOptions(language="auto"), info=info))
    assert info["language"] == "ko"


def test_cancel_stops_between_segments(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    clips = [c for c in pansori_clips() if c.duration >= 4.0][:10]
    path, _ = concat_clips(clips, tmp_path / "c.wav")
    cancel = CancelToken()
    seen = []
    with pytest.raises(Cancelled):
        for seg in base_transcriber.transcribe_file(path, AsrOptions(language="ko"), cancel=cancel):
            seen.append(seg)
            cancel.cancel()
    assert len(seen) == 1


def test_silence_gives_no_text(base_transcriber: WhisperTranscriber, tmp_path: Path) -> None:
    import numpy as np

    from tests.audio_factory import write_audio

    rng = np.random.default_rng(0)
    quiet_noise = (rng.standard_normal(16_000 * 20) * 0.002).astype("float32")
    path = write_audio(tmp_path / "silence.wav", quiet_noise)
    for hints in (None, "Kubernetes GitHub GDP"):
        assert _text(base_transcriber, path, language="ko", hotwords=hints).strip() == ""


def test_quiet_korean_audio_is_raised_before_asr(
    base_transcriber: WhisperTranscriber, speech_dir: Path, tmp_path: Path
) -> None:
    """A meeting recorded far from the microphone (-40 dB) still transcribes."""
    from bench.corpus import read_flac, write_wav

    clips = [c for c in pansori_clips() if c.duration >= 4.0][:6]
    loud, reference = concat_clips(clips, tmp_path / "normal.wav", gap=0.6)
    quiet = write_wav(tmp_path / "quiet.wav", read_flac(loud) * 0.01)
    normal_cer = cer(reference, _text(base_transcriber, loud, language="ko"))
    quiet_cer = cer(reference, _text(base_transcriber, quiet, language="ko"))
    assert quiet_cer <= normal_cer + 0.05, (normal_cer, quiet_cer)
    stored = read_flac(quiet)
    assert float(abs(stored).max()) < 0.02  # the file on disk keeps its level


def test_a_user_model_folder_loads_like_the_embedded_one(tmp_path: Path) -> None:
    """Any CTranslate2 Whisper folder works: here a copy of the tiny.en model the package ships."""
    import shutil

    from minutes.modelstore import ModelError, assemble_embedded, resolve

    try:
        shipped = Path(assemble_embedded("tiny.en"))
    except ModelError as exc:
        pytest.skip(f"tiny.en not installed: {exc}")
    folder = tmp_path / "my-finetune"
    shutil.copytree(shipped, folder)
    resolved = resolve(str(folder))
    assert resolved.local and resolved.path == str(folder.resolve())
    t = WhisperTranscriber(resolved.path, name="my-finetune")
    text = _text(t, SAMPLE, language="auto")
    assert wer(JFK_REFERENCE, text) <= 0.25, text


def test_hub_model_names_are_refused_offline_with_a_clear_message() -> None:
    from minutes.modelstore import ModelError, resolve

    with pytest.raises(ModelError, match="--allow-download"):
        resolve("large-v3")
