"""The local backend: speech recognition with faster-whisper on this computer.

Thread contract: `WhisperTranscriber.transcribe_file` runs on the caller's
(worker) thread and yields segments as they are decoded; it checks the cancel
token between segments and reports progress as the fraction of audio done.
faster-whisper is imported only when a model is loaded.

Defaults follow what users of peer tools ran into: VAD on,
`condition_on_previous_text=False` (stops a hallucination from spreading),
Whisper's compression-ratio and no-speech thresholds kept, quiet audio
raised to about -18 dBFS, and repetition loops cut.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from minutes.asr.base import AsrOptions, HintSupport
from minutes.audio import FloatArray, Window, iter_windows, normalise_loudness, probe
from minutes.progress import CancelToken
from minutes.repetition import cut_repetitions, is_hallucination
from minutes.segmenting import split_sentences
from minutes.types import Segment, Word

logger = logging.getLogger(__name__)

@dataclass(frozen=True)
class LoadedModel:
    name: str
    path: str
    multilingual: bool


class WhisperTranscriber:
    """Owns one faster-whisper model; reuse it across files."""

    def __init__(
        self,
        model_path: str,
        *,
        name: str | None = None,
        cpu_threads: int = 0,
        device: str = "cpu",
        compute_type: str = "int8",
        allow_download: bool = False,
    ) -> None:
        self.model_path = model_path
        self.name = name or model_path
        self.cpu_threads = cpu_threads or os.cpu_count() or 1
        self.device = device
        self.compute_type = compute_type
        self.allow_download = allow_download
        self._model: Any = None
        self._batched: Any = None
        self._encoded: tuple[FloatArray, str, tuple[Any, Any, Any, int]] | None = None

    def _load(self) -> Any:
        if self._model is None:
            from faster_whisper import BatchedInferencePipeline, WhisperModel

            logger.info(
                "loading Whisper model %s (%s, %s)", self.name, self.device, self.compute_type
            )
            try:
                self._model = WhisperModel(
                    self.model_path,
                    device=self.device,
                    compute_type=self.compute_type,
                    cpu_threads=self.cpu_threads,
                    local_files_only=not self.allow_download,
                )
            except (RuntimeError, ValueError, OSError) as exc:  # CTranslate2: damaged files
                from minutes.modelstore import INSTALL_HINT, ModelError

                raise ModelError(
                    f"Cannot load the Whisper model {self.name} from {self.model_path} "
                    f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}): its "
                    "files are damaged or incomplete. Run `minutes models --verify` for the "
                    f"embedded models, or replace the model folder. {INSTALL_HINT}"
                ) from exc
            self._batched = BatchedInferencePipeline(self._model)
        return self._model

    @property
    def multilingual(self) -> bool:
        return bool(self._load().model.is_multilingual)

    def tokenizer_json(self) -> Path | None:
        """The model's tokenizer.json, for counting hotword tokens."""
        path = Path(self.model_path) / "tokenizer.json"
        return path if path.is_file() else None

    def hint_support(self) -> HintSupport:
        """Hotwords, counted with the model's own tokenizer (without one: estimated)."""
        from glossary.hints import WHISPER_HOTWORD_BUDGET, token_counter_from_file

        tok = self.tokenizer_json()
        counter = token_counter_from_file(tok) if tok is not None else None
        return HintSupport("hotwords", WHISPER_HOTWORD_BUDGET, counter)

    def detect_language(self, samples: FloatArray) -> tuple[str, float]:
        model = self._load()
        if not model.model.is_multilingual:
            return "en", 1.0
        language, probability, _ = model.detect_language(samples, vad_filter=True)
        return str(language), float(probability)

    def transcribe_windows(
        self,
        path: str | Path,
        options: AsrOptions = AsrOptions(),
        *,
        skip_until: float = 0.0,
        progress: Callable[[float], None] | None = None,
        cancel: CancelToken | None = None,
        info: dict[str, Any] | None = None,
        on_segment: Callable[[Segment], None] | None = None,
    ) -> Iterator[tuple[float, list[Segment]]]:
        """Yield (window end in seconds, raw segments of that window), in time order.

        Segment ids restart at 0 in every window; the caller renumbers. Windows
        start at `skip_until` (resuming a checkpoint, or the windows transcribed
        while the meeting was recorded): cut from a window's end, the windows after
        it are those of a run from the start.

        Args:
            path: any format PyAV/FFmpeg reads.
            options: decoding options.
            skip_until: audio time already transcribed (a window's end).
            progress: optional callable taking the fraction of audio done.
            cancel: checked between segments; raises `Cancelled`.
            info: if given, filled with `language`, `language_probability`
                and `duration` as soon as they are known.
            on_segment: called with each segment as soon as it is decoded
                (window-relative id), for live display.
        """
        total = probe(path).duration
        language = options.language
        info = info if info is not None else {}
        info["duration"] = total
        for window in iter_windows(path, options.window_seconds, start_s=skip_until):
            window_end = window.offset + window.duration
            if window_end <= skip_until + 1e-3:
                continue
            if cancel:
                cancel.raise_if_cancelled()
            samples = window.samples
            if options.normalise_to_dbfs is not None:
                samples = normalise_loudness(samples, options.normalise_to_dbfs)
            if language in ("auto", "", None):
                language, prob = self.detect_language(samples)
                logger.info("detected language %s (p=%.2f)", language, prob)
                info["language_probability"] = prob
            info["language"] = language
            out: list[Segment] = []
            for seg in self._transcribe_window(replace(window, samples=samples), language, options):
                if cancel:
                    cancel.raise_if_cancelled()
                out.append(replace(seg, id=len(out)))
                if on_segment:
                    on_segment(out[-1])
                if progress and total > 0:
                    progress(min(seg.end / total, 1.0))
            if progress and total > 0:
                progress(min(window_end / total, 1.0))
            release_freed_memory()
            yield window_end, out
        if total <= 0 and info.get("language") is None:
            info["language"] = language

    def transcribe_samples(
        self, samples: FloatArray, options: AsrOptions = AsrOptions(), *, offset: float = 0.0
    ) -> tuple[str, list[Segment]]:
        """Transcribe one short in-memory clip (16 kHz mono), e.g. a live chunk.

        Returns (language used, segments with ids 0..n-1 and times offset by
        `offset` seconds). The language is detected when `options` says auto.
        """
        if options.normalise_to_dbfs is not None:
            samples = normalise_loudness(samples, options.normalise_to_dbfs)
        language = options.language
        if language in ("auto", "", None):
            language, _ = self.detect_language(samples)
        window = Window(offset, samples)
        segments = self._transcribe_window(window, language, options)
        return language, [replace(s, id=i) for i, s in enumerate(segments)]

    def transcribe_file(
        self,
        path: str | Path,
        options: AsrOptions = AsrOptions(),
        *,
        progress: Callable[[float], None] | None = None,
        cancel: CancelToken | None = None,
        info: dict[str, Any] | None = None,
    ) -> Iterator[Segment]:
        """Yield raw segments of a whole file with ids 0..n-1 (no checkpointing)."""
        n = 0
        for _, segments in self.transcribe_windows(
            path, options, progress=progress, cancel=cancel, info=info
        ):
            for seg in segments:
                if cancel:
                    cancel.raise_if_cancelled()
                yield replace(seg, id=n)
                n += 1

    # -- guided re-decoding (minutes.guided) --------------------------------

    def decode_with_prompt(
        self, samples: FloatArray, language: str, prompt: str, *, beam_size: int = 5
    ) -> str:
        """Decode one clip (at most 30 s) with `prompt` as Whisper's previous text.

        The same beam as the first pass; no temperature fallback: a hinted decoding
        that loops (compression ratio above Whisper's 2.4) returns "" and the first
        pass stays.
        """
        from faster_whisper.transcribe import get_compression_ratio, get_suppressed_tokens

        model, tokenizer, encoded, _ = self._encode_clip(samples, language)
        prompt_tokens = tokenizer.encode(" " + prompt.strip())[: model.max_length // 2 - 1]
        sequence = model.get_prompt(tokenizer, prompt_tokens, without_timestamps=True)
        result = model.model.generate(
            encoded,
            [sequence],
            beam_size=beam_size,
            max_length=model.max_length,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
        )[0]
        text = str(tokenizer.decode(result.sequences_ids[0])).strip()
        if get_compression_ratio(text) > 2.4:
            return ""
        return cut_repetitions(text)

    def text_logprobs(
        self, samples: FloatArray, language: str, texts: Sequence[str]
    ) -> list[float]:
        """log P(text | clip) for each text, by Whisper without any prompt.

        Each text is scored token by token (teacher-forced, end of text included),
        so texts decoded with different prompts compare on equal terms.
        """
        model, tokenizer, encoded, frames = self._encode_clip(samples, language)
        start = [*tokenizer.sot_sequence, tokenizer.no_timestamps]
        out: list[float] = []
        for text in texts:
            tokens = [*tokenizer.encode(" " + text.strip()), tokenizer.eot]
            result = model.model.align(encoded, start, [tokens], frames)[0]
            probs = np.asarray(result.text_token_probs, dtype=np.float64)
            out.append(float(np.log(np.maximum(probs, 1e-12)).sum()))
        return out

    def _encode_clip(self, samples: FloatArray, language: str) -> tuple[Any, Any, Any, int]:
        """(model, tokenizer, encoder output, content frames) of a clip up to 30 s."""
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer

        model = self._load()
        cached = self._encoded
        if cached is not None and cached[0] is samples and cached[1] == language:
            return cached[2]
        multilingual = model.model.is_multilingual
        tokenizer = Tokenizer(
            model.hf_tokenizer, multilingual, task="transcribe",
            language=language if multilingual else None,
        )
        features = model.feature_extractor(samples)
        frames = min(features.shape[-1], model.feature_extractor.nb_max_frames)
        encoded = model.encode(pad_or_trim(features[:, : model.feature_extractor.nb_max_frames]))
        value = (model, tokenizer, encoded, frames)
        self._encoded = (samples, language, value)  # decode, then score the same clip
        return value

    def _transcribe_window(
        self, window: Window, language: str, options: AsrOptions
    ) -> Iterator[Segment]:
        model = self._load()
        kwargs: dict[str, Any] = dict(
            language=language if model.model.is_multilingual else None,
            beam_size=options.beam_size,
            word_timestamps=options.word_timestamps,
            condition_on_previous_text=False,
            vad_filter=options.vad,
            hotwords=options.hotwords or None,
            initial_prompt=options.initial_prompt or None,
        )
        if options.batched:
            segments, _ = self._batched.transcribe(
                window.samples, batch_size=options.batch_size, **kwargs
            )
        else:
            segments, _ = model.transcribe(window.samples, **kwargs)
        for raw in segments:
            seg = _to_segment(raw, window.offset)
            if seg is None:
                continue
            if options.sentence_segments:
                yield from split_sentences(seg)
            else:
                yield seg


def release_freed_memory() -> None:
    """Give memory freed by the last window back to the OS (glibc only; else a no-op).

    Each window allocates and frees tens of MB (audio, features, decoder buffers).
    glibc keeps freed heap memory for reuse, fragmented, and over an 8-hour import
    the process grew from about 400 to 800 MB without holding more data; trimming
    after each window keeps it flat (docs/RELIABILITY.md, "Long meetings and load").
    """
    global _malloc_trim
    if _malloc_trim is None:
        _malloc_trim = _find_malloc_trim()
    if _malloc_trim is not False:
        _malloc_trim(0)


_malloc_trim: Any = None  # None: not looked up yet; False: unavailable


def _find_malloc_trim() -> Any:
    import ctypes
    import ctypes.util

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim  # glibc; absent on musl
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def _to_segment(raw: Any, offset: float) -> Segment | None:
    """Convert a faster-whisper segment; drop loops and known hallucinations."""
    text = cut_repetitions(str(raw.text).strip())
    if not text:
        return None
    no_speech = float(raw.no_speech_prob) if raw.no_speech_prob is not None else None
    logprob = float(raw.avg_logprob) if raw.avg_logprob is not None else None
    if is_hallucination(text, no_speech_prob=no_speech, avg_logprob=logprob):
        logger.debug("dropping likely hallucination %r", text)
        return None
    words = tuple(
        Word(
            start=round(float(w.start) + offset, 3),
            end=round(float(w.end) + offset, 3),
            text=str(w.word),
            probability=round(float(w.probability), 4),
        )
        for w in (raw.words or ())
    )
    if words and text != str(raw.text).strip():
        words = _trim_words(words, text)
    return Segment(
        id=0,
        start=round(float(raw.start) + offset, 3),
        end=round(float(raw.end) + offset, 3),
        text=text,
        words=words,
        avg_logprob=logprob,
        no_speech_prob=no_speech,
    )


def _trim_words(words: tuple[Word, ...], text: str) -> tuple[Word, ...]:
    """Keep the leading words that still make up a repetition-cut text."""
    kept: list[Word] = []
    budget = len(text.replace(" ", ""))
    used = 0
    for w in words:
        n = len(w.text.strip().replace(" ", ""))
        if used + n > budget:
            break
        kept.append(w)
        used += n
    return tuple(kept)


def load_local(
    model: str, *, allow_download: bool = False, cpu_threads: int = 0
) -> WhisperTranscriber:
    """The local backend for a model name or folder (`minutes.modelstore.resolve`); the
    weights load on first use.

    Raises:
        ModelError: the model is missing or corrupt.
    """
    from minutes.modelstore import resolve

    resolved = resolve(model, allow_download=allow_download)
    return WhisperTranscriber(
        resolved.path, name=model, cpu_threads=cpu_threads, allow_download=allow_download
    )
