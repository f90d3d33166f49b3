"""The minutes' notes taken while a meeting is recorded, so that at Stop the minutes
need only the last part and the merge.

The minutes of a meeting (`minutes.llm.summarise`) are one model call per candidate
task line and one per part of the transcript (parts fill the model's context), then a
merge. A part that lies wholly in the past of a meeting that goes on does not change
any more: the same lines, the same prompt (the notes prompt names its part's number,
not how many there will be). So as the transcript grows (`TranscribeWhileRecording`),
this pass builds the document the minutes will read after Stop from the windows done
(the same glossary corrections; speakers from the voices collected so far, clustered
as the diarizer will cluster them), plans the minutes' calls as `summarise` plans
them, and makes the calls of the settled parts and candidate lines, one per step,
keeping each reply in the meeting's folder (`minutes.llm.call_cache`), then merges the
settled parts' notes into a title and summary. The minutes after Stop find those
replies and ask only what differs (their summary is the merge made during the meeting
followed by the last part's own, so Stop writes no merge): the cache is keyed by exactly
what is asked, so nothing stale is reused (another template, a corrected word). The
speakers are the exception: they are clustered once more over all voices at Stop, and
every clustering since a part was noted may have renumbered them or moved a word (which
renumbers the segments after it). Each notes call keeps what its part read, and a part
with the same words at the same times whose speakers agree with those it was noted with
is read as it was asked, its speakers and cited lines translated
(`minutes.llm.noted_parts`), during the meeting and after Stop alike. A meeting whose
notes were kept this way reads its whole transcript (a local model otherwise reads a
sample of a long one).

With nothing settled left to ask, the pass takes the notes of the growing last part as
far as it is transcribed (`summarise.close_part`); the part then ends there, for this pass
and for the minutes after Stop alike (`plan_minutes` finds where the kept notes end), so
at Stop only what was said after the last window is left to read and write, not up to a
whole part. A part is closed only when it holds a quarter of a part or more. Then the
pass reads ahead the prompts of the calls that only Stop can make (the last part's notes;
`Engine.prefill`), so that after Stop a local model reads only what the meeting's end
added to them.

A call in flight is cancelled at Stop (`interrupt`): the minutes after Stop make it.
A kill during the meeting keeps the replies written.
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Protocol

from minutes.progress import Cancelled, CancelToken

if TYPE_CHECKING:
    from glossary.terms import Glossary
    from minutes.diarize.options import DiarizeOptions
    from minutes.during_speakers import DiarizeWhileRecording
    from minutes.llm.engines.base import Engine
    from minutes.llm.summarise import PlannedAsk, SummariseOptions
    from minutes.session import Session
    from minutes.types import Correction, Document, Segment, Transcript

logger = logging.getLogger(__name__)


class TranscriptSoFar(Protocol):
    """What the notes read of the transcription pass (`TranscribeWhileRecording`)."""

    segments: list[Segment]
    language: str | None

    @property
    def done_seconds(self) -> float: ...

    @property
    def model(self) -> str: ...


class NotesWhileRecording:
    """Makes the minutes' calls on the settled part of a growing transcript.

    Args:
        session: The meeting (its folder keeps the replies).
        transcript: The transcription pass whose segments are read.
        engine: Opens (or returns) the language model; called on the pass's thread.
        lock: Held around each call (one model job at a time in the app).
        options: The minutes' options (template, budgets) as the minutes will use them.
        glossary: The glossary the run after Stop corrects with (None: none).
        speakers: The speakers pass, when speakers are found (None: no speakers).
        diarization: The speaker counts the run after Stop clusters with.
    """

    name = "notes"

    def __init__(
        self,
        session: Session,
        transcript: TranscriptSoFar,
        engine: Callable[[], Engine],
        lock: threading.Lock,
        options: SummariseOptions,
        glossary: Glossary | None = None,
        speakers: DiarizeWhileRecording | None = None,
        diarization: DiarizeOptions | None = None,
    ) -> None:
        from minutes.llm.call_cache import CallCache
        from minutes.llm.summarise import during_meeting_options

        self.session = session
        self.transcript = transcript
        self.engine = engine
        self.lock = lock
        self.options = during_meeting_options(options)
        self.glossary = glossary
        self.speakers = speakers
        self.diarization = diarization
        self.cache = CallCache(session.folder, during_meeting=True)
        self.calls = 0  # made by this pass
        self.read_ahead_tokens = 0  # prompt tokens of the calls at Stop read ahead
        self.busy = False
        self._cancel = CancelToken()
        self._idle_at: tuple[int, float] | None = None  # what had nothing left to ask

    def interrupt(self) -> None:
        """Cancel the call in flight (Stop: the minutes after it make the call)."""
        self._cancel.cancel()

    def step(self) -> bool:
        """Make the next settled call whose reply is not kept; True if one was made."""
        if self._cancel.cancelled:
            return False
        heard = (len(self.transcript.segments), self.speakers.done_seconds if self.speakers else 0)
        if heard == self._idle_at or not heard[0]:
            return False
        self.busy = True
        try:
            doc = self.document()  # speakers and corrections: no need to hold the model
            with self.lock:
                engine = self.engine()
                ask = self._next_ask(doc, engine)
                if ask is None:
                    self._read_ahead(doc, engine)
                    self._idle_at = heard
                    return False
                from minutes.llm.engines.base import GenerationOptions

                completion = engine.complete(
                    ask.messages,
                    GenerationOptions(max_tokens=ask.max_tokens, json_schema=ask.schema),
                    cancel=self._cancel,
                )
            self.cache.put(ask.key(engine.info.model), completion, asked=ask.asked(doc))
            self.calls += 1
            logger.info("minutes' %s call made during the recording (%d kept)", ask.stage,
                        len(self.cache))  # fmt: skip
            return True
        except Cancelled:
            return False
        finally:
            self.busy = False

    def _read_ahead(self, doc: Document, engine: Engine) -> None:
        """With every settled call made, read the prompts of the calls left for Stop (the
        last part's notes) as far as they are known, so that after Stop they read only
        what the meeting's end adds."""
        from minutes.llm.summarise import read_ahead

        for messages in read_ahead(doc, engine, self.options, self.cache):
            self.read_ahead_tokens += engine.prefill(messages, cancel=self._cancel)

    def _next_ask(self, doc: Document, engine: Engine) -> PlannedAsk | None:
        """The first call of the minutes of `doc` that is settled and not yet kept: parts
        before the last (which may still grow), then candidate lines before that part,
        then the merge of the settled parts; then the notes of the growing part as far as
        it is transcribed (`close_part`), which settles it there."""
        from minutes.llm.summarise import close_part, merge_so_far, plan_minutes

        plan = plan_minutes(doc, engine, self.options, self.cache)
        if not plan.parts:
            return None
        growing = min(s.id for line in plan.parts[-1] for s in line.segments)
        asks = plan.calls(doc, self.options)
        settled = [a for a in asks if a.segment_ids and max(a.segment_ids) < growing]
        settled.sort(key=lambda a: a.stage != "notes")  # the parts first: most of the work
        model = engine.info.model
        ask = next((a for a in settled if a.key(model) not in self.cache), None)
        if ask is None:  # then the merge of the settled parts, so that Stop writes none
            ask = merge_so_far(plan, doc, engine, self.options, self.cache)
        if ask is None or ask.key(model) in self.cache:
            ask = close_part(plan, engine, self.options)
        return None if ask is None or ask.key(model) in self.cache else ask

    def document(self) -> Document:
        """The document the minutes after Stop will read, from what is done so far."""
        from minutes.types import Document, Transcript

        segments = tuple(self.transcript.segments)
        transcript = Transcript(
            language=self.transcript.language or "auto",
            duration=self.transcript.done_seconds,
            segments=segments,
            model=self.transcript.model,
        )
        if self.speakers is not None:
            transcript = self._with_speakers(transcript)
        corrections: list[Correction] = []
        if self.glossary is not None:
            from minutes.correct import glossary_corrections

            corrections = glossary_corrections(transcript, self.glossary)
        meta = self.session.meta
        return Document.build(transcript, corrections, title=meta.title,
                              speaker_names=meta.speaker_names, created=meta.created)  # fmt: skip

    def _with_speakers(self, transcript: Transcript) -> Transcript:
        """Speakers as the diarizer would find them in the audio collected so far."""
        from minutes.diarize import DiarizeOptions, assign_word_speakers
        from minutes.diarize.offline import diarize_collected

        assert self.speakers is not None
        speech = copy.deepcopy(self.speakers.so_far.speech)
        result = diarize_collected(speech, self.speakers.config,
                                   options=self.diarization or DiarizeOptions())  # fmt: skip
        segments = assign_word_speakers(transcript.segments, result.turns)
        return replace(transcript, segments=tuple(segments))
