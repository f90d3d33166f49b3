"""Typed contracts between pipeline stages.

The raw ASR output (`Transcript`) is never overwritten: every change to the
text is a `Correction` record with provenance, and `apply_corrections` derives
the reviewed text from the two without mutating either.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class CorrectionSource(StrEnum):
    """Who proposed a correction."""

    GLOSSARY = "glossary"
    GUIDED = "guided"  # glossary-guided re-decoding confirmed by the audio (minutes.guided)
    LLM = "llm"
    USER = "user"


class CorrectionStatus(StrEnum):
    """Review state of a correction; only accepted ones change the text."""

    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Word:
    """One recognised word with its time span in seconds."""

    start: float
    end: float
    text: str
    probability: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "text": self.text,
            "probability": round(self.probability, 4),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Word:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            text=str(data["text"]),
            probability=float(data.get("probability", 1.0)),
        )


@dataclass(frozen=True)
class Segment:
    """A stretch of speech as the recogniser produced it (raw text)."""

    id: int
    start: float
    end: float
    text: str
    words: tuple[Word, ...] = ()
    speaker: str | None = None
    avg_logprob: float | None = None
    no_speech_prob: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "speaker": self.speaker,
            "text": self.text,
            "words": [w.to_dict() for w in self.words],
            "avg_logprob": self.avg_logprob,
            "no_speech_prob": self.no_speech_prob,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Segment:
        return cls(
            id=int(data["id"]),
            start=float(data["start"]),
            end=float(data["end"]),
            # Accept both the internal key and the export contract's key.
            text=str(data["text_raw"] if "text_raw" in data else data["text"]),
            words=tuple(Word.from_dict(w) for w in data.get("words") or ()),
            speaker=data.get("speaker"),
            avg_logprob=data.get("avg_logprob"),
            no_speech_prob=data.get("no_speech_prob"),
        )


@dataclass(frozen=True)
class Transcript:
    """Raw recogniser output for one recording. Never edited after ASR."""

    language: str
    duration: float
    segments: tuple[Segment, ...]
    model: str = ""
    audio_path: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "language": self.language,
            "duration": round(self.duration, 3),
            "model": self.model,
            "audio_path": self.audio_path,
            "segments": [s.to_dict() for s in self.segments],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        return cls(
            language=str(data.get("language") or "auto"),
            duration=float(data.get("duration") or 0.0),
            segments=tuple(Segment.from_dict(s) for s in data.get("segments") or ()),
            model=str(data.get("model") or ""),
            audio_path=data.get("audio_path"),
        )

    def segment(self, segment_id: int) -> Segment:
        for seg in self.segments:
            if seg.id == segment_id:
                return seg
        raise KeyError(f"no segment with id {segment_id}")

    def with_speakers(self, speakers: Mapping[int, str | None]) -> Transcript:
        """Return a copy whose segments carry the given speaker labels."""
        segs = tuple(replace(s, speaker=speakers.get(s.id, s.speaker)) for s in self.segments)
        return replace(self, segments=segs)


def _new_id() -> str:
    return uuid.uuid4().hex[:12]


@dataclass(frozen=True)
class Correction:
    """One proposed or decided change to a segment's raw text.

    `start_char`/`end_char` index into the segment's *raw* text, so a
    correction stays valid whatever else was accepted or rejected.
    """

    segment_id: int
    start_char: int
    end_char: int
    before: str
    after: str
    source: CorrectionSource
    term: str | None = None
    score: float = 1.0
    status: CorrectionStatus = CorrectionStatus.PROPOSED
    rule: str | None = None  # matcher rule or model/prompt id that produced it
    decided: bool = False  # the user accepted/rejected it (kept across re-runs)
    id: str = field(default_factory=_new_id)
    # Provenance beyond the span, e.g. a guided re-decoding's first-pass and hinted
    # texts, the terms offered and both scores. JSON-serialisable.
    detail: Mapping[str, Any] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "segment_id": self.segment_id,
            "start_char": self.start_char,
            "end_char": self.end_char,
            "before": self.before,
            "after": self.after,
            "source": self.source.value,
            "term": self.term,
            "score": round(self.score, 4),
            "status": self.status.value,
            "rule": self.rule,
            "decided": self.decided,
            **({"detail": dict(self.detail)} if self.detail else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Correction:
        return cls(
            id=str(data.get("id") or _new_id()),
            segment_id=int(data["segment_id"]),
            start_char=int(data["start_char"]),
            end_char=int(data["end_char"]),
            before=str(data["before"]),
            after=str(data["after"]),
            source=CorrectionSource(data.get("source", "glossary")),
            term=data.get("term"),
            score=float(data.get("score", 1.0)),
            status=CorrectionStatus(data.get("status", "proposed")),
            rule=data.get("rule"),
            decided=bool(data.get("decided", False)),
            detail=dict(data["detail"]) if isinstance(data.get("detail"), Mapping) else None,
        )

    def decide(self, status: CorrectionStatus) -> Correction:
        """The user's accept/reject; later automatic re-runs keep it."""
        return replace(self, status=status, decided=True)


