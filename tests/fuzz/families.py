"""The input families of the bad-input corpus, shared by the tests and `bench.fuzz_inputs`.

Each family pairs a hypothesis strategy with a `check` that runs one input
through the app's entry points in a fresh scratch folder and returns a
`Verdict` (ok / clear / crash / hang).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from tests.fuzz import audio_cases, glossary_cases, session_cases
from tests.fuzz.harness import Verdict, judge

_SEVERITY = {"ok": 0, "clear": 1, "crash": 2, "hang": 3}


def worst(*verdicts: Verdict) -> Verdict:
    return max(verdicts, key=lambda v: _SEVERITY[v.kind])


def _scratch() -> Path:
    return Path(tempfile.mkdtemp(prefix="minutes-fuzz-"))


def check_audio(case: audio_cases.AudioCase) -> Verdict:
    folder = _scratch()
    try:
        path = audio_cases.materialise(case, folder)
        verdict = worst(
            # The pipeline decodes the session's copy, audio<suffix>, so errors name that.
            judge(lambda: audio_cases.before_asr(path, folder / "sessions"), path,
                  aliases=(f"audio{case.suffix}",)),
            judge(lambda: audio_cases.decode_only(path), path),
        )
        if case.must_decode:
            valid = judge(lambda: audio_cases.check_valid_decode(case, path), path)
            if valid.kind != "ok":  # a well-formed file must be accepted
                return Verdict("crash", f"valid file refused: {valid.detail}")
            return worst(verdict, valid)
        return verdict
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_glossary(case: glossary_cases.GlossaryCase) -> Verdict:
    folder = _scratch()
    try:
        path = folder / f"glossary{case.suffix}"
        path.write_bytes(case.data)
        return judge(lambda: glossary_cases.load_and_use(path, folder), path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def check_session(case: session_cases.SessionCase) -> Verdict:
    folder = _scratch()
    try:
        path = session_cases.write_folder(case, folder / "sessions")
        if case.name == session_cases.EXPORT:
            return judge(lambda: session_cases.load_export(path), path)
        return judge(lambda: session_cases.load_session(path.parent), path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass(frozen=True)
class Family:
    name: str
    strategy: st.SearchStrategy[Any]
    check: Callable[[Any], Verdict]
    what: str


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in (
        Family("audio-broken", audio_cases.broken_files(), check_audio,
               "truncated/corrupted/garbage/lying-header files of all 10 accepted formats"),
        Family("audio-valid", audio_cases.valid_variants(), check_audio,
               "well-formed files at 8-96 kHz, 1-8 channels, tone or silence"),
        Family("glossary", glossary_cases.glossary_files(), check_glossary,
               "CSV/TSV/TXT/JSON glossaries: encodings, BOMs, columns, sizes, nesting"),
        Family("session", session_cases.session_files(), check_session,
               "session.json, asr.json, ASR checkpoint, diarization.json, corrections.json"),
        Family("transcript", session_cases.session_files((session_cases.EXPORT,)),
               check_session, "transcript JSON exports read back with load_document"),
    )
}
