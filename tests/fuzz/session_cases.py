"""Session family: the JSON files of a meeting folder and the transcript export.

A valid meeting folder is written with the app's own code, then one of its
files is replaced by a mutated copy: keys dropped, values of the wrong type,
huge numbers, NaN/Infinity, negative times, other schema versions, garbage
text, truncated or invalid UTF-8. Entry points: `Session.open`,
`list_sessions`, every `Session.load_*`, `Session.document` and
`minutes.export.load_document`; whatever loads must also render to every
text export format.
"""

from __future__ import annotations

import functools
import json
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.fuzz.harness import mutate_bytes

try:  # the ASR checkpoint became a JSON-lines file; read its name from the app
    from minutes.session import ASR_PARTIAL as CHECKPOINT
except ImportError:
    CHECKPOINT = "asr.partial.json"
FILES = ("session.json", "asr.json", CHECKPOINT, "diarization.json", "corrections.json")
EXPORT = "transcript.json"
KEY = "k" * 32
_TEXT_FORMATS = ("txt", "md", "srt", "vtt", "json")

_odd_number = st.sampled_from([
    math.nan, math.inf, -math.inf, -1.0, -1e308, 1e308, 10**400, -(10**400), 2**63, -(2**63),
    0, -0.0, 5e-324, 1e-9, 3.5, True,
])
_odd_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "\x00", "\ud800", "\u202e", "😀", "minutes.session/1", "accepted",
                     "glossary", "SPEAKER_00", "../../etc/passwd", "x" * 10_000]),
)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(),
                    _odd_number, _odd_text)
_value = st.recursive(
    _scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_odd_text, inner, max_size=3),
    max_leaves=8,
)


@functools.lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """Valid contents of every session file and of a transcript export (parsed JSON)."""
    import numpy as np

    from minutes.diarize.types import DiarizationResult, SpeakerTurn
    from minutes.export import render
    from minutes.session import AsrCheckpoint, Session
    from minutes.types import (
        Correction,
        CorrectionSource,
        CorrectionStatus,
        Segment,
        Transcript,
        Word,
    )

    words = (Word(0.0, 0.4, "hello", 0.9), Word(0.5, 1.0, "쿠버네티스", 0.8))
    segments = (
        Segment(0, 0.0, 1.0, "hello 쿠버네티스", words, avg_logprob=-0.2, no_speech_prob=0.01),
        Segment(1, 1.2, 2.5, "second part", (Word(1.2, 2.5, "second", 0.7),)),
    )
    transcript = Transcript("ko", 2.5, segments, model="base", audio_path="audio.wav")
    correction = Correction(0, 6, 11, "쿠버네티스", "Kubernetes", CorrectionSource.GLOSSARY,
                            term="Kubernetes", score=0.9, status=CorrectionStatus.ACCEPTED)
    diarization = DiarizationResult(
        (SpeakerTurn(0.0, 1.1, "SPEAKER_00"), SpeakerTurn(1.1, 2.5, "SPEAKER_01")),
        {"SPEAKER_00": np.ones(4, dtype=np.float32)}, "offline",
    )
    with tempfile.TemporaryDirectory() as tmp:
        session = Session.create(Path(tmp), "Weekly sync")
        session.meta.speaker_names = {"SPEAKER_00": "Kim"}
        session.meta.audio = "audio.wav"
        session.save_meta()
        session.save_asr(transcript, KEY, {"model": "base"})
        # Normally removed once ASR finishes; kept here so its loader is exercised too.
        session.save_asr_checkpoint(AsrCheckpoint(KEY, 1.1, segments[:1], "ko"))
        session.save_diarization(diarization, KEY, {"backend": "offline"})
        session.save_corrections([correction], KEY)
        out = {name: _parse(session.folder / name) for name in FILES}
        document = session.document()
        assert document is not None
        out[EXPORT] = json.loads(render(document, "json"))
    return out


def _parse(path: Path) -> Any:
    text = path.read_text("utf-8")
    if path.suffix == ".jsonl":
        return [json.loads(line) for line in text.splitlines()]
    return json.loads(text)


