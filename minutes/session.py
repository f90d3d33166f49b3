"""One folder per meeting, holding the audio and each stage's artefact.

Layout::

    <sessions>/<YYYYmmdd-HHMMSS>-<slug>/
        session.json       metadata (title, created, audio, speaker names)
        audio.<ext>        the recording (hard link or copy of an import)
        asr.json           raw transcript + the stage record (inputs, model)
        asr.partial.jsonl  checkpoint of an unfinished ASR run (one line per window)
        diarization.json   speaker turns (+ one voice embedding per speaker)
        corrections.json   glossary/LLM/user corrections with their status

Every file is versioned JSON written atomically. A stage records a key of
its inputs (audio fingerprint, model, options), so a re-run with the same
inputs skips finished work and an interrupted run resumes from its
checkpoint.

Thread contract: a `Session` is not locked; one worker writes a stage at a
time (the GUI serialises jobs per session).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from minutes import validate
from minutes.atomic import atomic_write_json, atomic_write_text
from minutes.diarize.types import DiarizationResult, SpeakerTurn
from minutes.types import Correction, CorrectionSource, Document, Segment, Transcript

logger = logging.getLogger(__name__)

SESSION_SCHEMA = "minutes.session/1"
_META_LOCK = threading.Lock()  # one read-modify-write of a session.json at a time
ASR_SCHEMA = "minutes.asr/1"
CORRECTIONS_SCHEMA = "minutes.corrections/1"
DIARIZATION_SCHEMA = "minutes.diarization/1"
ASR_PARTIAL = "asr.partial.jsonl"


class SessionError(Exception):
    """A session file is missing, unreadable or from an unknown version."""


def fingerprint_file(path: Path) -> str:
    """Cheap identity of an audio file: size plus hashes of its head and tail."""
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        digest.update(fh.read(1 << 20))
        if size > 2 << 20:
            fh.seek(-(1 << 20), os.SEEK_END)
            digest.update(fh.read(1 << 20))
    return digest.hexdigest()[:32]


def stage_key(**inputs: Any) -> str:
    """A stable hash of a stage's inputs."""
    blob = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _read_json(path: Path, schema: str) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise SessionError(f"{path}: unreadable ({exc}).") from exc
    except RecursionError as exc:
        raise SessionError(f"{path}: unreadable (nested too deeply).") from exc
    if not isinstance(data, dict):
        raise SessionError(f"{path}: not a JSON object.")
    found = str(data.get("schema", ""))
    family, _, version = found.partition("/")
    want_family, _, want_version = schema.partition("/")
    if family != want_family:
        raise SessionError(f"{path}: expected a {schema} file, found {found or 'no schema'}.")
    if version.isdigit() and int(version) > int(want_version):
        raise SessionError(f"{path}: written by a newer version ({found}); update the app.")
    return data


def _stage_key(data: Mapping[str, Any]) -> object:
    """The input key a stage file was written for (None when absent or malformed)."""
    stage = data.get("stage")
    return stage.get("key") if isinstance(stage, dict) else None


def _list(data: Mapping[str, Any], name: str) -> list[Any]:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise TypeError(f"{name!r} must be a list, not {type(value).__name__}")
    return value


# The title a recording gets when the user gave none (the app's Record view).
_RECORDING_TITLE = "Meeting %Y-%m-%d %H:%M"


def default_recording_title(when: datetime | None = None) -> str:
    """"Meeting 2025-05-07 10:00": the title of a recording nobody named."""
    return (when or datetime.now()).strftime(_RECORDING_TITLE)


def _slug(text: str) -> str:
    slug = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-")
    return slug[:40] or "meeting"


@dataclass
class SessionMeta:
    id: str
    title: str
    created: str
    audio: str | None = None  # file name inside the session folder
    source: str | None = None  # where an import came from
    fingerprint: str | None = None
    duration: float = 0.0
    language: str | None = None
    speaker_names: dict[str, str] = field(default_factory=dict)

    def title_is_default(self) -> bool:
        """True while the title is the one given automatically (an import's file name, a
        recording's date), not one the user chose: the minutes may then name the meeting."""
        if self.source is not None:
            return self.title == Path(self.source).stem
        try:
            datetime.strptime(self.title, _RECORDING_TITLE)
        except ValueError:
            return False
        return True

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SESSION_SCHEMA,
            "id": self.id,
            "title": self.title,
            "created": self.created,
            "audio": self.audio,
            "source": self.source,
            "fingerprint": self.fingerprint,
            "duration": round(self.duration, 3),
            "language": self.language,
            "speaker_names": self.speaker_names,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], path: Path | None = None) -> SessionMeta:
        """Raises SessionError (naming `path`, the file read) for missing or invalid values."""
        try:
            for name in ("source", "fingerprint", "language"):
                validate.optional_text(data.get(name), name)
            validate.file_name(data.get("audio"), "audio")
            return cls(
                id=str(data["id"]),
                title=str(data.get("title") or data["id"]),
                created=str(data.get("created") or ""),
                audio=data.get("audio"),
                source=data.get("source"),
                fingerprint=data.get("fingerprint"),
                duration=validate.time_value(data.get("duration") or 0.0, "duration"),
                language=data.get("language"),
                speaker_names=validate.names(data.get("speaker_names") or {}, "speaker_names"),
            )
        except validate.LOAD_ERRORS as exc:
            where = f"{path}: " if path is not None else ""
            raise SessionError(f"{where}session metadata is incomplete ({exc}).") from exc