def applied_corrections(raw: str, corrections: Iterable[Correction]) -> list[Correction]:
    """The accepted corrections of one segment that apply to its raw text, in text order.

    Overlapping accepted corrections cannot both apply: a confirmed re-decoding
    (GUIDED) wins over the others, which read the same words in the first pass;
    otherwise the earlier-starting (then longer) one wins. Corrections whose
    `before` no longer matches the raw span are ignored as stale.
    """
    ranked = sorted(
        (
            c
            for c in corrections
            if c.status is CorrectionStatus.ACCEPTED
            and c.end_char <= len(raw)
            and raw[c.start_char : c.end_char] == c.before
        ),
        key=lambda c: (
            c.source is not CorrectionSource.GUIDED,
            c.start_char,
            -(c.end_char - c.start_char),
        ),
    )
    chosen: list[Correction] = []
    for c in ranked:
        if all(c.end_char <= o.start_char or c.start_char >= o.end_char for o in chosen):
            chosen.append(c)
    return sorted(chosen, key=lambda c: c.start_char)


def corrected_text(raw: str, corrections: Iterable[Correction]) -> str:
    """Apply accepted corrections of one segment to its raw text (`applied_corrections`)."""
    out: list[str] = []
    pos = 0
    for c in applied_corrections(raw, corrections):
        out.append(raw[pos : c.start_char])
        out.append(c.after)
        pos = c.end_char
    out.append(raw[pos:])
    return "".join(out)


def apply_corrections(transcript: Transcript, corrections: Sequence[Correction]) -> dict[int, str]:
    """Return the reviewed text of every segment (segment id -> text). Pure."""
    by_segment: dict[int, list[Correction]] = {}
    for c in corrections:
        by_segment.setdefault(c.segment_id, []).append(c)
    return {s.id: corrected_text(s.text, by_segment.get(s.id, ())) for s in transcript.segments}


@dataclass(frozen=True)
class ReviewedSegment:
    """A segment as the exports see it: raw and reviewed text side by side."""

    id: int
    start: float
    end: float
    speaker: str | None
    text_raw: str
    text: str
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Document:
    """Everything an exporter needs: the reviewed transcript and its metadata."""

    title: str
    language: str
    duration: float
    segments: tuple[ReviewedSegment, ...]
    corrections: tuple[Correction, ...] = ()
    speaker_names: Mapping[str, str] = field(default_factory=dict)
    created: str | None = None  # ISO 8601 date-time of the recording
    model: str = ""

    def speaker_label(self, speaker: str | None) -> str | None:
        """Display name of a speaker id (a user-given name when there is one)."""
        if speaker is None:
            return None
        return self.speaker_names.get(speaker, speaker)

    @classmethod
    def build(
        cls,
        transcript: Transcript,
        corrections: Sequence[Correction] = (),
        *,
        title: str = "",
        speaker_names: Mapping[str, str] | None = None,
        created: str | None = None,
    ) -> Document:
        texts = apply_corrections(transcript, corrections)
        segs = tuple(
            ReviewedSegment(
                id=s.id,
                start=s.start,
                end=s.end,
                speaker=s.speaker,
                text_raw=s.text,
                text=texts[s.id],
                words=s.words,
            )
            for s in transcript.segments
        )
        return cls(
            title=title,
            language=transcript.language,
            duration=transcript.duration,
            segments=segs,
            corrections=tuple(corrections),
            speaker_names=dict(speaker_names or {}),
            created=created,
            model=transcript.model,
        )

    def with_corrections(self, corrections: Sequence[Correction]) -> Document:
        """This document rebuilt over the same raw transcript with another set of corrections."""
        return Document.build(
            self.raw_transcript(),
            corrections,
            title=self.title,
            speaker_names=self.speaker_names,
            created=self.created,
        )

    def raw_transcript(self) -> Transcript:
        """The raw recogniser output behind this document (corrections not applied)."""
        return Transcript(
            language=self.language,
            duration=self.duration,
            segments=tuple(
                Segment(s.id, s.start, s.end, s.text_raw, s.words, s.speaker)
                for s in self.segments
            ),
            model=self.model,
        )

    def to_contract(self) -> dict[str, Any]:
        """The public JSON contract (see README, "Transcript JSON")."""
        return {
            "schema": "minutes.transcript/1",
            "title": self.title,
            "language": self.language,
            "duration": round(self.duration, 3),
            "created": self.created,
            "model": self.model,
            "speakers": dict(self.speaker_names),
            "segments": [
                {
                    "id": s.id,
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "speaker": s.speaker,
                    "text_raw": s.text_raw,
                    "text": s.text,
                    "words": [w.to_dict() for w in s.words],
                }
                for s in self.segments
            ],
            "corrections": [c.to_dict() for c in self.corrections],
        }
