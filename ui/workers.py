"""Workers: the one bridge between Qt and the core.

Thread contract:
- A `Job` wraps a plain function that runs on a `QThreadPool` thread. The
  function gets the job, whose `report` is a core `ProgressCallback` and
  whose `cancel` is a core `CancelToken`; it never touches widgets.
- Progress, streamed items, the result and errors reach the GUI thread as
  signals of `JobSignals`, an object living in the GUI thread, so every
  slot runs there (queued connections).
- A job is validated on the GUI thread before it starts (`validate`), so
  bad input is reported at once and no thread is started for it.
- `Engine` holds what jobs share: the core `MeetingService` (the ASR backends,
  the loaded Whisper model, the stages) and a lock that serialises model use;
  likewise the language model (opened on first use from the LLM settings,
  reused until they change) and its own lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from glossary.store import GlossaryStore
from glossary.terms import Glossary
from minutes import config as config_mod
from minutes.capture import CaptureError
from minutes.diarize.types import DiarizationError, SpeakerTurn
from minutes.errors import USER_ERRORS
from minutes.llm.errors import LlmError
from minutes.pipeline import RunOptions, RunResult
from minutes.progress import Cancelled, CancelToken, Progress
from minutes.service import MeetingService
from minutes.session import Session

# Errors whose message is written for the user: shown as they are, no traceback.
JOB_ERRORS: tuple[type[Exception], ...] = (*USER_ERRORS, CaptureError, LlmError)

if TYPE_CHECKING:
    from minutes.llm.engines.base import Engine as LlmEngine
    from minutes.llm.repair import RepairResult
    from minutes.llm.settings import LlmSettings
    from minutes.meeting import Minutes
    from minutes.types import Correction, Document, Transcript

logger = logging.getLogger(__name__)


class JobSignals(QObject):
    progress = Signal(float, str)
    time_left = Signal(float)  # seconds, where the job can tell (`Progress.eta_s`)
    item = Signal(object)
    partial = Signal(object)  # a result so far, where the job can show one before its end
    succeeded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class Job(QRunnable):
    """One background task with progress, a result, errors and Cancel."""

    def __init__(
        self,
        name: str,
        fn: Callable[[Job], Any],
        *,
        validate: Callable[[], None] | None = None,
        uses_model: bool = False,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.name = name
        self.fn = fn
        self.validate = validate
        self.uses_model = uses_model
        self.cancel = CancelToken()
        self.signals = JobSignals()
        self.done = threading.Event()
        self.result: Any = None
        self.error: str | None = None
        # The view that started it shows its own Cancel: the status bar offers no second one.
        self.cancel_in_view = False

    def report(self, progress: Progress) -> None:
        """A core `ProgressCallback` (worker thread)."""
        self.signals.progress.emit(progress.fraction, progress.message or progress.stage)
        if progress.eta_s is not None:
            self.signals.time_left.emit(progress.eta_s)

    def run(self) -> None:  # worker thread
        try:
            self.result = self.fn(self)
        except Cancelled:
            self.signals.cancelled.emit()
        except JOB_ERRORS as exc:
            self.error = str(exc)
            self.signals.failed.emit(self.error)
        except OSError as exc:
            self.error = f"{exc.strerror or exc} ({exc.filename or ''})".replace(" ()", "")
            self.signals.failed.emit(self.error)
        except Exception as exc:
            logger.exception("job %s failed", self.name)
            self.error = f"Unexpected error: {exc}"
            self.signals.failed.emit(self.error)
        else:
            self.signals.succeeded.emit(self.result)
        finally:
            self.done.set()
            self.signals.finished.emit()


def status_bar_cancels(job: Job) -> bool:
    """Whether the status bar's Cancel stops this job: not one whose view has its own
    Cancel, nor the live transcript (it ends with the recording, by Stop)."""
    return not job.done.is_set() and not job.cancel_in_view and job.name != "Live transcript"


class JobRunner(QObject):
    """Starts jobs on a thread pool and keeps them alive until they finish."""

    jobStarted = Signal(object)
    jobFinished = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(3)
        self.jobs: list[Job] = []

    def start(self, job: Job) -> Job:
        """Validate on this (GUI) thread, then run. Validation errors propagate to the caller."""
        if job.validate is not None:
            job.validate()
        self.jobs.append(job)
        job.signals.finished.connect(lambda: self._finished(job))
        self.jobStarted.emit(job)
        self.pool.start(job)
        return job

    def _finished(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        self.jobFinished.emit(job)

    def cancel_all(self) -> None:
        for job in list(self.jobs):
            job.cancel.cancel()

    def wait(self, ms: int = 30_000) -> bool:
        return bool(self.pool.waitForDone(ms))


class Engine:
    """Core objects the jobs share. Created on the GUI thread."""

    def __init__(self, cfg: config_mod.Config | None = None) -> None:
        self.config = cfg or config_mod.Config.load()
        self.service = MeetingService(self.config)
        self.pipeline = self.service.pipeline
        self.model_lock = self.service.model_lock
        self.glossary_store = GlossaryStore(config_mod.glossary_path())
        self.llm_lock = self.service.llm_lock

    @property
    def sessions_root(self) -> Path:
        return self.config.sessions_root()

    def apply_config(self, cfg: config_mod.Config) -> None:
        """New settings: saved; the pipeline follows the sessions folder and model.

        A language model opened with other LLM settings is reopened on its next use.
        """
        self.config = cfg
        cfg.save()
        self.service.set_config(cfg)

    # -- language model (owned by the service) --------------------------------
    def llm_settings(self) -> LlmSettings:
        return self.service.llm_settings()

    def llm(self) -> LlmEngine:
        """The language model engine (call from a worker, under `llm_lock`)."""
        return self.service.llm()

    def set_llm(self, engine: LlmEngine | None) -> None:
        """Use this engine whatever the settings say (tests; None: follow the settings)."""
        self.service.set_llm(engine)

    def glossary(self) -> Glossary:
        return self.glossary_store.load()

    def transcriber(self) -> Any:
        """The ASR backend the settings choose, ready (a local model is loaded on first use;
        call from a worker, under `model_lock`)."""
        t = self.service.transcriber()
        _ = t.multilingual  # loads a local model
        return t

    def guide(self) -> Any:
        """The loaded local model and first-pass options for guided re-decoding, or None
        when the settings turn it off (under `model_lock`)."""
        return self.service.guide()

    def set_transcriber(self, transcriber: Any) -> None:
        """Use an already loaded local model (tests; a model shared with another part)."""
        self.service.set_transcriber(transcriber)

    def run_options(self, diarize: bool | None = None) -> RunOptions:
        """Options for a run from the settings; `diarize` overrides the "find speakers" one."""
        return self.service.run_options(diarize)


# -- job factories ----------------------------------------------------------
def load_model_job(engine: Engine) -> Job:
    def fn(job: Job) -> str:
        with engine.model_lock:
            return str(engine.transcriber().name)

    return Job("Loading model", fn, uses_model=True)


def transcribe_job(
    engine: Engine, source: Path | Session, title: str | None = None, *,
    diarize: bool | None = None,
) -> Job:  # fmt: skip
    """The pipeline on one meeting: an imported file (brought into the library first) or a
    session the recorder made (a finished recording's final pass, a re-run).

    `diarize` overrides the setting (True: find the speakers of an already transcribed
    meeting; its transcript is reused).
    """
    audio = source.audio_path if isinstance(source, Session) else source

    def validate() -> None:
        from minutes.audio import AudioError, probe

        if audio is None:
            raise AudioError("this meeting has no recording")
        probe(audio)

    def fn(job: Job) -> RunResult:
        glossary = engine.glossary()
        options = engine.run_options(diarize)
        session = source
        if not isinstance(session, Session):
            session = engine.service.import_audio(session, title)
        with engine.model_lock:
            job.cancel.raise_if_cancelled()
            return engine.service.transcribe(
                session, options, glossary, progress=job.report, cancel=job.cancel
            )

    name = title or (source.meta.title if isinstance(source, Session) else source.name)
    return Job(f"Transcribing {name}", fn, validate=validate, uses_model=True)


def _with_guide(engine: Engine | None, job: Job, run: Callable[[Any], Any]) -> Any:
    """`run(guide)` with guided re-decoding's model when the settings ask for it (under the
    model lock, so it waits for any transcription), else `run(None)`."""
    if engine is None or not engine.config.guided_decoding:
        return run(None)
    with engine.model_lock:
        job.cancel.raise_if_cancelled()
        return run(engine.guide())


def correct_job(session: Session, glossary: Glossary, engine: Engine | None = None) -> Job:
    """Fresh automatic corrections for a session's transcript (merged on the GUI thread).

    With an engine whose settings ask for it, guided re-decoding runs too.
    """

    def fn(job: Job) -> tuple[Session, list[Any], str]:
        from minutes.recheck import correction_key, fresh_corrections

        transcript = session.load_transcript()
        if transcript is None:
            return session, [], ""

        def run(guide: Any) -> tuple[Session, list[Any], str]:
            fresh = fresh_corrections(
                transcript, session.audio_path, glossary, guide, cancel=job.cancel,
                progress=lambda f, what: job.report(Progress(f, "correct", what)),
            )  # fmt: skip
            guided_by = guide.transcriber.name if guide is not None else None
            return session, fresh, correction_key(transcript, glossary, guided_by)

        return _with_guide(engine, job, run)  # type: ignore[no-any-return]

    guided = engine is not None and engine.config.guided_decoding
    return Job("Applying glossary", fn, uses_model=guided)


def library_job(engine: Engine, glossary: Glossary, skip: Path | None = None) -> Job:
    """Re-check every other meeting corrected with an older glossary (decisions kept)."""

    def fn(job: Job) -> Any:
        from minutes.recheck import recheck_library

        return _with_guide(engine, job, lambda guide: recheck_library(
            engine.sessions_root, glossary, guide, skip=skip, cancel=job.cancel,
            progress=lambda f, what: job.report(Progress(f, "recheck", what)),
        ))  # fmt: skip

    return Job("Re-checking meetings with the glossary", fn, uses_model=True)


def export_job(document: Any, out_dir: Path, stem: str, formats: list[str]) -> Job:
    from minutes.export import export_all

    def validate() -> None:
        if not formats:
            from minutes.export import ExportError

            raise ExportError("choose at least one format")

    def fn(job: Job) -> list[Path]:
        job.report(Progress(0.1, "export", "exporting"))
        return export_all(document, out_dir, stem, formats)

    return Job("Exporting", fn, validate=validate)


def minutes_job(
    engine: Engine,
    folder: Path,
    document: Document,
    template: str,
    *,
    fast: bool = False,
    model_title: bool = False,
) -> Job:
    """Write the minutes of a meeting with the language model and save them in `folder`.

    `fast` lets a local model read a sample of a long transcript (see `transcript_budget`);
    `model_title` titles the minutes with the model's title (the meeting's is automatic).

    The model's output streams as `item` signals (str pieces); the minutes of what is
    read so far come as a `partial` signal (`MinutesSoFar`) where the notes of a recorded
    meeting were taken during it; the result is the `Minutes`.
    """
    from minutes.llm.templates import load_template

    def validate() -> None:
        load_template(template)  # an unknown or broken template fails before any model loads
        if not any(s.text.strip() for s in document.segments):
            raise LlmError("this meeting has no text to write minutes from")

    def fn(job: Job) -> Minutes:
        from minutes.llm.call_cache import CallCache
        from minutes.llm.pace import machine_pace, remember_pace
        from minutes.llm.summarise import SummariseOptions, SummariseStats, summarise
        from minutes.meeting import save_minutes

        with engine.llm_lock:
            job.cancel.raise_if_cancelled()
            job.report(Progress(0.0, "minutes", "loading the language model"))
            llm = engine.llm()
            job.cancel.raise_if_cancelled()
            stats = SummariseStats()
            try:
                minutes = summarise(
                    document, llm,
                    options=SummariseOptions(
                        template=template, fast=fast, model_title=model_title
                    ),
                    progress=job.report, cancel=job.cancel, on_token=job.signals.item.emit,
                    stats=stats, pace=machine_pace(llm.info.kind, llm.info.model),
                    cache=CallCache(folder), on_partial=job.signals.partial.emit,
                )  # fmt: skip
            finally:  # a cancelled run has measured this machine too
                remember_pace(llm.info.kind, llm.info.model, stats.completions, stats.stages)
        save_minutes(folder, minutes)
        return minutes

    return Job("Writing minutes", fn, validate=validate)


def repair_job(
    engine: Engine,
    session: Session,
    transcript: Transcript,
    corrections: Sequence[Correction],
) -> Job:
    """LLM context repair of a transcript: proposals for review (merged on the GUI thread).

    The result is ``(session, RepairResult)``; the model's output streams as `item` signals.
    """
    existing = list(corrections)

    def fn(job: Job) -> tuple[Session, RepairResult]:
        from minutes.llm.repair import repair_transcript

        glossary = engine.glossary()
        with engine.llm_lock:
            job.cancel.raise_if_cancelled()
            job.report(Progress(0.0, "repair", "loading the language model"))
            llm = engine.llm()
            result = repair_transcript(
                transcript, llm, glossary=glossary, corrections=existing,
                progress=lambda f: job.report(Progress(f, "repair")), cancel=job.cancel,
                on_token=job.signals.item.emit,
            )  # fmt: skip
        return session, result

    return Job("Asking the LLM for fixes", fn)


def minutes_export_job(
    minutes: Minutes, out_dir: Path, stem: str, formats: list[str], document: Document | None
) -> Job:
    """Export minutes (DOCX, Markdown, CSV and iCalendar of the action items)."""
    from minutes.export import ExportError

    def validate() -> None:
        if not formats:
            raise ExportError("choose at least one format")
        if not stem.strip():
            raise ExportError("type a file name")

    def fn(job: Job) -> list[Path]:
        from minutes.export.minutes_formats import export_minutes

        job.report(Progress(0.1, "export", "exporting"))
        return export_minutes(minutes, out_dir, stem, formats, document)

    return Job("Exporting minutes", fn, validate=validate)


def remember_voice_job(audio: Path, name: str, turns: Sequence[SpeakerTurn], speaker: str) -> Job:
    """Save (or extend) the voice profile `name` from `speaker`'s turns in a meeting."""
    from minutes.config import voices_dir
    from minutes.diarize.profiles import VoiceProfile, VoiceProfileStore, save_speaker

    def validate() -> None:
        if not name.strip():
            raise DiarizationError("type a name for this speaker first")
        if not audio.is_file():
            raise DiarizationError(f"the meeting's audio is missing ({audio})")

    def fn(job: Job) -> VoiceProfile:
        from minutes.audio import load_audio

        job.report(Progress(0.1, "voice", "loading audio"))
        samples = load_audio(audio)
        job.cancel.raise_if_cancelled()
        job.report(Progress(0.4, "voice", "measuring the voice"))
        try:
            return save_speaker(VoiceProfileStore(voices_dir()), name, samples, turns, speaker)
        except ValueError as exc:  # no usable speech, or an empty name
            raise DiarizationError(str(exc)) from exc

    return Job(f"Saving voice {name}", fn, validate=validate)
