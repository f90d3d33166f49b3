"""The final transcription done while a meeting is recorded, so that less is left at Stop.

The finished pipeline cuts a recording into windows of about four minutes at pauses
(`minutes.audio.iter_windows`); where a window ends depends only on the audio up to
half a minute after it. So while the recording grows, every window that the file on
disk already holds entirely can be transcribed exactly as the pipeline would after
Stop: the same model, decoding options, glossary hints, language and window. Those
windows go to the session's ASR checkpoint under a key that names the model and the
options but not the audio (whose fingerprint exists only once the file is final).
When the pipeline runs, `adopt` hands that checkpoint over to the run with the final
key, and the pipeline continues after the last window done, as it resumes any
interrupted run. A crash during the meeting keeps the windows done; a recording that
is recovered continues from them.

A two-track recording is transcribed from the mix so far (`GrowingMix`); its samples
differ from the final mix only by the finer placement of the tracks that the whole
recording's clock anchors give.

The same holds for the speakers: `minutes.during_speakers` collects the voice
embeddings of the finished windows, and after Stop only the clustering waits.
`DuringMeeting` runs such passes in turn (transcript first) on one thread.

Thread contract: a `DuringMeeting` runs on one worker thread (`run`, or repeated
`step`); it lowers that thread's CPU priority, so the capture, the live preview and
the user's own meeting application keep their share of the cores.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from minutes.audio import SAMPLE_RATE, FloatArray, window_cut, window_span
from minutes.progress import CancelToken
from minutes.session import AsrCheckpoint, stage_key

if TYPE_CHECKING:
    from minutes.asr import AsrOptions, Transcriber
    from minutes.capture import Recorder
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.live import AudioSource
    from minutes.session import Session
    from minutes.types import Segment

logger = logging.getLogger(__name__)
T = TypeVar("T")

WHILE_RECORDING = "while-recording"  # the audio input of the key: the file is not final yet
POLL_S = 2.0
NICE = 10  # below the capture and the live preview, above idle work


def while_recording_key(model: str, options: AsrOptions) -> str:
    """The checkpoint key of windows transcribed before the recording was final."""
    return stage_key(audio=WHILE_RECORDING, model=model, options=asdict(options))


def adopt(session: Session, key: str, model: str, options: AsrOptions) -> AsrCheckpoint | None:
    """The windows transcribed while this meeting was recorded, as the checkpoint of the
    run with `key` (saved under it), or None when there are none for this model and
    these options (another model chosen since, hints changed, nothing done). A pass
    still running for this meeting in this process is stopped first (the window in
    flight is finished and kept), so the two never write the checkpoint together."""
    finish_pass(session.folder)
    early = session.load_asr_checkpoint(while_recording_key(model, options))
    if early is None or (not early.segments and early.done_until <= 0):
        return None
    checkpoint = replace(early, key=key)
    session.save_asr_checkpoint(checkpoint)
    logger.info(
        "%s: %.0f s were transcribed during the recording", session.folder.name,
        early.done_until,
    )  # fmt: skip
    return checkpoint


class TranscribeWhileRecording:
    """Transcribes a growing recording's finished windows as the pipeline will.

    Args:
        session: The recording's session (its checkpoint file is written).
        source: The recording as it grows (`WavTail`, or `GrowingMix` for two tracks).
        transcriber: The backend the pipeline will use after Stop.
        options: The decoding options the pipeline will use (`Pipeline.asr_options`).
    """

    name = "transcription"

    def __init__(
        self,
        session: Session,
        source: AudioSource,
        transcriber: Transcriber,
        options: AsrOptions,
    ) -> None:
        self.session = session
        self.source = source
        self.transcriber = transcriber
        self.options = options
        self.key = while_recording_key(transcriber.name, options)
        done = session.load_asr_checkpoint(self.key)  # a restart after a crash goes on
        self.segments: list[Segment] = list(done.segments) if done else []
        self.done = round(done.done_until * SAMPLE_RATE) if done else 0
        self.language: str | None = done.language if done else None
        self.windows = 0
        self.busy = False  # a window is being transcribed

    @property
    def done_seconds(self) -> float:
        return self.done / SAMPLE_RATE

    @property
    def model(self) -> str:
        return self.transcriber.name

    def step(self) -> bool:
        """Transcribe the next window if the recording holds all of it; True if one was."""
        window = next_window(self.source, self.done, self.options.window_seconds)
        if window is None:
            return False
        cut = window.size
        language = self.language or self.options.language
        self.busy = True
        try:
            found, segments = self.transcriber.transcribe_samples(
                window, replace(self.options, language=language),
                offset=self.done / SAMPLE_RATE,
            )  # fmt: skip
        finally:
            self.busy = False
        if self.language is None:
            self.language = found  # as the pipeline: the first window's language holds
        first = len(self.segments)
        self.segments.extend(replace(s, id=first + i) for i, s in enumerate(segments))
        self.done += cut
        self.windows += 1
        self.session.save_asr_checkpoint(
            AsrCheckpoint(self.key, self.done_seconds, tuple(self.segments), self.language)
        )
        logger.info("transcribed during the recording up to %.1f s", self.done_seconds)
        return True

    def start(self, cancel: CancelToken | None = None) -> Runner:
        """Run alone on a new daemon thread; the returned runner stops it."""
        return DuringMeeting(self.session, [self]).start(cancel)


class Pass(Protocol):
    """One kind of work done on the growing recording (transcript, speakers, notes)."""

    name: str
    busy: bool  # in the middle of a step (stopping waits for it)

    def step(self) -> bool:
        """Do the next piece of work if there is one ready; True if one was done."""
        ...


class DuringMeeting:
    """The passes of one meeting, run in turn on one low-priority thread: each round
    does the first pass, in the given order, that has work ready (the transcript
    before the speakers before the notes, which read the transcript). One thread and
    not one per pass: the passes compete for the same two cores, and their models'
    own threads already use both.

    Attributes:
        errors: {pass name: why it stopped}; a failed pass stops alone, and the run
            after Stop does its work.
    """

    def __init__(self, session: Session, passes: list[Pass]) -> None:
        self.session = session
        self.passes = passes
        self.errors: dict[str, str] = {}

    def of_kind(self, kind: type[T]) -> T | None:
        return next((p for p in self.passes if isinstance(p, kind)), None)

    @property
    def busy(self) -> bool:
        return any(p.busy for p in self.passes)

    @property
    def done_seconds(self) -> float:
        """Seconds of the recording transcribed so far."""
        asr = self.of_kind(TranscribeWhileRecording)
        return asr.done_seconds if asr is not None else 0.0

    @property
    def error(self) -> str | None:
        return "; ".join(f"{name}: {why}" for name, why in self.errors.items()) or None

    def interrupt(self) -> None:
        """Cancel the pieces that the run after Stop redoes anyway (a model call of the
        notes), so that Stop waits only for work it would otherwise do itself."""
        for work in self.passes:
            interrupt = getattr(work, "interrupt", None)
            if interrupt is not None:
                interrupt()

    def step(self) -> bool:
        """Do one piece of the first pass that has work ready; True if one was done."""
        for work in self.passes:
            if work.name in self.errors:
                continue
            try:
                if work.step():
                    return True
            except Exception as exc:
                self.errors[work.name] = str(exc) or type(exc).__name__
                logger.warning("%s during the recording stopped: %s", work.name,
                               self.errors[work.name])  # fmt: skip
        return False

    def run(self, stop: threading.Event, cancel: CancelToken | None = None) -> None:
        """Step until `stop` is set (the piece in flight is finished and kept) or
        `cancel` is; the recording never depends on these passes: the pipeline after
        Stop does what is left."""
        lower_thread_priority()
        while not stop.is_set() and not (cancel and cancel.cancelled):
            if not self.step():
                stop.wait(POLL_S)

    def start(self, cancel: CancelToken | None = None) -> Runner:
        """Run on a new daemon thread; the returned runner stops it."""
        return Runner(self, cancel)


_RUNNING: dict[Path, Runner] = {}  # meeting folder -> its pass, while the thread lives
_RUNNING_LOCK = threading.Lock()


def finish_pass(folder: Path, timeout: float | None = None) -> None:
    """Stop the pass running for the meeting in `folder`, if any, and wait for it."""
    with _RUNNING_LOCK:
        runner = _RUNNING.get(folder.resolve())
    if runner is not None:
        runner.stop(timeout)


class Runner:
    """A meeting's passes (`DuringMeeting`) on their own thread."""

    def __init__(self, work: DuringMeeting, cancel: CancelToken | None) -> None:
        self.work = work
        self._stop = threading.Event()
        self._folder = work.session.folder.resolve()
        self._thread = threading.Thread(
            target=self._run, args=(cancel,), name="asr-while-recording", daemon=True
        )
        with _RUNNING_LOCK:
            _RUNNING[self._folder] = self
        self._thread.start()

    def _run(self, cancel: CancelToken | None) -> None:
        try:
            self.work.run(self._stop, cancel)
        finally:
            with _RUNNING_LOCK:
                if _RUNNING.get(self._folder) is self:
                    del _RUNNING[self._folder]

    def request_stop(self) -> None:
        """Ask the passes to end after the piece in flight, without waiting (a GUI
        thread); the run after Stop waits for it (`adopt`)."""
        self._stop.set()
        self.work.interrupt()

    @property
    def running(self) -> bool:
        """A piece of work is in flight (stopping waits for it)."""
        return self._thread.is_alive() and self.work.busy

    def stop(self, timeout: float | None = None) -> DuringMeeting:
        """Let the piece in flight finish (it is kept), then end the thread."""
        self._stop.set()
        self.work.interrupt()
        if threading.current_thread() is not self._thread:
            self._thread.join(timeout)
        return self.work


