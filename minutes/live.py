"""Live transcript while recording: cut the growing recording at pauses, transcribe each piece.

The recording on disk is the only source: `LiveTranscriber` keeps a read
position into it and, when ASR falls a little behind, reads on from there, so
nothing is skipped and the queue costs no memory (it is the file). When it
falls more than `max_behind_s` behind (a slow machine, a long stall), live text
would come minutes late and the backlog would keep the model busy after Stop,
so it jumps to the newest audio instead and counts the seconds it skipped. The
live text is a preview: a finished recording is transcribed in full by the
normal pipeline (`Pipeline.run`), so the live pass favours speed (greedy
decoding, no word timestamps).

Thread contract: a `LiveTranscriber` runs on one worker thread (`run` or
repeated `step` calls). `on_segment` is called on that thread and must not
touch widgets (the GUI marshals it through a signal). The audio source may
be written by another thread while it is read: `available()` only ever
grows, and samples below it are complete on disk.
"""

from __future__ import annotations

import logging
import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from minutes.audio import SAMPLE_RATE, FloatArray
from minutes.progress import CancelToken
from minutes.types import Correction, Segment, corrected_text

if TYPE_CHECKING:
    from glossary.terms import Glossary
    from minutes.asr import AsrOptions, Transcriber
    from minutes.guided import GuidedDecoder

logger = logging.getLogger(__name__)

TranscribeFn = Callable[[FloatArray, float], list[Segment]]
CorrectFn = Callable[[Segment], tuple[str, tuple[Correction, ...]]]
# Guided re-decoding of one live segment: (segment, its chunk's samples, chunk offset s).
GuideFn = Callable[[Segment, FloatArray, float], list[Correction]]
# Microphone seconds before a chunk read with it to tell the loudspeakers' echo (the
# likeness is measured over about 2 s).
ECHO_CONTEXT = 2 * SAMPLE_RATE


@dataclass(frozen=True)
class Chunk:
    """A stretch of speech in samples, [start, end)."""

    start: int
    end: int


