"""The application service: one Qt-free place that owns the engines (ASR backends, the
language model) and runs the stages, for the CLI and the app alike.

The CLI calls it directly; `ui.workers.Engine` wraps it with the Qt job plumbing.
It decides which ASR backend runs (the settings, or a choice for one run), loads
each backend once, hands the pipeline a fallback to the local model when the user
allowed one, and builds what guided re-decoding and the live transcript need, so
none of that is repeated in the callers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from minutes.asr import AsrOptions, Transcriber, WhisperTranscriber, open_transcriber, with_hints
from minutes.asr.settings import AsrSettings
from minutes.config import Config
from minutes.diarize.options import DiarizeOptions
from minutes.pipeline import Pipeline, RunOptions, RunResult
from minutes.progress import CancelToken, ProgressCallback, null_progress

if TYPE_CHECKING:
    from glossary.terms import Glossary
    from minutes.audio import FloatArray
    from minutes.capture import Recorder
    from minutes.capture_tracks import TwoTrackRecorder
    from minutes.during import DuringMeeting
    from minutes.live import GuideFn
    from minutes.llm.engines.base import Engine as LlmEngine
    from minutes.llm.settings import LlmSettings
    from minutes.llm.summarise import SummariseOptions
    from minutes.recheck import Guide
    from minutes.session import Session
    from minutes.types import Segment

logger = logging.getLogger(__name__)


class MeetingService:
    """Engines and stages for one user's settings.

    Thread contract: the methods that load or run a model are called from worker
    threads; callers that share the service between threads hold `model_lock`
    around them (the app does; the CLI has one thread).
    """

    def __init__(self, config: Config | None = None, sessions_root: Path | None = None) -> None:
        self.config = config or Config.load()
        self.pipeline = Pipeline(sessions_root or self.config.sessions_root())
        self.model_lock = threading.RLock()
        self._remote: tuple[str, Transcriber] | None = None  # (settings key, backend)
        self.llm_lock = threading.Lock()  # one language-model job at a time
        self._llm: LlmEngine | None = None
        self._llm_key: str | None = None  # the settings it was opened with; None: pinned

    # -- settings -----------------------------------------------------------
    def set_config(self, config: Config) -> None:
        self.config = config
        self.pipeline.sessions_root = config.sessions_root()

    def asr_settings(self) -> AsrSettings:
        return AsrSettings.from_config(self.config)

    def backend_name(self, choice: str | None = None) -> str:
        """The backend a run uses: `choice` (one run's `--asr`), else the setting."""
        return choice or self.asr_settings().backend

    # -- engines -----------------------------------------------------------
    def local_transcriber(self, model: str | None = None) -> WhisperTranscriber:
        """The local faster-whisper model (the setting's, or `model`), kept between runs."""
        cfg = self.config
        return self.pipeline.transcriber(model or cfg.model, cfg.allow_download)

    def transcriber(self, backend: str | None = None, model: str | None = None) -> Transcriber:
        """The ASR backend for a run (not loaded yet; the first use loads it).

        Raises:
            AsrUnavailable: the endpoint is not configured or not allowed.
            ModelError: the local model is missing.
        """
        name = self.backend_name(backend)
        if name == "local":
            return self.local_transcriber(model)
        settings = self.asr_settings()
        key = f"{name}:{settings.to_dict()}"
        if self._remote is None or self._remote[0] != key:
            self._remote = (key, open_transcriber(name, self.config, settings))
        return self._remote[1]

    def set_transcriber(self, transcriber: WhisperTranscriber) -> None:
        """Use an already loaded local model (tests; a model shared with another part)."""
        self.pipeline._transcriber = transcriber

    def fallback(self, backend: str | None = None) -> Callable[[], Transcriber] | None:
        """What to transcribe with when the backend fails: the local model if the user
        allowed it, else None (the error reaches the user, the recording stays)."""
        if self.backend_name(backend) == "local" or not self.asr_settings().fallback_local:
            return None
        return self.local_transcriber

    def llm_settings(self) -> LlmSettings:
        from minutes.llm.settings import LlmSettings

        return LlmSettings.from_config(self.config)

    def llm(self, choice: str | None = None) -> LlmEngine:
        """The language model engine: the settings' order, or `choice` (the CLI's ``--llm``);
        opened on first use and kept while the settings stay the same (call from a
        worker, under `llm_lock` when threads share the service).

        Raises:
            EngineUnavailable: No engine in the order could be started.
        """
        import json

        from minutes.llm.engines import open_engine

        settings = self.llm_settings()
        key = json.dumps([settings.to_dict(), choice], sort_keys=True)
        if self._llm is not None and self._llm_key in (None, key):
            return self._llm
        if self._llm is not None:
            self._llm.close()
            self._llm = None
        self._llm = open_engine(settings, choice)
        self._llm_key = key
        return self._llm

    def set_llm(self, engine: LlmEngine | None) -> None:
        """Use this engine whatever the settings say (tests; None: follow the settings)."""
        with self.llm_lock:
            if self._llm is not None and self._llm is not engine:
                self._llm.close()
            self._llm = engine
            self._llm_key = None

    # -- options -----------------------------------------------------------
    def asr_options(self) -> AsrOptions:
        cfg = self.config
        return AsrOptions(language=cfg.language, batch_size=cfg.batch_size, beam_size=cfg.beam_size)

    def run_options(self, diarize: bool | None = None) -> RunOptions:
        """Options for a run from the settings; `diarize` overrides the "find speakers" one."""
        cfg = self.config
        diarize = cfg.diarize if diarize is None else diarize
        return RunOptions(
            model=cfg.model, language=cfg.language, hints=cfg.glossary_hints,
            guided=cfg.guided_decoding, asr=self.asr_options(), formats=(), out_dir=None,
            allow_download=cfg.allow_download, diarize=diarize,
            diarization=DiarizeOptions(speakers=cfg.speakers if diarize else None),
        )  # fmt: skip

    def hinted_options(
        self, options: AsrOptions, transcriber: Transcriber, glossary: Glossary | None
    ) -> AsrOptions:
        """`options` with the glossary as hints when the user turned hints on."""
        return with_hints(options, transcriber, glossary) if self.config.glossary_hints else options

    def guide(self, transcriber: Transcriber | None = None) -> Guide | None:
        """What guided re-decoding needs, or None when it is off or the backend cannot do
        it (a server decodes; only the local model also scores clips)."""
        from minutes.guided import GuidedDecoder
        from minutes.recheck import Guide

        if not self.config.guided_decoding:
            return None
        if transcriber is None:
            transcriber = self.local_transcriber()
        if not isinstance(transcriber, GuidedDecoder):
            return None
        return Guide(transcriber, replace(self.asr_options(), language="auto"))

    # -- stages ------------------------------------------------------------
    def import_audio(self, audio: Path, title: str | None = None) -> Session:
        """Bring a recording into the library (`Pipeline.import_audio`): checked first, an
        earlier import of the same file reused."""
        return self.pipeline.import_audio(audio, title)

    def transcribe(
        self,
        session: Session,
        options: RunOptions,
        glossary: Glossary | None = None,
        *,
        backend: str | None = None,
        progress: ProgressCallback = null_progress,
        cancel: CancelToken | None = None,
    ) -> RunResult:
        """Transcribe, diarize, correct and export one meeting (`Pipeline.run`) with the
        chosen backend, falling back to the local model when that is allowed."""
        name = self.backend_name(backend)
        transcriber = self.transcriber(name, options.model)
        return self.pipeline.run(
            session, options, glossary, transcriber=transcriber,
            fallback=self.fallback(name), progress=progress, cancel=cancel,
        )  # fmt: skip

    # -- the final transcript, while recording -------------------------------------
    def during_meeting(
        self,
        session: Session,
        recorder: Recorder | TwoTrackRecorder,
        options: RunOptions,
        glossary: Glossary | None = None,
        *,
        backend: str | None = None,
        notes: SummariseOptions | None = None,
    ) -> DuringMeeting:
        """The work the run after Stop will do, done on the recording's finished windows
        during the meeting, for one worker thread (`minutes.during`): the transcript as
        `transcribe` makes it (the same backend, options and hints), and, when speakers
        are to be found by the embedded diarizer, their voice embeddings
        (`minutes.during_speakers`), and with `notes` (the minutes' options) the
        minutes' calls on the parts already over (`minutes.during_notes`). The run after
        Stop continues from the first two, the minutes after it from the notes."""
        from minutes.asr.whisper import load_local
        from minutes.during import DuringMeeting, Pass, TranscribeWhileRecording, recording_source
        from minutes.during_speakers import MIX, DiarizeWhileRecording

        transcriber: Transcriber
        if self.backend_name(backend) == "local":
            # Its own copy of the model, loaded by the pass's low-priority thread: the
            # model's threads inherit that priority, so the live preview goes first.
            model = options.model or self.config.model
            transcriber = load_local(model, allow_download=options.allow_download)
        else:
            transcriber = self.transcriber(backend, options.model)
        asr = Pipeline.asr_options(options, transcriber, glossary)
        heard = TranscribeWhileRecording(session, recording_source(recorder), transcriber, asr)
        passes: list[Pass] = [heard]
        speakers: DiarizeWhileRecording | None = None
        if options.diarize and options.diarization.backend == "offline":
            from minutes.during_speakers import diarized_source

            source, track = diarized_source(recorder)
            speakers = DiarizeWhileRecording(session, source, track)
            passes.append(speakers)
        # The notes' lines name the speakers, so they need the speakers as the run after
        # Stop finds them: not with pyannote (whole file), nor with two tracks (the user's
        # turns come from both tracks' loudness over the whole recording). Their calls
        # would never be reused; the minutes then do all the work after Stop.
        foreseeable = not options.diarize or (speakers is not None and speakers.track == MIX)
        if notes is not None and foreseeable:
            from minutes.during_notes import NotesWhileRecording

            passes.append(NotesWhileRecording(
                session, heard, self.llm, self.llm_lock, notes, glossary,
                speakers=speakers, diarization=options.diarization,
            ))  # fmt: skip
        return DuringMeeting(session, passes)

    # -- live transcript ------------------------------------------------------
    def live_decoding(
        self, glossary: Glossary, language: str | None = None
    ) -> tuple[LiveTranscribe, GuideFn | None]:
        """What the live transcript needs: the chosen backend decoding fast (greedy, the
        glossary as hints when turned on), falling back to the local model if the server
        fails and that is allowed, and guided re-decoding where the backend can do it.
        Call from a worker, under `model_lock` (loads the model)."""
        from minutes.live import guided_guide

        language = language or self.config.language
        transcriber = self.transcriber()
        lang = language if language != "auto" or transcriber.multilingual else "en"
        decode = LiveTranscribe(self, transcriber, lang, glossary)
        guide = None
        if self.guide(transcriber) is not None:
            from minutes.guided import GuidedDecoder

            assert isinstance(transcriber, GuidedDecoder)  # self.guide said so
            guide = guided_guide(glossary, transcriber, lambda: decode.language)
        return decode, guide


class LiveTranscribe:
    """A live `TranscribeFn` over a backend; when a server fails and the user allowed
    it, the rest of the meeting is decoded by the local model (said once in the log
    and in `note`). The language detected first is kept (`language`)."""

    def __init__(
        self, service: MeetingService, transcriber: Transcriber, language: str, glossary: Glossary
    ) -> None:
        from minutes.live import WhisperLive, live_asr_options

        self._service = service
        self._glossary = glossary
        options = service.hinted_options(live_asr_options(language), transcriber, glossary)
        self._live = WhisperLive(transcriber, options)
        local = isinstance(transcriber, WhisperTranscriber)
        self._fallback = None if local else service.fallback()
        self.note: str | None = None
        self.on_note: Callable[[str], None] | None = None  # told once, when it falls back

    @property
    def language(self) -> str:
        return self._live.language

    def __call__(self, samples: FloatArray, offset: float) -> list[Segment]:
        from minutes.asr import AsrUnavailable
        from minutes.live import WhisperLive

        try:
            return self._live(samples, offset)
        except AsrUnavailable as exc:
            if self._fallback is None:
                raise
            local = self._fallback()
            self._fallback = None
            self.note = f"{exc}; the live transcript continues on this computer"
            logger.warning("%s", self.note)
            if self.on_note is not None:
                self.on_note(self.note)
            options = self._service.hinted_options(self._live.options, local, self._glossary)
            options = replace(options, initial_prompt=None)
            self._live = WhisperLive(local, replace(options, language=self._live.language))
            return self._live(samples, offset)
