"""Inputs for the LLM benchmarks, built at run time from ../shared/data/speech.

Nothing here is copied into the project: transcripts are assembled in memory
from the corpora's reference texts (read by path), and the action-item labels
in ``bench/data/action_items.json`` hold only utterance ids and paraphrases.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.corpus import SPEECH, pansori_clips
from minutes.types import Document, Segment, Transcript

LABELS = Path(__file__).resolve().parent / "data" / "action_items.json"
MEETING_DATE = "2025-05-07T10:00:00+09:00"


def deeply_rows() -> list[dict[str, str]]:
    with (SPEECH / "deeply_korean_read" / "utterances.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def long_korean_meeting(minutes: float) -> Document:
    """A Korean "meeting" of the given length from real reference texts.

    Pansori TEDxKR clip texts (one speaker per talk) and the Deeply dialogues,
    with their real durations, repeated in order until the length is reached:
    the token count per minute is that of real Korean speech.
    """
    pool: list[tuple[str, str, float]] = []
    for clip in pansori_clips():
        pool.append((clip.path.parent.name[:6], clip.text, clip.duration))
    for row in deeply_rows():
        if row["kind"] == "dialogue":
            pool.append((f"deeply-{row['speaker']}", row["text"], float(row["duration_s"])))
    segs: list[Segment] = []
    t = 0.0
    i = 0
    while t < minutes * 60:
        speaker, text, dur = pool[i % len(pool)]
        segs.append(Segment(i, t, t + dur, text, speaker=speaker))
        t += dur + 0.4
        i += 1
    names = {
        s: f"화자{n + 1}" for n, s in enumerate(dict.fromkeys(x.speaker for x in segs if x.speaker))
    }
    transcript = Transcript("ko", t, tuple(segs))
    return Document.build(
        transcript, speaker_names=names, title=f"{minutes:g}분 회의", created=MEETING_DATE
    )


@dataclass(frozen=True)
class Labelled:
    """A labelled meeting: its transcript and gold action items."""

    id: str
    document: Document
    gold: list[dict[str, Any]]  # each with "segment" (id), "strength", "task"
    speakers: dict[str, str]  # speaker id -> display name (gold owners are ids)


def labelled_meetings() -> list[Labelled]:
    data = json.loads(LABELS.read_text(encoding="utf-8"))
    out: list[Labelled] = []
    for meeting in data["meetings"]:
        if meeting["id"].startswith("deeply"):
            out.append(_deeply_meeting(meeting))
        else:
            out.append(_ami_meeting(meeting))
    return out


def _deeply_meeting(meeting: dict[str, Any]) -> Labelled:
    rows = [r for r in deeply_rows() if r["text_code"][:2] in meeting["dialogues"]]
    rows.sort(key=lambda r: (meeting["dialogues"].index(r["text_code"][:2]), r["id"]))
    segs: list[Segment] = []
    index: dict[str, int] = {}
    t = 0.0
    for n, row in enumerate(rows):
        dur = float(row["duration_s"])
        segs.append(Segment(n, t, t + dur, row["text"], speaker=row["speaker"]))
        index[row["id"]] = n
        t += dur + 0.3
    doc = Document.build(
        Transcript("ko", t, tuple(segs)),
        speaker_names=meeting["speakers"],
        title="",
        created=MEETING_DATE,
    )
    gold = [dict(item, segment=index[item["utterance"]]) for item in meeting["items"]]
    return Labelled(meeting["id"], doc, gold, dict(meeting["speakers"]))


def _ami_meeting(meeting: dict[str, Any]) -> Labelled:
    path = SPEECH / meeting["source"]
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    segs: list[Segment] = []
    t = 0.0
    for row in rows:
        for sentence in re.split(r"(?<=[.?!])\s+", row["text"].strip()):
            text = sentence.replace("L_C_D_", "LCD").strip(" .")
            if not text:
                continue
            dur = max(1.0, len(text.split()) / 2.5)
            segs.append(Segment(len(segs), t, t + dur, text + ".", speaker=row["channel"]))
            t += dur
    doc = Document.build(
        Transcript("en", t, tuple(segs)),
        speaker_names={k: f"Speaker {k}" for k in meeting["speakers"]},
        title="",
        created=MEETING_DATE,
    )
    gold = []
    for item in meeting["items"]:
        key = item["sentence_contains"].replace("L_C_D_", "LCD")
        seg = next(s.id for s in segs if s.speaker == item["channel"] and key in s.text)
        gold.append(dict(item, segment=seg))
    names = {k: f"Speaker {k}" for k in meeting["speakers"]}
    return Labelled(meeting["id"], doc, gold, names)
