"""Small sessions built in the test's data folder, and a scripted LLM (no model needed)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from glossary.terms import Glossary
from minutes.correct import glossary_corrections
from minutes.llm.engines.base import (
    ChatMessage,
    Completion,
    Engine,
    EngineInfo,
    GenerationOptions,
    TokenCallback,
)
from minutes.progress import CancelToken
from minutes.session import Session, stage_key
from minutes.types import Segment, Transcript, Word
from tests.audio_factory import tone_bursts, write_audio

GLOSSARY = (
    Glossary()
    .add_term("Kubernetes", variants=["쿠버네티스"], category="infra")
    .add_term("GitHub", variants=["깃허브"], category="dev")
    .add_term("GDP", category="economics")
    .add_term("Confluence", category="tools")
)
TEXTS = [
    "쿠버네티스 클러스터를 깃허브에 올렸어요",
    "이번 분기 지디피 성장률을 봅시다",
    "다음 주에 쿠버네티스 업그레이드를 합니다",
    "좋습니다 지지피 수치는 다음에 보죠",
    "회의록은 콘플에 올려주세요",
]


def _words(text: str, start: float) -> tuple[Word, ...]:
    out, t = [], start
    for i, w in enumerate(text.split()):
        out.append(Word(t, t + 0.5, (" " if i else "") + w))
        t += 0.6
    return tuple(out)


def make_session(root: Path, title: str = "주간 회의 Weekly sync") -> Session:
    session = Session.create(root, title)
    audio = write_audio(root / "tone.wav", tone_bursts([(1.0, 1), (1.0, 0)] * 10))
    session.attach_audio(audio)
    segments = tuple(
        Segment(i, i * 4.0, i * 4.0 + 3.5, t, _words(t, i * 4.0), speaker=f"SPEAKER_{i % 2}")
        for i, t in enumerate(TEXTS)
    )
    transcript = Transcript("ko", 20.0, segments, model="base", audio_path=str(audio))
    session.save_asr(transcript, "test", {})
    corrections = glossary_corrections(transcript, GLOSSARY)
    key = stage_key(transcript=list(TEXTS), glossary=GLOSSARY.fingerprint())
    session.save_corrections(corrections, key)
    session.meta.language = "ko"
    session.meta.duration = 20.0
    session.save_meta()
    return session


# -- LLM: a meeting with tasks, and a scripted engine ------------------------------
MEETING = [
    ("SPEAKER_0", "이번 주 인프라 회의를 시작하겠습니다"),
    ("SPEAKER_1", "쿠버네티스 업그레이드는 금요일까지 끝내겠습니다"),
    ("SPEAKER_0", "좋습니다 업그레이드는 금요일에 하기로 하죠"),
    ("SPEAKER_1", "오이시디 보고서 비용은 아직 모르겠어요"),
    ("SPEAKER_0", "민수 씨가 다음 주까지 비용 보고서를 정리해 주세요"),
]
SPEAKER_NAMES = {"SPEAKER_0": "김과장", "SPEAKER_1": "이대리"}


def make_meeting(root: Path, title: str = "주간 인프라 회의") -> Session:
    """A short Korean meeting with tasks and deadlines, speakers named, glossary applied."""
    session = Session.create(root, title)
    segments = tuple(
        Segment(i, i * 4.0, i * 4.0 + 3.5, t, _words(t, i * 4.0), speaker=s)
        for i, (s, t) in enumerate(MEETING)
    )
    transcript = Transcript("ko", 20.0, segments, model="base")
    session.save_asr(transcript, "test", {})
    corrections = glossary_corrections(transcript, GLOSSARY)
    key = stage_key(transcript=[t for _, t in MEETING], glossary=GLOSSARY.fingerprint())
    session.save_corrections(corrections, key)
    session.meta.language = "ko"
    session.meta.duration = 20.0
    session.meta.speaker_names = dict(SPEAKER_NAMES)
    session.save_meta()
    return session


class FakeLlm(Engine):
    """Streams an answer for every call, in small pieces, like a model would.

    `answer` is one fixed answer (text or JSON-able), or a function of the call's
    messages that returns one. With `gate`, the first call stops half-way until
    the gate is set (or Cancel).
    """

    def __init__(self, answer: Any, *, gate: threading.Event | None = None) -> None:
        self.answer = answer
        self.gate = gate
        self.calls = 0
        self.closed = False
        self.info = EngineInfo("fake", "fake-llm", "chatml", 8192, True)

    def complete(
        self,
        messages: Sequence[ChatMessage],
        options: GenerationOptions,
        *,
        on_token: TokenCallback | None = None,
        cancel: CancelToken | None = None,
    ) -> Completion:
        self.calls += 1
        answer = self.answer(messages) if callable(self.answer) else self.answer
        text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
        for i in range(0, len(text), 6):
            if cancel is not None:
                cancel.raise_if_cancelled()
            if self.gate is not None and self.calls == 1 and i >= len(text) // 2:
                while not self.gate.wait(0.02):
                    if cancel is not None:
                        cancel.raise_if_cancelled()
            if on_token is not None:
                on_token(text[i : i + 6])
            time.sleep(0.001)
        return Completion(text, 100, len(text) // 3, 0.01, 0.1, "stop", "fake", "fake-llm")

    def close(self) -> None:
        self.closed = True