@dataclass(frozen=True)
class AsrCheckpoint:
    """Segments finished so far and the audio time they cover."""

    key: str
    done_until: float
    segments: tuple[Segment, ...]
    language: str | None


class Session:
    """A meeting folder. Create with `Session.create` or open with `Session.open`."""

    def __init__(self, folder: Path, meta: SessionMeta) -> None:
        self.folder = folder
        self.meta = meta
        self._checkpointed: tuple[str, int] | None = None  # (key, segments in the checkpoint)

    # -- lifecycle -------------------------------------------------------
    @classmethod
    def create(cls, root: Path, title: str, *, created: datetime | None = None) -> Session:
        created = created or datetime.now().astimezone()
        base = f"{created:%Y%m%d-%H%M%S}-{_slug(title)}"
        folder = root / base
        n = 1
        while folder.exists():
            n += 1
            folder = root / f"{base}-{n}"
        folder.mkdir(parents=True)
        session = cls(
            folder,
            SessionMeta(id=folder.name, title=title, created=created.isoformat(timespec="seconds")),
        )
        session.save_meta()
        return session

    @classmethod
    def open(cls, folder: Path) -> Session:
        path = folder / "session.json"
        try:
            data = _read_json(path, SESSION_SCHEMA)
        except FileNotFoundError as exc:
            raise SessionError(f"{folder} is not a session folder (no session.json).") from exc
        return cls(folder, SessionMeta.from_dict(data, path))

    @classmethod
    def for_audio(cls, root: Path, audio: Path, title: str | None = None) -> Session:
        """The session of an imported file: reuse the one made from the same audio."""
        fp = fingerprint_file(audio)
        source = str(audio.resolve())
        for existing in list_sessions(root):
            if existing.meta.fingerprint == fp:
                return existing
            if existing.meta.fingerprint is None and existing.meta.source == source:
                # An import killed while its audio was copied in: finish that one.
                existing.attach_audio(audio, fingerprint=fp)
                return existing
        session = cls.create(root, title or audio.stem)
        session.meta.source = source  # saved before the copy, so a re-run finds this session
        session.save_meta()
        session.attach_audio(audio, fingerprint=fp)
        return session

    def save_meta(self) -> None:
        atomic_write_json(self.folder / "session.json", self.meta.to_dict())

    def update_meta(self, change: Callable[[SessionMeta], None]) -> SessionMeta:
        """Re-read session.json, apply `change`, save it atomically.

        The app and a background job may both hold this session: re-reading
        first keeps the other's edits (a title renamed in the library, speaker
        names given in the review) instead of overwriting them with a stale copy.
        """
        with _META_LOCK:
            try:
                path = self.folder / "session.json"
                self.meta = SessionMeta.from_dict(_read_json(path, SESSION_SCHEMA), path)
            except (FileNotFoundError, SessionError) as exc:
                logger.warning("re-reading %s: %s", self.folder, exc)
            change(self.meta)
            self.save_meta()
            return self.meta

    def attach_audio(self, source: Path, *, fingerprint: str | None = None) -> Path:
        """Bring a recording into the session (hard link when possible, else copy)."""
        target = self.folder / f"audio{source.suffix.lower()}"
        tmp = target.with_name(target.name + ".partial")
        try:
            os.link(source, tmp)
        except OSError:
            shutil.copyfile(source, tmp)
        os.replace(tmp, target)
        self.meta.audio = target.name
        self.meta.source = str(source.resolve())
        self.meta.fingerprint = fingerprint or fingerprint_file(target)
        self.save_meta()
        return target

    @property
    def audio_path(self) -> Path | None:
        return self.folder / self.meta.audio if self.meta.audio else None

    # -- ASR stage -------------------------------------------------------
    def load_asr(self, key: str | None = None) -> Transcript | None:
        """The finished raw transcript, if any (and if its inputs match `key`)."""
        path = self.folder / "asr.json"
        try:
            data = _read_json(path, ASR_SCHEMA)
        except FileNotFoundError:
            return None
        if key is not None and _stage_key(data) != key:
            return None
        try:
            return validate.transcript(Transcript.from_dict(data["transcript"]))
        except validate.LOAD_ERRORS as exc:
            raise SessionError(f"{path}: bad transcript ({exc}).") from exc

    def save_asr(self, transcript: Transcript, key: str, inputs: Mapping[str, Any]) -> None:
        atomic_write_json(
            self.folder / "asr.json",
            {
                "schema": ASR_SCHEMA,
                "stage": {"key": key, "inputs": dict(inputs), "finished": _now()},
                "transcript": transcript.to_dict(),
            },
        )
        (self.folder / ASR_PARTIAL).unlink(missing_ok=True)
        self._checkpointed = None

    def save_asr_checkpoint(self, checkpoint: AsrCheckpoint) -> None:
        """Record the windows finished so far.

        The checkpoint is a JSON-lines file: a header, then one line per window
        with only that window's new segments. Each call appends (and fsyncs) the
        segments this session object has not written yet, so a long meeting's
        transcript is written once in all rather than once per window (which
        was quadratic: about 120 rewrites of a growing file for 8 hours). A
        new run, another key or fewer segments than on disk rewrite the file
        atomically.
        """
        path = self.folder / ASR_PARTIAL
        done = self._checkpointed
        segments = checkpoint.segments
        window: dict[str, Any] = {"done_until": checkpoint.done_until,
                                  "language": checkpoint.language}  # fmt: skip
        fresh = done is None or done[0] != checkpoint.key or done[1] > len(segments)
        if fresh or not path.exists():
            header = {"schema": ASR_SCHEMA, "stage": {"key": checkpoint.key, "partial": True}}
            lines = [header, {**window, "segments": [s.to_dict() for s in segments]}]
            atomic_write_text(path, "".join(_json_line(x) for x in lines))
        else:
            assert done is not None
            line = _json_line({**window, "segments": [s.to_dict() for s in segments[done[1] :]]})
            with path.open("a", encoding="utf-8") as fh:
                fh.write(line)
                fh.flush()
                os.fsync(fh.fileno())
        self._checkpointed = (checkpoint.key, len(segments))

    def load_asr_checkpoint(self, key: str) -> AsrCheckpoint | None:
        """The checkpoint of an unfinished run with these inputs; a line torn by a crash
        (the last one) is ignored, so the run resumes after the last whole window."""
        try:
            lines = (self.folder / ASR_PARTIAL).read_text(encoding="utf-8").splitlines()
            header = json.loads(lines[0]) if lines else {}
        except (OSError, ValueError):
            return None
        except RecursionError:
            return None
        if not isinstance(header, dict) or str(header.get("schema")) != ASR_SCHEMA:
            return None
        if _stage_key(header) != key:
            return None
        done_until, language = 0.0, None
        segments: list[Segment] = []
        for line in lines[1:]:
            try:
                window = json.loads(line)
                fresh = [Segment.from_dict(s) for s in _list(window, "segments")]
                for segment in fresh:
                    validate.segment(segment)
                until = validate.time_value(window.get("done_until") or 0.0, "done_until")
                validate.optional_text(window.get("language"), "language")
            except (*validate.LOAD_ERRORS, RecursionError):
                logger.warning("ignoring a torn checkpoint line in %s", self.folder)
                break
            segments.extend(fresh)
            done_until, language = until, window.get("language") or language
        self._checkpointed = None  # the caller's next save rewrites it with what it holds
        return AsrCheckpoint(key, done_until, tuple(segments), language)

    # -- diarization -----------------------------------------------------
    def save_diarization(
        self, result: DiarizationResult, key: str, inputs: Mapping[str, Any]
    ) -> None:
        atomic_write_json(
            self.folder / "diarization.json",
            {
                "schema": DIARIZATION_SCHEMA,
                "stage": {"key": key, "inputs": dict(inputs), "finished": _now()},
                "backend": result.backend,
                "turns": [
                    {"start": round(t.start, 3), "end": round(t.end, 3), "speaker": t.speaker}
                    for t in result.turns
                ],
                "embeddings": {
                    k: [round(float(x), 6) for x in v] for k, v in result.embeddings.items()
                },
            },
        )

    def load_diarization(self, key: str | None = None) -> DiarizationResult | None:
        """The finished diarization, if any (and if its inputs match `key`)."""
        import numpy as np

        path = self.folder / "diarization.json"
        try:
            data = _read_json(path, DIARIZATION_SCHEMA)
        except FileNotFoundError:
            return None
        if key is not None and _stage_key(data) != key:
            return None
        try:
            turns = tuple(
                SpeakerTurn(
                    validate.time_value(t["start"], "turn start"),
                    validate.time_value(t["end"], "turn end"),
                    str(t["speaker"]),
                )
                for t in _list(data, "turns")
            )
            raw = data.get("embeddings") or {}
            if not isinstance(raw, dict):
                raise TypeError("'embeddings' must be an object")
            with np.errstate(over="ignore"):  # 1e300 becomes inf, refused just below
                embeddings = {str(k): np.asarray(v, dtype=np.float32) for k, v in raw.items()}
            for name, vector in embeddings.items():
                if vector.ndim != 1 or not vector.size or not np.isfinite(vector).all():
                    raise ValueError(f"the voice embedding of {name!r} is not a list of numbers")
        except validate.LOAD_ERRORS as exc:
            raise SessionError(f"{path}: bad turn ({exc}).") from exc
        return DiarizationResult(turns, embeddings, str(data.get("backend") or "offline"))

    def load_transcript(self) -> Transcript | None:
        """The transcript to review: raw ASR, split by speaker when diarized."""
        transcript = self.load_asr()
        if transcript is None:
            return None
        diarization = self.load_diarization()
        if diarization is None:
            return transcript
        from minutes.diarize.assign import assign_word_speakers

        segments = assign_word_speakers(transcript.segments, diarization.turns)
        return replace(transcript, segments=tuple(segments))

    def document(
        self,
        transcript: Transcript | None = None,
        corrections: Sequence[Correction] | None = None,
    ) -> Document | None:
        """The reviewed document (speaker splits, corrections, title and names), or None
        before ASR has finished. Pass what the caller already holds to skip re-reading."""
        transcript = transcript if transcript is not None else self.load_transcript()
        if transcript is None:
            return None
        return Document.build(
            transcript,
            self.load_corrections() if corrections is None else corrections,
            title=self.meta.title,
            speaker_names=self.meta.speaker_names,
            created=self.meta.created,
        )

    # -- corrections -----------------------------------------------------
    def load_corrections(self) -> list[Correction]:
        try:
            data = _read_json(self.folder / "corrections.json", CORRECTIONS_SCHEMA)
        except FileNotFoundError:
            return []
        try:
            return [
                validate.correction(Correction.from_dict(c)) for c in _list(data, "corrections")
            ]
        except validate.LOAD_ERRORS as exc:
            raise SessionError(
                f"{self.folder / 'corrections.json'}: bad correction ({exc})."
            ) from exc

    def save_corrections(self, corrections: Sequence[Correction], key: str | None = None) -> None:
        """Saved on every review decision; `atomic_write_json` writes one correction per
        line with json's C encoder (fast enough for a 3-hour meeting's 3,000)."""
        atomic_write_json(
            self.folder / "corrections.json",
            {
                "schema": CORRECTIONS_SCHEMA,
                "stage": {"key": key, "saved": _now()},
                "corrections": [c.to_dict() for c in corrections],
            },
        )

    def corrections_key(self) -> str | None:
        try:
            data = _read_json(self.folder / "corrections.json", CORRECTIONS_SCHEMA)
        except (FileNotFoundError, SessionError):
            return None
        key = _stage_key(data)
        return str(key) if key else None


