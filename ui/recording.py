"""The recording controller: core `Recorder` + live transcript job, driven from the GUI thread.

Thread contract: every method runs on the GUI thread. The recorder's audio
callback and writer run on their own threads and are only polled here (a
timer reads `level`, `seconds` and errors); the live transcript runs as a
`Job` whose segments arrive as signals.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from glossary.errors import GlossaryError
from glossary.terms import Glossary
from minutes.capture import (
    CaptureError,
    InputDevice,
    Recorder,
    finish_session,
    list_input_devices,
    start_session,
)
from minutes.capture_tracks import TrackNotice, TwoTrackRecorder
from minutes.during import DuringMeeting, Runner
from minutes.live import (
    LiveTranscriber,
    WavTail,
    echo_filter,
    follow_tracks,
    glossary_corrector,
)
from minutes.session import Session, default_recording_title
from ui.workers import Engine, Job, JobRunner

logger = logging.getLogger(__name__)


class RecordingController(QObject):
    """Start/pause/resume/stop a recording; publishes level, time, live text and errors."""

    stateChanged = Signal(str)  # idle | recording | paused | finishing
    levelChanged = Signal(float)  # the microphone (or the one source recorded)
    systemLevelChanged = Signal(float)  # the system audio, in a two-track recording
    elapsedChanged = Signal(float)
    liveSegment = Signal(object)  # minutes.live.LiveSegment
    errorOccurred = Signal(str)
    liveNotice = Signal(str)  # the live transcript changed course (the recording goes on)
    recordingFinished = Signal(object)  # Session, audio complete on disk

    def __init__(
        self, engine: Engine, runner: JobRunner, sd: Any = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.engine = engine
        self.runner = runner
        self._sd = sd
        self.max_seconds: float | None = None
        self.stall_seconds = 3.0  # no audio for this long = the device is gone
        self.last_error_kind: str | None = None  # why the last recording stopped by itself
        self.recorder: Recorder | TwoTrackRecorder | None = None
        self._notices_told = 0
        self.session: Session | None = None
        self.live_job: Job | None = None
        self.early: Runner | None = None  # the final transcription during the meeting
        # Recordings whose minutes' notes were taken during the meeting: their minutes are
        # written as soon as the transcript is done.
        self.minutes_at_stop: dict[Path, DuringMeeting] = {}
        self.state = "idle"
        self._timer = QTimer(self)
        self._timer.setInterval(50)
        self._timer.timeout.connect(self._tick)

    @property
    def sd(self) -> Any:
        if self._sd is None:
            import sounddevice

            self._sd = sounddevice
        return self._sd

    def devices(self) -> list[InputDevice]:
        """Microphones, then the system-audio sources (what the computer plays)."""
        from minutes.capture_system import system_input_devices

        try:
            mics = list_input_devices(self.sd)
        except OSError as exc:  # PortAudio library missing
            logger.warning("no audio system: %s", exc)
            mics = []
        return mics + system_input_devices()

    def system_available(self) -> bool:
        """Whether this computer offers system audio to record next to a microphone."""
        from minutes.capture_system import system_input_devices

        return bool(system_input_devices())

    def start(
        self,
        device: int | str | None = None,
        title: str = "",
        *,
        with_system: bool = False,
        system_device: str | None = None,
    ) -> bool:
        """Start recording into a new session; False (and an error signal) if it cannot.

        `with_system`: also record what the computer plays, as a second track (when
        `device` is a microphone; minutes.capture_tracks)."""
        if self.state != "idle":
            return False
        title = title.strip() or default_recording_title()
        try:
            if not self.devices():
                raise CaptureError(
                    self.tr("No input device found. Connect a microphone and try again.")
                )
            session = start_session(self.engine.sessions_root, title)
        except (CaptureError, OSError) as exc:
            self.errorOccurred.emit(str(exc))
            return False
        try:
            from minutes.capture_system import SystemAudioUnavailable, recorder_source

            try:
                api, chosen = recorder_source(device, self.sd)
            except SystemAudioUnavailable as exc:
                raise CaptureError(str(exc)) from None
            recorder: Recorder | TwoTrackRecorder
            if with_system and api is self.sd:
                recorder = self._two_tracks(session, chosen, system_device)
            else:
                recorder = Recorder(
                    session.folder, sd=api, device=chosen, max_seconds=self.max_seconds,
                    stall_seconds=self.stall_seconds,
                )  # fmt: skip
            recorder.start()
        except CaptureError as exc:
            shutil.rmtree(session.folder, ignore_errors=True)
            self.errorOccurred.emit(str(exc))
            return False
        self.recorder, self.session = recorder, session
        self.last_error_kind = None
        self._notices_told = 0
        self.live_job = self.runner.start(self._live_job(recorder))
        self.early = self._start_early(session, recorder)
        self._set_state("recording")
        self._timer.start()
        return True

    def _two_tracks(
        self, session: Session, mic: int | str | None, system_device: str | None
    ) -> TwoTrackRecorder:
        """The microphone and the system audio; without a system source, the microphone
        alone (the notice says why)."""
        from minutes.capture_system import SystemAudioUnavailable, open_monitors

        sources: dict[str, tuple[Any, int | str | None]] = {"mic": (self.sd, mic)}
        try:
            sources["system"] = (open_monitors(), system_device)
        except SystemAudioUnavailable as exc:
            self.liveNotice.emit(self.tr("Recording the microphone only: {e}").format(e=exc))
        recorder = TwoTrackRecorder(session.folder, sources, max_seconds=self.max_seconds)
        for track in recorder.tracks.values():
            track.stall_seconds = self.stall_seconds
        return recorder

    def _start_early(
        self, session: Session, recorder: Recorder | TwoTrackRecorder
    ) -> Runner | None:
        """Transcribe the recording's finished windows during the meeting, as the run after
        Stop will (minutes.during), when the settings ask for it; None where it cannot
        start (everything is then transcribed after Stop)."""
        engine = self.engine
        if not engine.config.extra.get("transcribe_while_recording", True):
            return None
        notes = None
        if engine.config.extra.get("notes_while_recording", True):
            from minutes.llm.summarise import SummariseOptions

            template = str(engine.config.extra.get("minutes_template") or "general")
            notes = SummariseOptions(template=template)
        try:
            work = engine.service.during_meeting(
                session, recorder, engine.run_options(), engine.glossary(), notes=notes
            )
        except Exception as exc:
            logger.warning("transcribing after Stop only: %s", exc)
            return None
        from minutes.during_notes import NotesWhileRecording

        if work.of_kind(NotesWhileRecording) is not None:
            self.minutes_at_stop[session.folder.resolve()] = work
        return work.start()

    def _live_job(self, recorder: Recorder | TwoTrackRecorder) -> Job:
        engine = self.engine
        language = engine.config.language
        try:
            glossary = engine.glossary()
        except GlossaryError as exc:  # the recording matters more than live corrections
            logger.warning("live transcript without glossary: %s", exc)
            glossary = Glossary()

        def fn(job: Job) -> None:
            with engine.model_lock:
                decode, guide = engine.service.live_decoding(glossary, language)
                decode.on_note = self.liveNotice.emit  # a queued signal: safe from this thread
                tracks = recorder.tracks if isinstance(recorder, TwoTrackRecorder) else {
                    "": recorder}  # fmt: skip
                tails = {
                    name: WavTail(track.path, lambda track=track: track.samples_written)
                    for name, track in tracks.items()
                }
                lives = [
                    LiveTranscriber(
                        tail,
                        decode,
                        job.signals.item.emit,
                        correct=glossary_corrector(glossary, decode.language),
                        guide=guide,
                        track=name,
                        # Without headphones the microphone hears the others too.
                        echo=echo_filter(tail, tails["system"])
                        if name == "mic" and "system" in tails
                        else None,
                    )
                    for name, tail in tails.items()
                ]
                follow_tracks(
                    lives, lambda: recorder.state in ("stopped", "failed"), cancel=job.cancel
                )

        job = Job("Live transcript", fn, uses_model=True)
        job.signals.item.connect(self.liveSegment)
        job.signals.failed.connect(lambda msg: logger.warning("live transcript: %s", msg))
        job.signals.failed.connect(
            lambda msg: self.liveNotice.emit(
                self.tr("Live transcript stopped: {e}. The recording goes on and is "
                        "transcribed when you stop.").format(e=msg)
            )
        )  # fmt: skip
        return job

    def toggle(self) -> None:
        """The hotkey: start when idle, stop when recording."""
        if self.state == "idle":
            extra = self.engine.config.extra
            both = bool(extra.get("record_system", True)) and self.system_available()
            self.start(extra.get("input_device"), with_system=both)
        elif self.state in ("recording", "paused"):
            self.stop()

    def pause(self) -> None:
        if self.recorder and self.state == "recording":
            self.recorder.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self.recorder and self.state == "paused":
            self.recorder.resume()
            self._set_state("recording")

    def stop(self) -> Session | None:
        """Stop, make the files final and hand the session on (audio complete)."""
        if self.recorder is None or self.session is None or self.state == "finishing":
            return None
        self._set_state("finishing")
        self._timer.stop()
        recorder, session = self.recorder, self.session
        recorder.stop()
        if self.early is not None:  # the final run waits for its window in flight
            self.early.request_stop()
            self.early = None
        self.last_error_kind = recorder.error_kind
        try:
            finish_session(session)
        except Exception as exc:  # the audio stays; the library shows the session anyway
            logger.exception("finishing the session failed")
            if recorder.error is None:  # else the disk-full message already says it all
                self.errorOccurred.emit(str(exc))
        self.elapsedChanged.emit(recorder.seconds)
        self.levelChanged.emit(0.0)
        self.systemLevelChanged.emit(0.0)
        self.recorder = None
        self._set_state("idle")
        self.recordingFinished.emit(session)
        return session

    def _tick(self) -> None:
        rec = self.recorder
        if rec is None:
            return
        recording = self.state == "recording"
        if isinstance(rec, TwoTrackRecorder):
            levels = rec.levels
            self.levelChanged.emit(levels.get("mic", 0.0) if recording else 0.0)
            self.systemLevelChanged.emit(levels.get("system", 0.0) if recording else 0.0)
        else:
            self.levelChanged.emit(rec.level if recording else 0.0)
        self.elapsedChanged.emit(rec.seconds)
        error = rec.poll()
        if isinstance(rec, TwoTrackRecorder):
            for notice in rec.notices[self._notices_told :]:
                self.liveNotice.emit(self._notice_text(notice))
            self._notices_told = len(rec.notices)
        if rec.finished_by_itself or rec.state == "failed":
            if error:
                self.errorOccurred.emit(self._failure_message(rec, error))
            self.stop()

    def _notice_text(self, notice: TrackNotice) -> str:
        """A two-track recording's notice, in the user's language."""
        source = self.tr("The microphone") if notice.track == "mic" else self.tr(
            "The system audio")  # fmt: skip
        if notice.kind == "silent":
            return self.tr(
                "{source} has been silent for a minute while the other track has sound: is it "
                "the right device, or muted?"
            ).format(source=source)
        if notice.kind == "not_started":
            return self.tr("{source} is not recorded ({e}); the other track is.").format(
                source=source, e=notice.message
            )
        return self.tr("{source} stopped; the other track keeps recording. ({e})").format(
            source=source, e=notice.message
        )

    def _failure_message(self, rec: Recorder | TwoTrackRecorder, error: str) -> str:
        """What the user reads when the recording stopped by itself (translated)."""
        title = self.session.meta.title if self.session else ""
        if rec.error_kind == "disk_full":
            return self.tr(
                "The disk is full: recording stopped. Everything recorded until then is kept "
                "in “{title}”. Free some disk space before recording again."
            ).format(title=title)
        if rec.error_kind == "device_lost":
            return self.tr(
                "The microphone was unplugged or stopped working: recording stopped. Everything "
                "recorded until then is kept in “{title}”. Reconnect it and press Record to go on."
            ).format(title=title)
        return error

    def _set_state(self, state: str) -> None:
        self.state = state
        self.stateChanged.emit(state)