def next_window(source: AudioSource, done: int, window_s: float) -> FloatArray | None:
    """The samples of the window that starts at sample `done` of a growing recording, cut
    where the finished file will be cut (`minutes.audio.window_cut`), or None while the
    recording does not hold all it takes to decide that."""
    span = window_span(window_s)
    if source.available() - done < span:
        return None
    buffer = source.read(done, done + span)
    cut = window_cut(buffer, window_s)
    # None: fewer samples than available() promised (a track cut short)
    return None if cut is None else buffer[:cut]


def recording_source(recorder: Recorder | TwoTrackRecorder) -> AudioSource:
    """The recorder's audio as it grows: its file, or the mix of its two tracks."""
    from minutes.capture_mix import GrowingMix
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.live import WavTail

    if isinstance(recorder, TwoTrackRecorder):
        return GrowingMix(recorder.tracks)
    return WavTail(recorder.path, lambda: recorder.samples_written)


def lower_thread_priority(nice: int = NICE) -> None:
    """Lower the calling thread's CPU priority (Linux schedules threads one by one;
    threads it starts, like the model's, inherit it). Elsewhere: nothing."""
    if not sys.platform.startswith("linux"):  # a thread id there is not a process id
        return
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), nice)
    except (AttributeError, OSError, PermissionError) as exc:
        logger.debug("cannot lower the thread's priority: %s", exc)
