"""Small sessions built in the test's data folder (no model needed)."""

from __future__ import annotations

from pathlib import Path

from glossary.terms import Glossary
from minutes.correct import glossary_corrections
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
