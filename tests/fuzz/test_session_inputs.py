"""Malformed meeting-folder files and transcript exports: a clear error, never a crash.

Generated inputs (see `tests.fuzz.session_cases`) mutate valid files; the
explicit cases below are the crashes the generator found, kept as
regression tests.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from minutes.export import ExportError, load_document
from minutes.session import Session, SessionError, list_sessions
from tests.fuzz import session_cases
from tests.fuzz.families import check_session
from tests.fuzz.session_cases import EXPORT, SessionCase, session_files, templates

SESSION_EXAMPLES = 300
TRANSCRIPT_EXAMPLES = 200


@settings(settings.get_profile("minutes-fuzz"), max_examples=SESSION_EXAMPLES)
@given(case=session_files())
def test_broken_session_files_are_refused_clearly(case: SessionCase) -> None:
    verdict = check_session(case)
    assert not verdict.failed, verdict.detail


@settings(settings.get_profile("minutes-fuzz"), max_examples=TRANSCRIPT_EXAMPLES)
@given(case=session_files((EXPORT,)))
def test_broken_transcript_exports_are_refused_clearly(case: SessionCase) -> None:
    verdict = check_session(case)
    assert not verdict.failed, verdict.detail


def _folder(tmp_path: Path, name: str, tree: Any) -> Path:
    """A valid meeting folder whose file `name` holds `tree` (raw text when a str)."""
    data = tree.encode() if isinstance(tree, str) else json.dumps(tree).encode()
    path = session_cases.write_folder(SessionCase("explicit", name, data), tmp_path / "s")
    return path.parent


def _with(name: str, *path: Any, value: Any) -> Any:
    tree = json.loads(json.dumps(templates()[name]))
    node = tree
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value
    return tree


# Crashes found by the generator before the fixes (each was an uncaught exception).
@pytest.mark.parametrize(
    ("name", "tree", "load"),
    [
        # KeyError: a word without "end"
        ("asr.json", _with("asr.json", "transcript", "segments", 0, "words", 0, "end", value=None),
         "load_asr"),
        ("asr.json", _with("asr.json", "transcript", "segments", 0, "start", value=10**400),
         "load_asr"),  # OverflowError: int too large to convert to float
        ("asr.json", _with("asr.json", "transcript", value=[1, 2]), "load_asr"),  # AttributeError
        ("asr.json", _with("asr.json", "transcript", "segments", 0, "end", value=float("nan")),
         "load_asr"),  # NaN time: later crashed the SRT/VTT export
        ("asr.json", _with("asr.json", "transcript", "segments", 1, "start", value=-3.0),
         "load_asr"),  # negative time
        ("asr.json", _with("asr.json", "transcript", "segments", 0, "speaker", value=["A"]),
         "load_asr"),  # a list as speaker: crashed the text export
        ("corrections.json", _with("corrections.json", "corrections", value="abc"),
         "load_corrections"),  # AttributeError: 'str' object has no attribute 'get'
        ("corrections.json", _with("corrections.json", "corrections", value={"a": 1}),
         "load_corrections"),
        ("corrections.json", _with("corrections.json", "corrections", 0, "score", value=1e999),
         "load_corrections"),
        ("diarization.json", _with("diarization.json", "turns", 0, "end", value=float("inf")),
         "load_diarization"),
        ("diarization.json", _with("diarization.json", "embeddings", value=[1.0]),
         "load_diarization"),
        ("diarization.json", _with("diarization.json", "embeddings", "SPEAKER_00", value="x"),
         "load_diarization"),
        ("asr.json", '{"schema": ' + "[" * 100_000 + "]" * 100_000 + "}", "load_asr"),
    ],
)
def test_stage_file_crashes_are_now_session_errors(
    tmp_path: Path, name: str, tree: Any, load: str
) -> None:
    session = Session.open(_folder(tmp_path, name, tree))
    calls = {
        "load_asr": session.load_asr,
        "load_corrections": session.load_corrections,
        "load_diarization": session.load_diarization,
    }
    with pytest.raises(SessionError, match=name):
        calls[load]()


def test_malformed_stage_record_is_a_cache_miss(tmp_path: Path) -> None:
    """'stage' of the wrong type crashed with AttributeError; now the stage just re-runs."""
    folder = _folder(tmp_path, "asr.json", _with("asr.json", "stage", value="oops"))
    (folder / "corrections.json").write_text(
        json.dumps(_with("corrections.json", "stage", value=[1])), encoding="utf-8"
    )
    session = Session.open(folder)
    assert session.load_asr(session_cases.KEY) is None
    assert session.corrections_key() is None


@pytest.mark.parametrize(
    "value",
    [
        {"speaker_names": {"SPEAKER_00": ["Kim"]}},  # crashed every export naming speakers
        {"speaker_names": ["Kim"]},
        {"duration": 10**400},  # OverflowError
        {"duration": float("nan")},
        {"audio": "../../../etc/passwd"},  # must stay inside the session folder
        {"audio": 5},
    ],
)
def test_bad_session_metadata_names_the_file(tmp_path: Path, value: dict[str, Any]) -> None:
    tree = {**templates()["session.json"], **value}
    folder = _folder(tmp_path, "session.json", tree)
    with pytest.raises(SessionError, match=r"session\.json"):
        Session.open(folder)
    assert list_sessions(folder.parent) == []  # the library skips it instead of crashing


def test_bad_checkpoint_means_start_again(tmp_path: Path) -> None:
    """A broken ASR checkpoint is a cache miss, never an error: the run starts over."""
    name = session_cases.CHECKPOINT
    header = json.dumps(templates()[name][0])
    for bad in ['{"stage": []}', header + '\n{"done_until": 1e999}\n',
                header + '\n{"done_until": 1, "segments": "abc"}\n',
                header + '\n{"done_until": -5, "segments": []}\n',
                "[" * 100_000]:
        session = Session.open(_folder(tmp_path / str(len(bad)), name, bad))
        checkpoint = session.load_asr_checkpoint(session_cases.KEY)
        assert checkpoint is None or (checkpoint.segments == () and checkpoint.done_until == 0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"duration": 10**400}, "malformed transcript"),  # OverflowError before the fix
        ({"segments": [{"id": 0, "start": float("nan"), "end": 1, "text_raw": "a", "text": "a"}]},
         "finite number"),
        ({"speakers": ["Kim"]}, "'speakers' must be an object"),
        # finite, but * 1000 overflows in the SRT/VTT time format
        ({"segments": [{"id": 0, "start": 0, "end": 1e308, "text_raw": "a", "text": "a"}]},
         "finite number of seconds"),
        ({"corrections": [{**templates()[EXPORT]["corrections"][0], "start_char": -4}]},
         "character span"),
    ],
)
def test_transcript_export_crashes_are_now_export_errors(
    tmp_path: Path, change: dict[str, Any], message: str
) -> None:
    path = tmp_path / "t.json"
    path.write_text(json.dumps({**templates()[EXPORT], **change}), encoding="utf-8")
    with pytest.raises(ExportError, match=message) as caught:
        load_document(path)
    assert "t.json" in str(caught.value)


def test_deeply_nested_export_is_an_export_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    with pytest.raises(ExportError, match=r"deep\.json.*nested too deeply"):
        load_document(path)