def merge_glossary_corrections(
    existing: Iterable[Correction],
    fresh: Iterable[Correction],
    sources: Collection[CorrectionSource] = (CorrectionSource.GLOSSARY,),
) -> list[Correction]:
    """Replace automatic corrections of `sources` with a fresh run, keeping the user's decisions.

    Corrections of other sources (LLM, user, and guided re-decoding unless it was
    re-run) are kept as they are. A fresh correction that the user had already
    accepted or rejected (same segment, span and replacement) keeps that decision;
    old ones that the new run no longer produces are dropped unless the user
    decided on them.
    """
    existing = list(existing)
    decided = {
        (c.segment_id, c.start_char, c.end_char, c.after): c
        for c in existing
        if c.source in sources and c.decided
    }
    out = [c for c in existing if c.source not in sources]
    seen: set[tuple[int, int, int, str]] = set()
    for c in fresh:
        k = (c.segment_id, c.start_char, c.end_char, c.after)
        seen.add(k)
        prior = decided.get(k)
        out.append(prior if prior is not None else c)
    out.extend(c for k, c in decided.items() if k not in seen)
    return sorted(out, key=lambda c: (c.segment_id, c.start_char))


def list_sessions(root: Path) -> list[Session]:
    """All readable sessions under `root`, newest first; broken ones are logged and skipped."""
    if not root.is_dir():
        return []
    out: list[Session] = []
    for folder in sorted(root.iterdir(), reverse=True):
        if not (folder / "session.json").is_file():
            continue
        try:
            out.append(Session.open(folder))
        except SessionError as exc:
            logger.warning("skipping session %s: %s", folder, exc)
    return out


def _json_line(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def _now() -> str:
    return datetime.now().astimezone().isoformat(timespec="seconds")
