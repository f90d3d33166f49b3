"""The whole run for one recording: ASR -> glossary correction -> exports.

The CLI and the GUI both call `Pipeline.run`. Each stage writes its artefact
into the session folder atomically and records its inputs, so a re-run with
the same inputs skips finished work and an interrupted ASR resumes from its
last checkpoint. Progress goes to one rising 0..1 scale.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from minutes import config as config_mod
from minutes.asr import AsrOptions, AsrUnavailable, Transcriber, WhisperTranscriber, with_hints
from minutes.audio import AudioError, probe
from minutes.diarize.options import DiarizeOptions
from minutes.during import adopt
from minutes.guided import GuidedOptions
from minutes.progress import (
    Cancelled,
    CancelToken,
    EstimatedProgress,
    ProgressCallback,
    StageProgress,
    null_progress,
)
from minutes.recheck import Guide, correction_key
from minutes.session import (
    AsrCheckpoint,
    Session,
    SessionMeta,
    stage_key,
)
from minutes.types import Correction, Document, Segment, Transcript

__all__ = ["Pipeline", "RunOptions", "RunResult", "correction_key"]

if TYPE_CHECKING:
    from glossary.terms import Glossary

logger = logging.getLogger(__name__)

ASR_SPAN = (0.02, 0.92)
DIARIZE_SHARE = 0.12  # of the overall bar, taken from ASR's part when diarizing
# Guided re-decoding's share, taken from ASR's part when it runs (it costs 6-11 % of a
# long recording's time: docs/BENCHMARKS.md (b)).
GUIDED_SHARE = 0.10
# Seconds of audio per second assumed before the backend's first report (loading the
# model, the first window); only shapes the bar until the measured speed replaces it.
PRIOR_ASR_SPEED = 3.0


@dataclass(frozen=True)
class RunOptions:
    """What the user asked for on one run."""

    model: str = "base"
    language: str = "auto"
    hints: bool = False  # glossary terms as Whisper hotwords (the whole recording)
    guided: bool = True  # re-decode segments where a glossary term is plausible (minutes.guided)
    guided_options: GuidedOptions | None = None  # its limits (None: the measured defaults)
    asr: AsrOptions = field(default_factory=AsrOptions)
    formats: tuple[str, ...] = ("txt", "srt", "json")
    out_dir: Path | None = None
    allow_download: bool = False
    diarize: bool = False  # find who spoke when
    diarization: DiarizeOptions = field(default_factory=DiarizeOptions)  # counts, backend


@dataclass
class RunResult:
    session: Session
    transcript: Transcript
    corrections: list[Correction]
    document: Document
    exported: list[Path] = field(default_factory=list)
    reused_asr: bool = False
    notes: list[str] = field(default_factory=list)  # what the user should know (a fallback)


class Pipeline:
    """Holds the loaded model between files (loading costs seconds)."""

    def __init__(self, sessions_root: Path | None = None) -> None:
        self.sessions_root = sessions_root or config_mod.Config.load().sessions_root()
        self._transcriber: WhisperTranscriber | None = None

    def transcriber(self, model: str, allow_download: bool = False) -> WhisperTranscriber:
        """The local model `model`, loaded once and kept."""
        from minutes.asr.whisper import load_local

        if self._transcriber is None or self._transcriber.name != model:
            self._transcriber = load_local(model, allow_download=allow_download)
        return self._transcriber

    def import_audio(self, audio: Path, title: str | None = None) -> Session:
        """The session of a recording to transcribe: the file is checked first (nothing is
        created for unreadable input), then brought into the library, or the session of
        an earlier import of the same file is reused (its finished work with it).

        Raises:
            AudioError: unreadable input.
        """
        probe(audio)
        return Session.for_audio(self.sessions_root, audio, title)

    def run(
        self,
        session: Session,
        options: RunOptions,
        glossary: Glossary | None = None,
        *,
        transcriber: Transcriber | None = None,
        fallback: Callable[[], Transcriber] | None = None,
        progress: ProgressCallback = null_progress,
        cancel: CancelToken | None = None,
    ) -> RunResult:
        """Transcribe, correct and export one meeting (an import made by `import_audio`,
        or a recording the recorder made).

        Args:
            transcriber: The ASR backend (default: the local model `options.model`).
            fallback: When the backend is unavailable (a server down or too slow), the
                backend to transcribe with instead; None: the error is raised.

        Raises:
            AsrUnavailable: the backend failed and there is no fallback (the recording
                and the windows already transcribed are kept in the session).
            AudioError: the session has no readable audio (before any work starts).
            ModelError: the model is missing or corrupt.
            Cancelled: the user cancelled; finished windows are checkpointed.
        """
        audio = session.audio_path
        if audio is None:
            raise AudioError(f"the meeting in {session.folder} has no audio")
        duration = probe(audio).duration  # fail fast on bad input, before loading a model
        # Saved through update_meta (re-read under the lock): set only in memory, it
        # was dropped by the next update and the library showed 0:00.
        session.update_meta(lambda m: setattr(m, "duration", duration))
        if transcriber is None:
            transcriber = self.transcriber(options.model, options.allow_download)
        notes: list[str] = []
        # One rising bar: each stage gets a share near its usual share of the time.
        correct_from = ASR_SPAN[1] - (GUIDED_SHARE if self._guided_planned(
            options, transcriber, glossary) else 0.0)  # fmt: skip
        asr_span = (ASR_SPAN[0], correct_from - (DIARIZE_SHARE if options.diarize else 0.0))
        asr_progress = StageProgress(progress, "asr", *asr_span)
        asr_options = self.asr_options(options, transcriber, glossary)
        try:
            transcript, reused = self._asr_stage(
                session, transcriber, asr_options, asr_progress, cancel
            )
        except AsrUnavailable as exc:
            if fallback is None:
                raise
            note = f"{exc}; transcribed on this computer instead"
            logger.warning("%s", note)
            notes.append(note)
            asr_progress(0.0, "server unavailable: transcribing on this computer")
            transcriber = fallback()
            asr_options = self.asr_options(options, transcriber, glossary)
            transcript, reused = self._asr_stage(
                session, transcriber, asr_options, asr_progress, cancel
            )
        language = transcript.language
        session.update_meta(lambda m: setattr(m, "language", language))
        if options.diarize:
            stage = StageProgress(progress, "diarize", asr_span[1], correct_from)
            transcript = self._diarize_stage(session, transcript, options, stage, cancel)

        # A Ctrl-C that lands after the last segment must still stop the run before
        # anything is written: the user was told it would cancel.
        _check(cancel)
        corrections = self._correction_stage(
            session,
            transcript,
            glossary,
            StageProgress(progress, "correct", correct_from, 0.97),
            cancel,
            guided=self._guide(options, transcriber, asr_options),
        )
        document = session.document(transcript, corrections)
        assert document is not None
        exported: list[Path] = []
        _check(cancel)
        if options.out_dir is not None and options.formats:
            from minutes.export import export_all

            StageProgress(progress, "export", 0.97, 1.0)(0.0, "exporting")
            exported = export_all(document, options.out_dir, export_stem(session), options.formats)
        progress_done = StageProgress(progress, "done", 1.0, 1.0)
        progress_done(1.0, "done")
        return RunResult(session, transcript, corrections, document, exported, reused, notes)

    # -- stages ----------------------------------------------------------
    @staticmethod
    def asr_options(
        options: RunOptions, transcriber: Transcriber, glossary: Glossary | None
    ) -> AsrOptions:
        """The decoding options a run with `options` uses (hints from the glossary)."""
        asr = replace(options.asr, language=options.language)
        return with_hints(asr, transcriber, glossary) if options.hints else asr

    @staticmethod
    def _guided_planned(
        options: RunOptions, transcriber: Transcriber, glossary: Glossary | None
    ) -> bool:
        from minutes.guided import GuidedDecoder

        return bool(options.guided and glossary and isinstance(transcriber, GuidedDecoder))

    @staticmethod
    def _guide(options: RunOptions, transcriber: Transcriber, asr: AsrOptions) -> Guide | None:
        """Guided re-decoding needs a backend that decodes and scores clips itself (the
        local model); a server's first pass is corrected by the matcher alone."""
        from minutes.guided import GuidedDecoder

        if not options.guided or not isinstance(transcriber, GuidedDecoder):
            return None
        return Guide(transcriber, asr, options.guided_options or GuidedOptions())

    def _asr_stage(
        self,
        session: Session,
        transcriber: Transcriber,
        asr: AsrOptions,
        stage: StageProgress,
        cancel: CancelToken | None,
    ) -> tuple[Transcript, bool]:
        audio = session.audio_path
        if audio is None:
            raise AudioError(f"session {session.folder} has no audio")
        inputs = {
            "audio": session.meta.fingerprint,
            "model": transcriber.name,
            "options": asdict(asr),
        }
        key = stage_key(**inputs)
        done = session.load_asr(key)
        if done is not None:
            logger.info("ASR already done for %s; reusing it", session.folder.name)
            return done, True

        # A recording's windows may have been transcribed while it was recorded.
        checkpoint = session.load_asr_checkpoint(key) or adopt(session, key, transcriber.name, asr)
        segments: list[Segment] = list(checkpoint.segments) if checkpoint else []
        resume_from = checkpoint.done_until if checkpoint else 0.0
        language = (checkpoint.language if checkpoint else None) or asr.language
        if checkpoint:
            logger.info("resuming ASR at %.1f s", resume_from)
        info: dict[str, Any] = {}
        total = max(session.meta.duration, 1e-3)

        def piece_end(done_s: float) -> float:  # where the window in flight ends
            return min((done_s + asr.window_seconds) / total, 1.0)

        estimate = EstimatedProgress(stage, "transcribing", prior_speed=PRIOR_ASR_SPEED / total)
        try:
            with estimate:
                estimate(resume_from / total)
                estimate.expect(piece_end(resume_from))
                for window_end, window_segments in transcriber.transcribe_windows(
                    audio,
                    replace(asr, language=language),
                    skip_until=resume_from,
                    progress=estimate,
                    cancel=cancel,
                    info=info,
                ):
                    start_id = len(segments)
                    segments.extend(
                        replace(s, id=start_id + i) for i, s in enumerate(window_segments)
                    )
                    session.save_asr_checkpoint(
                        AsrCheckpoint(key, window_end, tuple(segments), info.get("language"))
                    )
                    estimate.expect(piece_end(window_end))
        except Cancelled:
            logger.info("ASR cancelled; %d segments kept in the checkpoint", len(segments))
            raise
        transcript = Transcript(
            language=info.get("language") or language or "auto",
            duration=info.get("duration") or session.meta.duration,
            segments=tuple(segments),
            model=transcriber.name,
            audio_path=str(audio),
        )
        session.save_asr(transcript, key, inputs)
        return transcript, False

    def _diarize_stage(
        self,
        session: Session,
        transcript: Transcript,
        options: RunOptions,
        stage: StageProgress,
        cancel: CancelToken | None,
    ) -> Transcript:
        """Who spoke when; splits segments at speaker changes and names known voices."""
        from minutes.diarize import assign_word_speakers, diarize_full
        from minutes.during_speakers import MIX

        audio_path = session.audio_path
        if audio_path is None:
            raise AudioError(f"session {session.folder} has no audio")
        wanted = options.diarization
        inputs = {  # the same key as before DiarizeOptions: saved results stay valid
            "audio": session.meta.fingerprint,
            "backend": wanted.backend,
            "pipeline": wanted.pyannote_pipeline,
            "speakers": [wanted.speakers, wanted.min_speakers, wanted.max_speakers],
        }
        from minutes.track_speakers import two_tracks

        tracks = two_tracks(session.folder)
        if tracks is not None:  # the microphone is the user; only the system is diarized
            inputs["tracks"] = "mic-user/system-diarized"
        key = stage_key(**inputs)
        result = session.load_diarization(key)
        if result is None:
            if tracks is not None:
                result = self._diarize_tracks(session, tracks, wanted, stage, cancel)
            else:
                result = diarize_full(
                    audio_path,  # streamed by the offline backend: memory independent of length
                    options=wanted,
                    progress=lambda f: stage(f, "finding speakers"),
                    cancel=cancel,
                    resume=self._collected(session, wanted, MIX),
                )
                # Name known voices before saving: a re-run skips this block once
                # diarization.json exists, so a kill in between would lose the names.
                self._name_known_voices(session, result, audio_path)
            session.save_diarization(result, key, inputs)
        segments = assign_word_speakers(transcript.segments, result.turns)
        return replace(transcript, segments=tuple(segments))

    def _diarize_tracks(
        self,
        session: Session,
        tracks: Any,
        wanted: DiarizeOptions,
        stage: StageProgress,
        cancel: CancelToken | None,
    ) -> Any:
        """Diarize the system track alone (on the recording's timeline); the user's turns
        come from the microphone track (minutes.track_speakers)."""
        from minutes.diarize import diarize_full
        from minutes.during_speakers import SYSTEM
        from minutes.track_speakers import USER_SPEAKER, envelope, system_on_clock, user_turns

        placed = session.folder / "system.timeline.wav"
        try:
            system_on_clock(tracks, placed)
            result = diarize_full(
                placed, options=wanted, progress=lambda f: stage(0.9 * f, "finding speakers"),
                cancel=cancel, resume=self._collected(session, wanted, SYSTEM),
            )  # fmt: skip
            self._name_known_voices(session, result, placed)
        finally:
            placed.unlink(missing_ok=True)
        stage(0.95, "finding the microphone's speech")
        mine = user_turns(
            envelope(tracks.mic, tracks.t0, tracks.seconds),
            envelope(tracks.system, tracks.t0, tracks.seconds),
        )
        turns = tuple(sorted((*result.turns, *mine), key=lambda t: (t.start, t.end)))

        def name_user(meta: SessionMeta) -> None:
            meta.speaker_names.setdefault(USER_SPEAKER, "Me")

        session.update_meta(name_user)
        return replace(result, turns=turns)

    @staticmethod
    def _collected(session: Session, wanted: DiarizeOptions, track: str) -> Any:
        """What was collected of this track's speakers during the recording, or None."""
        if wanted.backend != "offline":
            return None
        from minutes.during_speakers import resume_point

        return resume_point(session, track)

    @staticmethod
    def _name_known_voices(session: Session, result: Any, audio_path: Any) -> None:
        """Label speakers whose voice matches a saved profile; user names win."""
        from minutes.diarize.profiles import VoiceProfileStore, label_speakers

        store = VoiceProfileStore(config_mod.voices_dir())
        if not store.profiles():
            return
        from minutes.audio import load_audio

        # Offline results carry voice embeddings; only pyannote's need the audio.
        samples = None if result.embeddings else load_audio(audio_path)
        names = label_speakers(result, store, audio=samples)

        def add_names(meta: SessionMeta) -> None:
            for speaker, name in names.items():
                meta.speaker_names.setdefault(speaker, name)

        session.update_meta(add_names)

    def _correction_stage(
        self,
        session: Session,
        transcript: Transcript,
        glossary: Glossary | None,
        stage: StageProgress,
        cancel: CancelToken | None,
        *,
        guided: Guide | None = None,
    ) -> list[Correction]:
        if glossary is None:
            return session.load_corrections()
        from minutes.recheck import correct_session

        return correct_session(
            session, transcript, glossary, guided,
            progress=lambda f, label: stage(f, label), cancel=cancel,
        )  # fmt: skip


def export_stem(session: Session) -> str:
    """Exports are named after the imported file (meeting.m4a -> meeting.txt), a recording
    after its title."""
    from minutes.export import safe_stem

    source = session.meta.source
    if source and Path(source).parent.resolve() != session.folder.resolve():
        return Path(source).stem
    return safe_stem(session.meta.title or session.folder.name)


def _check(cancel: CancelToken | None) -> None:
    if cancel is not None:
        cancel.raise_if_cancelled()
