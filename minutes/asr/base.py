"""The ASR seam: decoding options and the `Transcriber` protocol every backend implements.

A backend turns audio into `Segment`s (text, times, words with probabilities where
it has them) window by window, so the pipeline can checkpoint, show progress and
cancel between windows. Backends differ in how they take glossary hints: the local
faster-whisper model takes hotwords measured with its own tokenizer; a server takes
a `prompt` and counts nothing for us (`HintSupport`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from minutes.audio import FloatArray
from minutes.progress import CancelToken
from minutes.types import Segment

if TYPE_CHECKING:
    from glossary.terms import Glossary

LANGUAGES = ("auto", "ko", "en")
TokenCounter = Callable[[str], int]


class AsrUnavailable(RuntimeError):
    """The backend cannot transcribe now (server down, too slow, refusing); the message
    says what happened and what to do. The pipeline may fall back to the local model."""


class AsrRefused(AsrUnavailable):
    """The server answered but refuses this request (unknown model, bad key, bad audio):
    retrying the same request cannot help."""


@dataclass(frozen=True)
class AsrOptions:
    """How to decode; the defaults are the measured ones (docs/BENCHMARKS.md)."""

    language: str = "auto"  # "ko", "en", "auto" or any Whisper language code
    batched: bool = True  # BatchedInferencePipeline over VAD chunks
    batch_size: int = 8
    beam_size: int = 5
    word_timestamps: bool = True
    vad: bool = True
    hotwords: str | None = None
    initial_prompt: str | None = None
    normalise_to_dbfs: float | None = -18.0
    window_seconds: float = 240.0
    # Cut the batched decoder's up-to-30-second segments into sentences (word times).
    sentence_segments: bool = True


@dataclass(frozen=True)
class HintSupport:
    """How a backend takes glossary terms as decoding hints.

    Attributes:
        field: "hotwords" (faster-whisper's hotwords) or "prompt" (the text the
            decoder continues from, OpenAI's `prompt`).
        budget: Tokens the hints may use.
        count_tokens: Counts tokens with the backend's tokenizer, or None when the
            backend's tokenizer is not known here (a server): a conservative estimate
            is used instead.
    """

    field: str
    budget: int
    count_tokens: TokenCounter | None


@runtime_checkable
class Transcriber(Protocol):
    """An ASR backend. `name` identifies the model in transcripts and stage keys."""

    name: str

    @property
    def multilingual(self) -> bool:
        """False for English-only models (the language is then always "en")."""
        ...

    def hint_support(self) -> HintSupport: ...

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
        """Yield (window end in seconds, segments of that window) in time order, cut from
        `skip_until` on (an earlier window's end: the audio before it is done). `info`
        gets `language` and `duration` as soon as they are known."""
        ...

    def transcribe_samples(
        self, samples: FloatArray, options: AsrOptions = AsrOptions(), *, offset: float = 0.0
    ) -> tuple[str, list[Segment]]:
        """One short in-memory clip (16 kHz mono, e.g. a live chunk): (language, segments)."""
        ...


def estimate_tokens(text: str) -> int:
    """A generous token count for a tokenizer we cannot load: Whisper's byte-level BPE
    spends about one token per 3 Latin characters and up to 3 per Hangul syllable."""
    latin = sum(1 for ch in text if ord(ch) < 0x80)
    return latin // 3 + 3 * (len(text) - latin) + 1


def with_hints(
    options: AsrOptions, transcriber: Transcriber, glossary: Glossary | None
) -> AsrOptions:
    """`options` with the glossary's most useful terms as the backend's hints (hotwords for
    the local model, the prompt for a server), within the backend's token budget."""
    if glossary is None or not len(glossary):
        return options
    from glossary.hints import select_hotwords

    support = transcriber.hint_support()
    hints = select_hotwords(glossary, support.count_tokens or estimate_tokens, support.budget)
    if not hints:
        return options
    if support.field == "prompt":
        return replace(options, initial_prompt=hints)
    return replace(options, hotwords=hints)
