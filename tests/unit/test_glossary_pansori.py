"""Realistic check on real Korean reference sentences (Pansori TEDxKR).

For every clip whose manifest note says it contains a Latin/English token,
the English token in the reference text is replaced by how a Korean
recogniser typically writes it (e.g. "GDP" -> "지디피"); the matcher must
restore the reference exactly and touch nothing else. All other reference
sentences must come back unchanged. Files are read in place, never copied.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from glossary.matcher import Match, Matcher
from glossary.terms import Glossary, Term

SPEECH = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "speech"
MANIFEST = SPEECH / "manifest_rows.tsv"
# How Whisper / Korean speakers write these tokens in Hangul.
MISHEARD = {
    "GDP": "지디피", "OECD": "오이씨디", "DNA": "디엔에이", "USB": "유에스비", "UX": "유엑스",
    "DSLR": "디에스엘알", "CEO": "씨이오", "OST": "오에스티", "PPT": "피피티", "KBS": "케이비에스",
    "TED": "테드", "DID": "디아이디", "UST": "유에스티", "TV": "티비",
}

# Hangul written onto an English token that is a noun, not a particle.
COMPOUND_NOUNS = ("디자인",)


def _latin_clips() -> list[str]:
    if not MANIFEST.is_file():
        pytest.skip(f"speech data not available at {SPEECH} (shared/data is not checked out)")
    texts = []
    with MANIFEST.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            if not row["path"].startswith("pansori_tedxkr/"):
                continue
            if "contains Latin/English token" not in row["note"]:
                continue
            txt = (SPEECH / row["path"]).with_suffix(".txt")
            if txt.is_file():
                texts.append(txt.read_text(encoding="utf-8").strip())
    if not texts:
        pytest.skip("no Pansori reference texts with English tokens found")
    return sorted(set(texts))


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(Glossary.from_terms(Term(t) for t in MISHEARD), language="ko")


def _apply(text: str, matches: list[Match]) -> str:
    for m in sorted(matches, key=lambda m: -m.start):
        text = text[: m.start] + m.after + text[m.end :]
    return text


def test_misheard_tokens_are_restored(matcher: Matcher) -> None:
    checked = 0
    for reference in _latin_clips():
        tokens = [t for t in MISHEARD if re.search(rf"(?<![A-Za-z]){t}(?![A-Za-z])", reference)]
        if not tokens:
            continue  # e.g. "JUST DO IT", "mp3", "13000km": no glossary term
        misheard = reference
        for token in tokens:
            misheard = re.sub(rf"(?<![A-Za-z]){token}(?![A-Za-z])", MISHEARD[token], misheard)
        matches = matcher.find(misheard)
        if any(f"{t}{noun}" in reference for t in tokens for noun in COMPOUND_NOUNS):
            # "유엑스디자인" is one word: never edit part of a longer word.
            assert matches == [], (misheard, matches)
            continue
        assert _apply(misheard, matches) == reference, (misheard, matches)
        for m in matches:
            # three or more letters are safe to apply; two-letter ones are proposals
            assert m.auto == (len(m.term) >= 3), m
        checked += 1
    assert checked >= 15


def test_reference_sentences_are_left_alone(matcher: Matcher) -> None:
    folder = SPEECH / "pansori_tedxkr"
    if not folder.is_dir():
        pytest.skip(f"speech data not available at {folder}")
    texts = [p.read_text(encoding="utf-8").strip() for p in sorted(folder.glob("*/*.txt"))]
    changed = [(t, ms) for t, ms in zip(texts, matcher.find_all(texts), strict=True) if ms]
    assert changed == []
