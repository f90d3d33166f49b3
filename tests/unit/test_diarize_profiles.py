"""Voice profile store: save, fold in, list, delete, identify (synthetic embeddings)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from minutes.diarize import DiarizationResult, SpeakerTurn
from minutes.diarize.profiles import (
    MATCH_THRESHOLD,
    PROFILE_SUFFIX,
    VoiceProfileStore,
    _exclusive_spans,
    label_speakers,
    profile_filename,
)


def unit(seed: int, base: np.ndarray | None = None, mix: float = 0.0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=256)
    v /= np.linalg.norm(v)
    if base is not None:
        v = mix * base + (1 - mix) * v
    return (v / np.linalg.norm(v)).astype(np.float32)


def test_save_list_get_delete(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path / "voices")
    assert store.profiles() == [] and store.get("Alice") is None
    p = store.save("  Alice  Kim ", unit(1), 42.0)
    assert p.name == "Alice Kim" and p.meetings == 1 and p.seconds == 42.0
    assert store.get("alice kim") is not None  # names compare case-insensitively
    store.save("박지훈", unit(2), 10.0)
    assert [x.name for x in store.profiles()] == ["Alice Kim", "박지훈"]
    assert store.delete("Alice Kim") and not store.delete("Alice Kim")
    assert [x.name for x in store.profiles()] == ["박지훈"]
    assert all(f.name.endswith(PROFILE_SUFFIX) for f in (tmp_path / "voices").iterdir())


def test_saving_again_folds_in_weighted_by_seconds(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    a, b = unit(1), unit(2)
    store.save("Bob", a, 30.0)
    p = store.save("Bob", b, 10.0)
    expected = 30 * a + 10 * b
    expected /= np.linalg.norm(expected)
    assert p.meetings == 2 and p.seconds == 40.0
    assert p.embedding == pytest.approx(expected, abs=1e-5)
    r = store.save("Bob", b, 5.0, replace=True)
    assert r.meetings == 1 and r.embedding == pytest.approx(b, abs=1e-6)


def test_bad_inputs_are_refused(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    with pytest.raises(ValueError):
        store.save("   ", unit(1), 1.0)
    with pytest.raises(ValueError):
        store.save("x", np.zeros(256), 1.0)
    with pytest.raises(ValueError):
        store.save("x", np.ones(10), 1.0)


def test_unreadable_or_foreign_files_are_skipped(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    store.save("Good", unit(1), 5.0)
    (tmp_path / f"broken{PROFILE_SUFFIX}").write_text("{not json", encoding="utf-8")
    (tmp_path / f"short{PROFILE_SUFFIX}").write_text(
        json.dumps({"name": "Short", "embedding": [1.0, 2.0]}), encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert [p.name for p in store.profiles()] == ["Good"]


def test_filenames_are_safe_and_distinct() -> None:
    names = ["../../etc/passwd", "a/b", "A/B", "con", "", "김 철수", "x" * 300]
    files = [profile_filename(n) for n in names]
    assert all("/" not in f and "\\" not in f and not f.startswith(".") for f in files)
    assert all(len(f) < 80 for f in files)
    assert profile_filename("a/b") == profile_filename("A/B")  # same person, same file
    assert profile_filename("a/b") != profile_filename("a_b")


def test_identify_is_one_to_one_and_thresholded(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    alice, bob = unit(1), unit(2)
    store.save("Alice", alice, 60)
    store.save("Bob", bob, 60)
    speakers = {
        "SPEAKER_1": unit(3, alice, 0.8),  # a noisy Alice
        "SPEAKER_2": unit(4),  # a stranger
        "SPEAKER_3": unit(5, alice, 0.6),  # also Alice-like, but less so
    }
    sims = {k: float(v @ alice) for k, v in speakers.items()}
    assert sims["SPEAKER_1"] > sims["SPEAKER_3"]
    got = store.identify(speakers, threshold=0.5)
    assert set(got) == {"SPEAKER_1"} and got["SPEAKER_1"].name == "Alice"
    if sims["SPEAKER_1"] < MATCH_THRESHOLD:
        assert store.identify(speakers) == {}  # the default threshold is stricter
    assert store.identify({"SPEAKER_1": alice})["SPEAKER_1"].similarity == pytest.approx(1.0)
    assert (
        store.identify({}) == {} and VoiceProfileStore(tmp_path / "none").identify(speakers) == {}
    )


def test_profiles_of_another_model_never_match(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    p = store.save("Old", unit(1), 5.0)
    path = tmp_path / profile_filename("Old")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["model"] = "some-other-encoder"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert store.identify({"SPEAKER_1": p.embedding}) == {}


def test_label_speakers_uses_result_embeddings(tmp_path: Path) -> None:
    store = VoiceProfileStore(tmp_path)
    store.save("Alice", unit(1), 60)
    result = DiarizationResult(
        turns=(SpeakerTurn(0, 1, "SPEAKER_1"), SpeakerTurn(1, 2, "SPEAKER_2")),
        embeddings={"SPEAKER_1": unit(9), "SPEAKER_2": unit(1)},
    )
    assert label_speakers(result, store) == {"SPEAKER_2": "Alice"}


def test_exclusive_spans_remove_overlap() -> None:
    turns = [SpeakerTurn(0, 10, "A"), SpeakerTurn(3, 4, "B"), SpeakerTurn(9, 12, "B")]
    assert _exclusive_spans(turns, "A") == [(0, 3), (4, 9)]
    assert _exclusive_spans(turns, "B") == [(10, 12)]  # 3-4 s is all overlap
