"""Speaker embeddings collected while a meeting is recorded, so that at Stop the
embedded diarizer only clusters.

The offline diarizer (`minutes.diarize.offline`) reads a recording in pause-cut windows
of about four minutes and keeps, per window, its speech regions and one voice
embedding per 0.4 s of speech; only the clustering needs all of them. Every window that
the growing recording already holds entirely is cut where the finished file will be
cut (`minutes.audio.window_cut`), so this pass collects exactly what the run after Stop
would, and saves it (`SpeechSoFar`, an .npz in the meeting's folder) under a key that
names the track and the diarizer's settings. The pipeline's diarization stage continues
from it (`resume_point`); a crash during the meeting keeps the windows done.

A one-track recording is diarized as recorded. In a two-track recording the
microphone is the user and only the system track is diarized, on the recording's
clock (`minutes.track_speakers`); the pass reads the system track alone placed by the
anchors so far (`GrowingMix(only=...)`).

Another diarization backend (pyannote) reads the whole file at once: then there is
no pass, and the run after Stop does all of it.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING

from minutes.audio import SAMPLE_RATE
from minutes.during import WHILE_RECORDING, next_window
from minutes.session import stage_key

if TYPE_CHECKING:
    from minutes.capture import Recorder
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.diarize.embedder import VoiceEncoder
    from minutes.diarize.offline import OfflineConfig, SpeechSoFar
    from minutes.live import AudioSource
    from minutes.session import Session

logger = logging.getLogger(__name__)

MIX = "mix"  # a one-track recording, or the mix of its tracks
SYSTEM = "system"  # the system track alone (two-track recordings)


def speakers_key(track: str, config: OfflineConfig) -> str:
    """The key of embeddings collected before the recording was final."""
    return stage_key(audio=WHILE_RECORDING, diarizer="offline", track=track,
                     config=asdict(config))  # fmt: skip


def checkpoint_path(folder: Path, track: str) -> Path:
    return folder / f"speakers.{track}.partial.npz"


def resume_point(session: Session, track: str) -> SpeechSoFar | None:
    """What the pass collected for this meeting's `track` with today's settings (a pass
    still running is stopped first, its window in flight kept), or None."""
    from minutes.diarize.offline import OfflineConfig, SpeechSoFar
    from minutes.during import finish_pass

    finish_pass(session.folder)
    done = SpeechSoFar.load(
        checkpoint_path(session.folder, track), speakers_key(track, OfflineConfig())
    )
    if done is None or done.done_until <= 0:
        return None
    logger.info("%s: speakers of %.0f s were collected during the recording",
                session.folder.name, done.done_until)  # fmt: skip
    return done


class DiarizeWhileRecording:
    """Collects the speech regions and voice embeddings of a growing recording's
    finished windows, as the offline diarizer will after Stop.

    Args:
        session: The recording's session (its checkpoint file is written).
        source: The audio the diarizer will read (see `diarized_source`).
        track: `MIX` or `SYSTEM`: which audio that is (part of the checkpoint's key).
        config: The diarizer's settings (the default is what the pipeline uses).
        encoder: A voice encoder (else one is loaded on the pass's thread).
    """

    name = "speakers"

    def __init__(
        self,
        session: Session,
        source: AudioSource,
        track: str,
        config: OfflineConfig | None = None,
        encoder: VoiceEncoder | None = None,
    ) -> None:
        from minutes.diarize.offline import OfflineConfig, SpeechSoFar

        self.session = session
        self.source = source
        self.config = config or OfflineConfig()
        self._encoder = encoder
        self.track = track
        self.path = checkpoint_path(session.folder, track)
        key = speakers_key(track, self.config)
        self.so_far = SpeechSoFar.load(self.path, key) or SpeechSoFar(key)
        self.done = round(self.so_far.done_until * SAMPLE_RATE)
        self.busy = False

    @property
    def done_seconds(self) -> float:
        return self.done / SAMPLE_RATE

    def step(self) -> bool:
        """Collect the next window if the recording holds all of it; True if one was."""
        from minutes.diarize.offline import collect_speech

        window = next_window(self.source, self.done, self.config.stream_window_s)
        if window is None:
            return False
        self.busy = True
        try:
            if self._encoder is None:
                from minutes.diarize.embedder import VoiceEncoder

                self._encoder = VoiceEncoder()
            later = collect_speech(
                [(self.done / SAMPLE_RATE, window)], self._encoder, self.config
            )
        finally:
            self.busy = False
        self.so_far.speech.extend(later)
        self.done += window.size
        self.so_far.done_until = self.done_seconds
        self.so_far.save(self.path)
        logger.info("speakers collected during the recording up to %.1f s", self.done_seconds)
        return True


def diarized_source(recorder: Recorder | TwoTrackRecorder) -> tuple[AudioSource, str]:
    """The audio the diarizer will read after Stop, as it grows, and its track name."""
    from minutes.capture_mix import GrowingMix
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.during import recording_source

    if isinstance(recorder, TwoTrackRecorder):
        return GrowingMix(recorder.tracks, only=[SYSTEM]), SYSTEM
    return recording_source(recorder), MIX