def _serialise(name: str, tree: Any, ensure_ascii: bool) -> bytes:
    def dump(value: Any) -> str:
        try:
            return json.dumps(value, ensure_ascii=ensure_ascii, allow_nan=True)
        except ValueError:  # a lone surrogate or the like: write what Python can
            return json.dumps(value, ensure_ascii=True)

    if name.endswith(".jsonl") and isinstance(tree, list):
        text = "".join(dump(line) + "\n" for line in tree)
    else:
        text = dump(tree)
    return text.encode("utf-8", errors="surrogatepass")


@dataclass(frozen=True)
class SessionCase:
    label: str
    name: str  # which file is broken
    data: bytes


def _paths(tree: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(tree, dict):
        for k, v in tree.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            out += _paths(v, (*prefix, i))
    return out


def _mutate_tree(tree: Any, draw: st.DrawFn) -> tuple[str, Any]:
    path = draw(st.sampled_from(_paths(tree)))
    op = draw(st.sampled_from(["replace", "replace", "number", "delete", "schema", "wrap"]))
    if op == "schema":
        if not isinstance(tree, dict):
            return op, tree
        family = str(tree.get("schema", "x/1")).partition("/")[0]
        tree["schema"] = draw(st.sampled_from(
            [f"{family}/0", f"{family}/2", f"{family}/999", f"{family}/x", f"{family}",
             "other/1", "", None, 1, [family]]
        ))
        return op, tree
    if not path:
        return op, draw(_value)
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if op == "delete":
        del parent[last]
    elif op == "wrap":
        parent[last] = [parent[last]] if draw(st.booleans()) else {"value": parent[last]}
    else:
        parent[last] = draw(_odd_number if op == "number" else _value)
    return op, tree


@st.composite
def session_files(draw: st.DrawFn, names: tuple[str, ...] = FILES) -> SessionCase:
    """One file of a meeting folder (or the transcript export) with 1-4 mutations."""
    name = draw(st.sampled_from(names))
    tree = json.loads(json.dumps(templates()[name]))
    labels = []
    for _ in range(draw(st.integers(1, 4))):
        op, tree = _mutate_tree(tree, draw)
        labels.append(op)
    data = _serialise(name, tree, draw(st.booleans()))
    if draw(st.sampled_from(range(30))) == 29:  # sampled_from: uniform, unlike integers()
        depth = draw(st.sampled_from([1_000, 100_000]))
        return SessionCase(f"nested{depth}", name, b'{"schema": ' + b"[" * depth + b"]" * depth
                           + b"}")
    if draw(st.sampled_from(range(4))) == 3:
        how, data = mutate_bytes(data, draw)
        labels.append(how)
    return SessionCase("+".join(labels), name, data)


def write_folder(case: SessionCase, root: Path) -> Path:
    """A meeting folder under `root` with valid files except the broken one."""
    folder = root / "20260101-000000-meeting"
    folder.mkdir(parents=True)
    for name, tree in templates().items():
        if name != EXPORT:
            (folder / name).write_bytes(_serialise(name, tree, False))
    target = folder / case.name if case.name != EXPORT else root / EXPORT
    target.write_bytes(case.data)
    return target


def load_session(folder: Path) -> None:
    """Everything the app and CLI read from a meeting folder, then every text export."""
    from minutes.export import render
    from minutes.session import Session, list_sessions

    listed = list_sessions(folder.parent)
    session = Session.open(folder)
    assert [s.folder for s in listed] == [folder]
    session.load_asr()
    session.load_asr(KEY)
    session.load_asr_checkpoint(KEY)
    session.load_diarization(KEY)
    session.load_corrections()
    session.corrections_key()
    document = session.document()
    if document is not None:
        for fmt in _TEXT_FORMATS:
            render(document, fmt)
    session.update_meta(lambda meta: None)


def load_export(path: Path) -> None:
    """Read a transcript export back; what loads must export again identically."""
    from minutes.export import load_document, render

    document = load_document(path)
    for fmt in _TEXT_FORMATS:
        render(document, fmt)
    first = render(document, "json")
    again = path.with_name("again.json")
    again.write_bytes(first)
    assert render(load_document(again), "json") == first
