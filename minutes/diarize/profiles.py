"""Voice profiles: remember a named speaker's voice and recognise it in later meetings.

A profile is the L2-normalised mean Resemblyzer d-vector of a speaker's speech
in a meeting (1.6 s windows over their turns, overlapped speech left out),
stored as one small JSON file in a folder the caller passes (the user data
folder). Saving the same name again folds the new meeting in, weighted by
seconds of speech. In a later meeting each diarized speaker's embedding is
compared with the profiles; the best one-to-one matches at or above
`MATCH_THRESHOLD` (cosine) get the profile's name, the rest stay numbered.

The threshold was measured with `python bench/diarization_der.py --profiles`
(37 recording-speaker embeddings from AMI, the pyannote sample, the Korean
dialogues and Pansori talks split in halves): the same voice in another
recording scored 0.914-0.991 (n=8), different voices 0.380-0.895 (n=658; the
highest are the two Korean women recorded in one room). 0.90 separates all of
them; it leans towards leaving a voice unnamed rather than misnaming it. The
same-voice pairs share a room and microphone, so a voice recorded elsewhere
will score lower and may stay unnamed until a profile is saved from there too
(saving again folds the new meeting into the profile).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt

from minutes.diarize.embedder import EMBEDDING_DIM, MODEL_ID, VoiceEncoder
from minutes.diarize.features import HOP, PARTIAL_FRAMES, mel_spectrogram, volume_gain
from minutes.diarize.types import DiarizationResult, SpeakerTurn

logger = logging.getLogger(__name__)

MATCH_THRESHOLD = 0.90
PROFILE_SUFFIX = ".voice.json"
SCHEMA = "minutes.voice-profile/1"
SAMPLE_RATE = 16000
MIN_SEGMENT_S = 0.5

FloatArray = npt.NDArray[np.float32]


@dataclass(frozen=True)
class VoiceProfile:
    """A named voice.

    Attributes:
        name: Display name, as the user typed it.
        embedding: Unit-length d-vector (256 floats).
        seconds: Seconds of speech it was averaged over.
        meetings: How many saves were folded in.
        model: Embedding model id; profiles of another model never match.
        created: ISO 8601 UTC time of the first save.
        updated: ISO 8601 UTC time of the last save.
    """

    name: str
    embedding: FloatArray
    seconds: float
    meetings: int = 1
    model: str = MODEL_ID
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": SCHEMA,
            "name": self.name,
            "model": self.model,
            "seconds": round(self.seconds, 2),
            "meetings": self.meetings,
            "created": self.created,
            "updated": self.updated,
            "embedding": [round(float(v), 6) for v in self.embedding],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> VoiceProfile:
        emb = np.asarray(data["embedding"], dtype=np.float32)
        if emb.shape != (EMBEDDING_DIM,) or not np.all(np.isfinite(emb)):
            raise ValueError("bad embedding")
        return cls(
            name=str(data["name"]),
            embedding=_unit(emb),
            seconds=float(data.get("seconds", 0.0)),  # type: ignore[arg-type]
            meetings=int(data.get("meetings", 1)),  # type: ignore[call-overload]
            model=str(data.get("model", MODEL_ID)),
            created=str(data.get("created", "")),
            updated=str(data.get("updated", "")),
        )


@dataclass(frozen=True)
class ProfileMatch:
    """A diarized speaker recognised as a saved voice."""

    speaker: str
    name: str
    similarity: float


def _unit(v: npt.NDArray[np.floating]) -> FloatArray:
    n = float(np.linalg.norm(v))
    return (np.asarray(v, dtype=np.float32) / n) if n > 0 else np.asarray(v, dtype=np.float32)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def normalize_name(name: str) -> str:
    """Canonical form used to compare names (NFC, trimmed, inner whitespace collapsed)."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def profile_filename(name: str) -> str:
    """A safe, stable file name for a profile name (Unicode letters kept, hash-suffixed)."""
    canon = normalize_name(name).casefold()  # "Alice" and "alice" are one profile
    slug = re.sub(r"[^\w-]+", "_", canon, flags=re.UNICODE).strip("_")[:40] or "voice"
    digest = hashlib.sha1(canon.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}{PROFILE_SUFFIX}"