class PauseChunker:
    """Energy-based speech detection that cuts a stream at pauses.

    Frames of `frame_s` are voiced when their level is `margin_db` above an
    adaptive noise floor (and above `min_db`). A chunk ends after `pause_s`
    of silence once it holds `min_chunk_s` of audio (or after `long_pause_s`
    whatever its length), and is cut at its quietest frame when it reaches
    `max_chunk_s`. Pieces with less than `min_voiced_s` of voiced frames are
    dropped as clicks or noise.
    """

    def __init__(
        self,
        *,
        rate: int = SAMPLE_RATE,
        frame_s: float = 0.03,
        pause_s: float = 0.45,
        long_pause_s: float = 1.2,
        min_chunk_s: float = 1.5,
        max_chunk_s: float = 12.0,
        pad_s: float = 0.2,
        margin_db: float = 12.0,
        min_db: float = -50.0,
        min_voiced_s: float = 0.25,
        floor_window_s: float = 8.0,
    ) -> None:
        self.rate = rate
        self.frame = max(int(rate * frame_s), 1)
        self.pause = int(rate * pause_s)
        self.long_pause = int(rate * long_pause_s)
        self.min_chunk = int(rate * min_chunk_s)
        self.max_chunk = int(rate * max_chunk_s)
        self.pad = int(rate * pad_s)
        self.margin_db = margin_db
        self.min_db = min_db
        self.min_voiced = int(rate * min_voiced_s)
        self.floor_db = -60.0
        self._nframes = 0
        self._recent: deque[float] = deque(maxlen=int(floor_window_s / frame_s))
        self._pos = 0  # samples consumed into whole frames
        self._rest = np.zeros(0, dtype=np.float32)
        self._last_cut = 0
        self._start: int | None = None
        self._last_voiced = 0
        self._voiced = 0
        self._frames: list[tuple[int, float]] = []  # (frame end, dB) of the open chunk

    def feed(self, samples: FloatArray) -> list[Chunk]:
        """Consume the next samples of the stream; return chunks that are complete."""
        data = np.concatenate([self._rest, samples]) if self._rest.size else samples
        n = data.size // self.frame
        self._rest = data[n * self.frame :].astype(np.float32, copy=True)
        if n == 0:
            return []
        frames = data[: n * self.frame].reshape(n, self.frame).astype(np.float64)
        rms = np.sqrt(np.mean(frames * frames, axis=1))
        levels = 20 * np.log10(np.maximum(rms, 1e-5))
        out: list[Chunk] = []
        for db in levels:
            end = self._pos + self.frame
            chunk = self._frame(self._pos, end, float(db))
            if chunk is not None:
                out.append(chunk)
            self._pos = end
        return out

    def skip_to(self, position: int) -> None:
        """Continue from sample `position` (later than what was fed); the open chunk is
        dropped. The noise floor is kept."""
        self._pos = self._last_cut = self._last_voiced = position
        self._rest = np.zeros(0, dtype=np.float32)
        self._start = None
        self._frames = []
        self._voiced = 0

    def flush(self) -> list[Chunk]:
        """The stream ended: return the open chunk, if it holds speech."""
        if self._start is None:
            return []
        chunk = self._emit(min(self._last_voiced + self.pad, self._pos))
        return [chunk] if chunk else []

    def _frame(self, start: int, end: int, db: float) -> Chunk | None:
        # Noise floor: a low percentile of the last few seconds (digital silence clamped).
        self._recent.append(max(db, -70.0))
        self._nframes += 1
        if self._nframes % 10 == 0 or self._nframes < 10:
            self.floor_db = float(np.percentile(self._recent, 10))
        voiced = db > max(self.floor_db + self.margin_db, self.min_db)
        if voiced:
            if self._start is None:
                self._start = max(start - self.pad, self._last_cut)
                self._frames = []
                self._voiced = 0
            self._last_voiced = end
            self._voiced += self.frame
        if self._start is None:
            return None
        self._frames.append((end, db))
        silence = end - self._last_voiced
        length = self._last_voiced - self._start
        if silence >= self.long_pause or (silence >= self.pause and length >= self.min_chunk):
            return self._emit(self._last_voiced + self.pad)
        if end - self._start >= self.max_chunk:
            tail = self._frames[len(self._frames) // 2 :]
            cut = min(tail, key=lambda f: f[1])[0]
            return self._emit(cut, reopen=True)
        return None

    def _emit(self, end: int, *, reopen: bool = False) -> Chunk | None:
        start = self._start if self._start is not None else end
        voiced = self._voiced
        self._last_cut = end
        if reopen:
            self._start = end
            self._frames = [f for f in self._frames if f[0] > end]
            self._voiced = 0
        else:
            self._start = None
            self._frames = []
        if voiced < self.min_voiced or end <= start:
            return None
        return Chunk(start, end)


class AudioSource(Protocol):
    """A growing recording: samples below `available()` are complete."""

    def available(self) -> int: ...

    def read(self, start: int, stop: int) -> FloatArray: ...


class WavTail:
    """The recording being written by `minutes.capture.CaptureWriter`."""

    def __init__(self, path: Path, written: Callable[[], int]) -> None:
        self.path = path
        self._written = written

    def available(self) -> int:
        return self._written()

    def read(self, start: int, stop: int) -> FloatArray:
        from minutes.capture_disk import read_samples

        return read_samples(self.path, start, stop)


@dataclass(frozen=True)
class LiveSegment:
    """A live transcript line: raw and glossary-corrected text."""

    start: float
    end: float
    text_raw: str
    text: str
    corrections: tuple[Correction, ...]
    emitted_at: float  # clock() when it was produced
    track: str = ""  # "mic" or "system" in a two-track recording (minutes.capture_tracks)


class LiveTranscriber:
    """Transcribes a growing recording piece by piece, in order, catching up from disk."""

    def __init__(
        self,
        source: AudioSource,
        transcribe: TranscribeFn,
        on_segment: Callable[[LiveSegment], None],
        *,
        correct: CorrectFn | None = None,
        guide: GuideFn | None = None,
        guide_max_behind_s: float = 3.0,
        chunker: PauseChunker | None = None,
        max_read_s: float = 30.0,
        max_behind_s: float | None = 120.0,
        resume_behind_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        track: str = "",
        echo: Callable[[int, int, FloatArray], FloatArray | None] | None = None,
    ) -> None:
        self.source = source
        self.track = track  # stamped on its segments (a two-track recording's "mic"/"system")
        # (start, end, samples) of a chunk -> the samples to transcribe, with the
        # loudspeakers' echo silenced, or None: the chunk is all echo (`echo_filter`).
        self.echo = echo
        self.skipped_chunks = 0
        self.transcribe = transcribe
        self.on_segment = on_segment
        self.correct = correct
        self.guide = guide
        # Guided re-decoding only while the live text keeps up: it costs a decoding.
        self.guide_max_behind = guide_max_behind_s
        self.guided_segments = 0
        self.chunker = chunker or PauseChunker()
        self.max_read = int(max_read_s * SAMPLE_RATE)
        self.clock = clock
        self.max_behind = None if max_behind_s is None else int(max_behind_s * SAMPLE_RATE)
        self.resume_behind = int(resume_behind_s * SAMPLE_RATE)
        self.position = 0  # samples handed to the chunker
        self.skipped_seconds = 0.0  # audio jumped over to catch up (never transcribed live)
        self.segments_emitted = 0

    @property
    def behind_seconds(self) -> float:
        """Audio on disk not yet looked at."""
        return max(self.source.available() - self.position, 0) / SAMPLE_RATE

    def step(self, cancel: CancelToken | None = None) -> int:
        """Read what is new (up to `max_read_s`), transcribe finished chunks; return their count."""
        available = self.source.available()
        if self.max_behind is not None and available - self.position > self.max_behind:
            target = available - self.resume_behind
            self.skipped_seconds += (target - self.position) / SAMPLE_RATE
            logger.warning(
                "live transcript %.0f s behind: skipping to the newest audio (%.0f s skipped "
                "so far; the final transcript covers everything)",
                (available - self.position) / SAMPLE_RATE, self.skipped_seconds,
            )  # fmt: skip
            self.position = target
            self.chunker.skip_to(target)
        end = min(available, self.position + self.max_read)
        if end <= self.position:
            return 0
        samples = self.source.read(self.position, end)
        self.position += samples.size
        chunks = self.chunker.feed(samples)
        for chunk in chunks:
            if cancel:
                cancel.raise_if_cancelled()
            self._transcribe(chunk)
        return len(chunks) or (1 if samples.size else 0)

    def finish(self, cancel: CancelToken | None = None) -> None:
        """The recording stopped: read the rest and transcribe the last chunk."""
        while self.step(cancel):
            pass
        for chunk in self.chunker.flush():
            self._transcribe(chunk)

    def run(
        self, done: Callable[[], bool], cancel: CancelToken | None = None, poll_s: float = 0.15
    ) -> None:
        """Follow the recording until `done()` is true and everything is transcribed."""
        while True:
            if cancel:
                cancel.raise_if_cancelled()
            finished = done()  # read before stepping: nothing written after it is missed
            if self.step(cancel):
                continue
            if finished:
                break
            time.sleep(poll_s)
        self.finish(cancel)

    def _transcribe(self, chunk: Chunk) -> None:
        samples = self.source.read(chunk.start, chunk.end)
        if self.echo is not None:
            heard = self.echo(chunk.start, chunk.end, samples)
            if heard is None:
                self.skipped_chunks += 1
                return
            samples = heard
        offset = chunk.start / SAMPLE_RATE
        for seg in self.transcribe(samples, offset):
            text, corrections = self.correct(seg) if self.correct else (seg.text, ())
            if self.guide is not None and self.behind_seconds <= self.guide_max_behind:
                guided = self.guide(seg, samples, offset)
                if guided:
                    self.guided_segments += 1
                    corrections = (*guided, *corrections)
                    text = corrected_text(seg.text, corrections)
            live = LiveSegment(
                seg.start, seg.end, seg.text, text, corrections, self.clock(), self.track
            )
            self.segments_emitted += 1  # the caller keeps the text; 8 hours of it is not ours
            self.on_segment(live)


def echo_filter(
    mic: AudioSource, system: AudioSource
) -> Callable[[int, int, FloatArray], FloatArray | None]:
    """A `LiveTranscriber.echo` for the microphone track: None for a chunk that is the
    loudspeakers playing the system track (its text comes from that track already), else
    the chunk with the stretches that echo the system track silenced.

    Both tracks count samples from nearly the same moment (the recorder starts them
    together; drift over a meeting is corrected only in the final mix), which is close
    enough for a loudness comparison that allows 300 ms of lag."""
    from minutes.track_speakers import is_echo, without_echo

    def heard(start: int, end: int, samples: FloatArray) -> FloatArray | None:
        stop = min(end, system.available())
        if stop - start < SAMPLE_RATE:  # the system track is not there yet: keep it
            return samples
        # The seconds before the chunk too: its first words may be the others' tail.
        before = min(start, ECHO_CONTEXT)
        theirs = system.read(start - before, stop)
        if is_echo(samples[: stop - start], theirs[before:]):
            return None
        gated = without_echo(
            np.concatenate([mic.read(start - before, start), samples[: stop - start]]),
            theirs,
            context=before,
        )
        if gated is None:
            return None
        return np.concatenate([gated, samples[stop - start :]]) if stop < end else gated

    return heard


def follow_tracks(
    transcribers: Sequence[LiveTranscriber],
    done: Callable[[], bool],
    cancel: CancelToken | None = None,
    poll_s: float = 0.15,
) -> None:
    """`LiveTranscriber.run` for the tracks of one recording, in turn on one model: each
    step reads what is new on every track, so neither waits for the other's backlog."""
    while True:
        if cancel:
            cancel.raise_if_cancelled()
        finished = done()
        if sum(t.step(cancel) for t in transcribers):
            continue
        if finished:
            break
        time.sleep(poll_s)
    for t in transcribers:
        t.finish(cancel)


class WhisperLive:
    """A `TranscribeFn` over a loaded model; the language detected first is kept
    (`language`, read by guided re-decoding of the same live segments)."""

    def __init__(self, transcriber: Transcriber, options: AsrOptions) -> None:
        self.transcriber = transcriber
        self.options = options
        self.language = options.language

    def __call__(self, samples: FloatArray, offset: float) -> list[Segment]:
        from minutes.asr import release_freed_memory

        language, segments = self.transcriber.transcribe_samples(
            samples, replace(self.options, language=self.language), offset=offset
        )
        release_freed_memory()  # hours of short chunks otherwise fragment the heap
        if segments:
            self.language = language
        return segments


def whisper_transcribe(transcriber: Transcriber, options: AsrOptions) -> WhisperLive:
    """A `TranscribeFn` over a loaded model; the language detected first is kept."""
    return WhisperLive(transcriber, options)


def live_asr_options(language: str = "auto", hotwords: str | None = None) -> AsrOptions:
    """Fast decoding for live text: greedy, no word timestamps, no batching."""
    from minutes.asr import AsrOptions

    return AsrOptions(
        language=language, batched=False, beam_size=1, word_timestamps=False, vad=False,
        hotwords=hotwords,
    )  # fmt: skip


def glossary_corrector(glossary: Glossary, language: str = "auto") -> CorrectFn | None:
    """A `CorrectFn` applying the glossary like the pipeline does (None if it is empty)."""
    if not len(glossary):
        return None
    from glossary.matcher import Matcher
    from minutes.correct import to_corrections

    matcher = Matcher(glossary, language=language)

    def run(seg: Segment) -> tuple[str, tuple[Correction, ...]]:
        found = tuple(to_corrections(seg.id, matcher.find(seg.text)))
        return corrected_text(seg.text, found), found

    return run


def guided_guide(
    glossary: Glossary, transcriber: GuidedDecoder, language: Callable[[], str]
) -> GuideFn | None:
    """A `GuideFn` running guided re-decoding on each live segment (None if no glossary).

    `language` tells the language the live pass is decoding in (detected or chosen).
    """
    if not len(glossary):
        return None
    from glossary.plausible import PlausibleTerms
    from minutes.audio import Window
    from minutes.guided import GuidedOptions, guided_corrections
    from minutes.types import Transcript

    index = PlausibleTerms(glossary)
    options = GuidedOptions(min_decodes=1)  # one segment at a time; the lag decides instead

    def run(seg: Segment, samples: FloatArray, offset: float) -> list[Correction]:
        transcript = Transcript(language(), seg.end, (seg,))
        return guided_corrections(
            transcript, [Window(offset, samples)], glossary, transcriber, options, index=index
        )

    return run


def lag_seconds(segment: LiveSegment, started_at: float) -> float:
    """Seconds between the end of the segment's speech being captured and its text appearing.

    `started_at` is the clock time the recording started (real-time capture).
    """
    spoken = started_at + segment.end
    return segment.emitted_at - spoken if math.isfinite(spoken) else math.nan