class VoiceProfileStore:
    """Voice profiles as JSON files in one folder.

    Args:
        folder: Where profiles live (created on first save), e.g.
            `<user data>/voice_profiles`.
    """

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        return self.folder / profile_filename(name)

    def profiles(self) -> list[VoiceProfile]:
        """All readable profiles, sorted by name; unreadable files are skipped with a warning."""
        out: list[VoiceProfile] = []
        if not self.folder.is_dir():
            return out
        for path in sorted(self.folder.glob(f"*{PROFILE_SUFFIX}")):
            try:
                out.append(VoiceProfile.from_dict(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                logger.warning("skipping unreadable voice profile %s: %s", path, exc)
        return sorted(out, key=lambda p: p.name.casefold())

    def get(self, name: str) -> VoiceProfile | None:
        """The profile called `name` (compared after `normalize_name`, case-insensitively)."""
        path = self._path(name)
        if not path.is_file():
            return None
        try:
            return VoiceProfile.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("unreadable voice profile %s: %s", path, exc)
            return None

    def save(
        self,
        name: str,
        embedding: npt.NDArray[np.floating],
        seconds: float,
        *,
        replace: bool = False,
    ) -> VoiceProfile:
        """Create or update a profile.

        Args:
            name: Display name (non-empty).
            embedding: A d-vector of this meeting's speech of that person.
            seconds: Seconds of speech behind `embedding` (the weight when merging).
            replace: Overwrite an existing profile instead of folding this one in.

        Returns:
            The stored profile.

        Raises:
            ValueError: Empty name or a malformed embedding.
        """
        from minutes.atomic import atomic_write_json

        display = normalize_name(name)
        if not display:
            raise ValueError("a voice profile needs a name")
        emb = np.asarray(embedding, dtype=np.float32).reshape(-1)
        if emb.shape != (EMBEDDING_DIM,) or not np.all(np.isfinite(emb)) or not np.any(emb):
            raise ValueError(f"expected a non-zero {EMBEDDING_DIM}-d embedding")
        now = _now()
        old = None if replace else self.get(display)
        if old is not None and old.model == MODEL_ID:
            w_old, w_new = max(old.seconds, 1e-3), max(seconds, 1e-3)
            merged = _unit(old.embedding * w_old + _unit(emb) * w_new)
            profile = VoiceProfile(
                name=display,
                embedding=merged,
                seconds=old.seconds + seconds,
                meetings=old.meetings + 1,
                created=old.created or now,
                updated=now,
            )
        else:
            profile = VoiceProfile(display, _unit(emb), float(seconds), 1, MODEL_ID, now, now)
        atomic_write_json(self._path(display), profile.to_dict())
        logger.info("saved voice profile %r (%.0f s of speech)", display, profile.seconds)
        return profile

    def delete(self, name: str) -> bool:
        """Delete a profile; True if there was one."""
        path = self._path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def identify(
        self,
        speakers: Mapping[str, npt.NDArray[np.floating]],
        threshold: float = MATCH_THRESHOLD,
    ) -> dict[str, ProfileMatch]:
        """Recognise diarized speakers among the saved voices.

        Pairs are taken best-first and one-to-one (two speakers of one meeting
        are never given the same name, and a name labels at most one speaker).

        Args:
            speakers: Speaker id -> embedding (e.g. `DiarizationResult.embeddings`).
            threshold: Smallest cosine similarity that counts as the same voice.

        Returns:
            Speaker id -> match, for the recognised speakers only.
        """
        profiles = [p for p in self.profiles() if p.model == MODEL_ID]
        ids = [s for s, v in speakers.items() if np.any(v)]
        if not profiles or not ids:
            return {}
        spk = np.stack([_unit(np.asarray(speakers[s], dtype=np.float32)) for s in ids])
        prof = np.stack([p.embedding for p in profiles])
        sim = spk @ prof.T
        out: dict[str, ProfileMatch] = {}
        used: set[int] = set()
        for flat in np.argsort(-sim, axis=None):
            i, j = divmod(int(flat), sim.shape[1])
            if sim[i, j] < threshold:
                break
            if ids[i] in out or j in used:
                continue
            out[ids[i]] = ProfileMatch(ids[i], profiles[j].name, float(sim[i, j]))
            used.add(j)
        return out


def _exclusive_spans(turns: Sequence[SpeakerTurn], speaker: str) -> list[tuple[float, float]]:
    """The speaker's turns minus any time another speaker's turn overlaps them."""
    others = sorted((t.start, t.end) for t in turns if t.speaker != speaker)
    spans = []
    for t in sorted((t for t in turns if t.speaker == speaker), key=lambda t: t.start):
        pieces = [(t.start, t.end)]
        for a, b in others:
            if b <= t.start or a >= t.end:
                continue
            nxt = []
            for s, e in pieces:
                if b <= s or a >= e:
                    nxt.append((s, e))
                    continue
                if a > s:
                    nxt.append((s, a))
                if b < e:
                    nxt.append((b, e))
            pieces = nxt
        spans.extend(pieces)
    return spans


def embed_speakers(
    audio: npt.NDArray[np.floating],
    turns: Sequence[SpeakerTurn],
    *,
    sample_rate: int = SAMPLE_RATE,
    encoder: VoiceEncoder | None = None,
    step_s: float = 0.8,
    speakers: Sequence[str] | None = None,
) -> dict[str, tuple[FloatArray, float]]:
    """One d-vector per speaker from their (non-overlapped) turns.

    Args:
        audio: Mono samples.
        sample_rate: Their rate (resampled to 16 kHz if different).
        turns: Diarization turns (any backend).
        encoder: Voice encoder (shared instance avoids reloading).
        step_s: Hop between 1.6 s windows inside a turn.
        speakers: Only these speakers (default: all).

    Returns:
        Speaker id -> (unit embedding, seconds of speech used); speakers with
        no usable speech (< 0.5 s pieces only) are left out.
    """
    from minutes.diarize.offline import prepare_audio

    x = prepare_audio(audio, sample_rate)
    enc = encoder or VoiceEncoder()
    wanted = list(dict.fromkeys(speakers if speakers is not None else (t.speaker for t in turns)))
    spans = {s: _exclusive_spans(turns, s) for s in wanted}
    all_spans = [sp for v in spans.values() for sp in v]
    n_sq = sum(int(e * SAMPLE_RATE) - int(s * SAMPLE_RATE) for s, e in all_spans)
    sq = sum(
        float(np.sum(np.square(x[int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)], dtype=np.float64)))
        for s, e in all_spans
    )
    gain = volume_gain(np.array([np.sqrt(sq / max(n_sq, 1))]))
    step = max(1, round(step_s * SAMPLE_RATE / HOP))
    out: dict[str, tuple[FloatArray, float]] = {}
    for spk, pieces in spans.items():
        acc = np.zeros(EMBEDDING_DIM, dtype=np.float64)
        seconds = 0.0
        for s, e in pieces:
            if e - s < MIN_SEGMENT_S:
                continue
            mel = mel_spectrogram(x[int(s * SAMPLE_RATE) : int(e * SAMPLE_RATE)] * gain)
            if mel.shape[0] >= PARTIAL_FRAMES:
                starts = list(range(0, mel.shape[0] - PARTIAL_FRAMES + 1, step))
                batch = np.stack([mel[a : a + PARTIAL_FRAMES] for a in starts])
            else:
                batch = mel[None]
            vecs = enc.embed_mels(batch)
            # Weight by duration so a long turn counts more than a short one.
            acc += vecs.sum(axis=0) * ((e - s) / len(vecs))
            seconds += e - s
        if seconds > 0:
            out[spk] = (_unit(acc), seconds)
    return out


def save_speaker(
    store: VoiceProfileStore,
    name: str,
    audio: npt.NDArray[np.floating],
    turns: Sequence[SpeakerTurn],
    speaker: str,
    *,
    sample_rate: int = SAMPLE_RATE,
    encoder: VoiceEncoder | None = None,
    replace: bool = False,
) -> VoiceProfile:
    """Save (or extend) the profile `name` from `speaker`'s speech in this meeting.

    Raises:
        ValueError: The speaker has no usable speech in `turns`.
    """
    got = embed_speakers(
        audio, turns, sample_rate=sample_rate, encoder=encoder, speakers=[speaker]
    ).get(speaker)
    if got is None:
        raise ValueError(f"{speaker} has no speech long enough to make a voice profile")
    emb, seconds = got
    return store.save(name, emb, seconds, replace=replace)


def label_speakers(
    result: DiarizationResult,
    store: VoiceProfileStore,
    *,
    audio: npt.NDArray[np.floating] | None = None,
    sample_rate: int = SAMPLE_RATE,
    threshold: float = MATCH_THRESHOLD,
    encoder: VoiceEncoder | None = None,
) -> dict[str, str]:
    """Names for the recognised speakers of a diarization (for `Document.speaker_names`).

    Uses `result.embeddings` when present (offline backend); otherwise (e.g.
    pyannote) embeds each speaker's turns from `audio`.

    Returns:
        Speaker id -> profile name, for recognised speakers only.
    """
    embeddings: Mapping[str, npt.NDArray[np.floating]] = result.embeddings
    if not embeddings and audio is not None:
        embeddings = {
            k: v[0]
            for k, v in embed_speakers(
                audio, result.turns, sample_rate=sample_rate, encoder=encoder
            ).items()
        }
    return {k: m.name for k, m in store.identify(embeddings, threshold).items()}
