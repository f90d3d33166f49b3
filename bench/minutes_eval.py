"""Benchmark: minutes quality on hand-written, labelled meetings (Korean and English).

Each meeting in ``bench/data/meetings`` (see its README) is loaded as a `Document`
whose speaker labels map to the participants' full names, as the app gives them.
`summarise` writes the minutes with the embedded model (2 threads); the result is
scored against the labels:

- Action items: a prediction matches a label when their normalised task texts
  are similar (rapidfuzz ``token_set_ratio`` >= `TASK_THRESHOLD`, on casefolded
  text without punctuation), one-to-one, best pairs first. It counts as correct
  only when its owner is also the labelled participant's full name (an addressed
  form such as "준호님" or a title is wrong). Precision = correct / predicted,
  recall = correct / labelled. Task-only scores (owner ignored) are printed too.
- Decisions: matched the same way (`DECISION_THRESHOLD`), one-to-one.
- At its moment: the same counts, matching by the turns a prediction cites instead of by
  its wording. Each label lists the turns where it is stated or agreed (`segments`,
  `decision_segments`, annotated from the text alone); a prediction matches a label when
  it cites one of them (an action item also needs the labelled owner), one-to-one, the
  most similar wording first. Wording is compared as whitespace tokens, which a Korean
  paraphrase of the same task ("검토해서 올리기" for "검토 후 업로드하기") often fails; the
  moment does not depend on wording, so the two are reported side by side.

Scores are micro-averaged per language and split (``dev`` is what tuning used;
``held_aside`` never was). Model outputs are cached per meeting, model and code
version (a hash of the meeting file, the prompts and ``minutes/llm``) under
``/var/tmp/minutes-eval``, so a rerun with unchanged code only rescores. With
``--reuse-replies`` the model's replies are also kept per call (as a meeting's folder keeps
them, `minutes.llm.call_cache`), so a rerun after a change that alters no prompt (how
replies are read and cleaned) asks the model only what it was not asked before; the
seconds per meeting then count only the calls made.

    python -m bench.minutes_eval [--model qwen2.5-coder-1.5b] [--only ko_01,en_02]
                                 [--split dev|held_aside] [--show] [--no-cache]
                                 [--reuse-replies]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data" / "meetings"
CACHE = Path("/var/tmp/minutes-eval")
TASK_THRESHOLD = 55.0
DECISION_THRESHOLD = 50.0


@dataclass
class Meeting:
    id: str
    language: str
    kind: str
    split: str
    data: dict[str, Any]

    @property
    def path(self) -> Path:
        return DATA / f"{self.id}.json"


def load_meetings(only: Sequence[str] = (), split: str | None = None) -> list[Meeting]:
    out = []
    for path in sorted(DATA.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        m = Meeting(data["id"], data["language"], data["kind"], data["split"], data)
        if only and not any(m.id.startswith(o) for o in only):
            continue
        if split and m.split != split:
            continue
        out.append(m)
    return out


def document(meeting: Meeting) -> Any:
    """The meeting as the app would hold it: speaker labels named after the participants."""
    from minutes.types import Document, Segment, Transcript

    data = meeting.data
    segs = tuple(
        Segment(s["id"], s["start"], s["end"], s["text"], speaker=s["speaker"])
        for s in data["segments"]
    )
    names = {p["speaker"]: p["name"] for p in data["participants"]}
    return Document.build(
        Transcript(data["language"], segs[-1].end if segs else 0.0, segs),
        speaker_names=names,
        title=data["title"],
        created="2025-06-02T10:00:00+09:00",
    )


def code_version() -> str:
    """A hash of what decides the model's output: prompts and the LLM code."""
    h = hashlib.sha256()
    for folder, pattern in (
        (ROOT / "resources" / "prompts", "**/*"),
        (ROOT / "minutes" / "llm", "**/*.py"),
    ):
        for p in sorted(folder.glob(pattern)):
            if p.is_file():
                h.update(p.relative_to(ROOT).as_posix().encode())
                h.update(p.read_bytes())
    h.update((ROOT / "minutes" / "meeting.py").read_bytes())
    return h.hexdigest()[:12]


def input_digest(meeting: Meeting) -> str:
    """A hash of what the model is given of a meeting (not its labels or split, so that
    annotating or moving a meeting keeps its cached minutes and replies)."""
    data = meeting.data
    given = {k: data[k] for k in ("language", "title", "participants", "segments")}
    return hashlib.sha256(json.dumps(given, sort_keys=True).encode()).hexdigest()[:10]


def _cache_path(meeting: Meeting, model: str, version: str) -> Path:
    digest = input_digest(meeting)
    return CACHE / model / version / f"{meeting.id}-{digest}.json"


_engines: dict[str, Any] = {}


def _engine(model: str) -> Any:
    if model not in _engines:
        from minutes.llm.engines.llamacpp import LlamaCppEngine
        from minutes.llm.modelstore import resolve_gguf

        r = resolve_gguf(model)
        _engines[model] = LlamaCppEngine(
            r.path, model_id=r.name, family=r.family, context_size=8192, threads=2
        )
    return _engines[model]


def minutes_of(
    meeting: Meeting, model: str, version: str, use_cache: bool = True,
    reuse_replies: bool = False,
) -> dict[str, Any]:
    """The minutes (as a dict, with timing) of one meeting: cached, or written now."""
    path = _cache_path(meeting, model, version)
    if use_cache and path.is_file():
        return dict(json.loads(path.read_text(encoding="utf-8")))
    from minutes.llm.call_cache import CallCache
    from minutes.llm.summarise import SummariseOptions, SummariseStats, summarise

    stats = SummariseStats()
    replies = None
    if reuse_replies:
        folder = CACHE / model / "replies" / path.name.removesuffix(".json")
        folder.mkdir(parents=True, exist_ok=True)
        replies = CallCache(folder)
    started = time.perf_counter()
    minutes = summarise(document(meeting), _engine(model), options=SummariseOptions(),
                        stats=stats, cache=replies)  # fmt: skip
    out = {
        "minutes": minutes.to_dict(),
        "seconds": round(time.perf_counter() - started, 1),
        "calls": stats.calls,
        "prompt_tokens": stats.prompt_tokens,
        "completion_tokens": stats.completion_tokens,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.token_set_ratio(normalise(a), normalise(b)))


def _pairs(
    pred: Sequence[str], gold: Sequence[str], threshold: float, ok: Any = None
) -> list[tuple[int, int]]:
    """One-to-one matches, best first; with `ok`, pairs that satisfy it are taken first."""
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            s = similarity(p, g)
            if s >= threshold:
                scored.append((bool(ok(i, j)) if ok else True, s, i, j))
    return _one_to_one(scored)


def _moment_pairs(
    pred: Sequence[str], cited: Sequence[Sequence[int]], gold: Sequence[str],
    anchors: Sequence[Sequence[int]], ok: Any = None,
) -> list[tuple[int, int]]:
    """One-to-one matches of predictions citing a turn of a label (and satisfying `ok`),
    the most similar wording first."""
    scored = []
    for i, p in enumerate(pred):
        for j, g in enumerate(gold):
            if set(cited[i]) & set(anchors[j]) and (ok is None or ok(i, j)):
                scored.append((True, similarity(p, g), i, j))
    return _one_to_one(scored)


def _one_to_one(scored: list[tuple[bool, float, int, int]]) -> list[tuple[int, int]]:
    scored.sort(key=lambda x: (not x[0], -x[1]))
    used_p: set[int] = set()
    used_g: set[int] = set()
    out = []
    for _good, _s, i, j in scored:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        out.append((i, j))
    return out


@dataclass
class Score:
    meetings: int = 0
    predicted: int = 0
    labelled: int = 0
    task_hits: int = 0
    owner_hits: int = 0
    decisions_predicted: int = 0
    decisions_labelled: int = 0
    decision_hits: int = 0
    moment_owner_hits: int = 0  # action items at a labelled turn, owner right
    moment_decision_hits: int = 0
    empty_summary: int = 0
    no_topics: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for k in vars(self):
            if k != "notes":
                setattr(self, k, getattr(self, k) + getattr(other, k))
        self.notes += other.notes


def score(meeting: Meeting, result: dict[str, Any]) -> Score:
    m = result["minutes"]
    labels = meeting.data["labels"]
    gold = labels["action_items"]
    pred = m.get("action_items") or []
    ptexts = [a.get("text") or "" for a in pred]
    gtexts = [g["task"] for g in gold]

    def same_owner(i: int, j: int) -> bool:
        return (pred[i].get("owner") or None) == (gold[j]["owner"] or None)

    matched = _pairs(ptexts, gtexts, TASK_THRESHOLD, same_owner)
    s = Score(meetings=1, predicted=len(pred), labelled=len(gold), task_hits=len(matched))
    s.owner_hits = sum(same_owner(i, j) for i, j in matched)
    for i, j in matched:
        if not same_owner(i, j):
            who = f"owner {pred[i].get('owner')!r} for {gold[j]['owner']!r}"
            s.notes.append(f"{meeting.id}: {who}: {ptexts[i]}")
    hit_p = {i for i, _ in matched}
    hit_g = {j for _, j in matched}
    for i in sorted(set(range(len(pred))) - hit_p):
        s.notes.append(f"{meeting.id}: extra item: {ptexts[i]} ({pred[i].get('owner')})")
    for j in sorted(set(range(len(gold))) - hit_g):
        s.notes.append(f"{meeting.id}: missed item: {gtexts[j]} ({gold[j]['owner']})")
    dpred = [d["text"] if isinstance(d, dict) else str(d) for d in m.get("decisions") or []]
    dgold = labels["decisions"]
    dm = _pairs(dpred, dgold, DECISION_THRESHOLD)
    s.decisions_predicted, s.decisions_labelled, s.decision_hits = len(dpred), len(dgold), len(dm)
    s.moment_owner_hits = len(_moment_pairs(
        ptexts, [_cited(a) for a in pred], gtexts, [g["segments"] for g in gold], same_owner
    ))
    dcited = [_cited(d) if isinstance(d, dict) else [] for d in m.get("decisions") or []]
    s.moment_decision_hits = len(
        _moment_pairs(dpred, dcited, dgold, labels["decision_segments"])
    )
    for i in sorted(set(range(len(dpred))) - {a for a, _ in dm}):
        s.notes.append(f"{meeting.id}: extra decision: {dpred[i]}")
    for j in sorted(set(range(len(dgold))) - {b for _, b in dm}):
        s.notes.append(f"{meeting.id}: missed decision: {dgold[j]}")
    s.empty_summary = int(not (m.get("summary") or "").strip())
    s.no_topics = int(not m.get("topics"))
    s.seconds = float(result.get("seconds", 0.0))
    return s


def _cited(item: dict[str, Any]) -> list[int]:
    return [int(i) for i in item.get("segment_ids") or []]


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def table(scores: dict[tuple[str, str], Score], model: str) -> str:
    rows = [
        f"Model `{model}`, task threshold {TASK_THRESHOLD:g}, "
        f"decision threshold {DECISION_THRESHOLD:g}.",
        "",
        "| language | split | meetings | action P (owner) | action R (owner) "
        "| action P/R (task only) | decision P | decision R "
        "| at its moment: action P/R (owner) | decision P/R | empty summary | no topics "
        "| s/meeting |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (lang, split), s in sorted(scores.items()):
        rows.append(
            f"| {lang} | {split} | {s.meetings} | {_ratio(s.owner_hits, s.predicted)} "
            f"({s.owner_hits}/{s.predicted}) | {_ratio(s.owner_hits, s.labelled)} "
            f"({s.owner_hits}/{s.labelled}) | {_ratio(s.task_hits, s.predicted)} / "
            f"{_ratio(s.task_hits, s.labelled)} | {_ratio(s.decision_hits, s.decisions_predicted)} "
            f"({s.decision_hits}/{s.decisions_predicted}) | "
            f"{_ratio(s.decision_hits, s.decisions_labelled)} "
            f"({s.decision_hits}/{s.decisions_labelled}) "
            f"| {_ratio(s.moment_owner_hits, s.predicted)} / "
            f"{_ratio(s.moment_owner_hits, s.labelled)} "
            f"| {_ratio(s.moment_decision_hits, s.decisions_predicted)} / "
            f"{_ratio(s.moment_decision_hits, s.decisions_labelled)} "
            f"| {s.empty_summary} | {s.no_topics} | {s.seconds / max(1, s.meetings):.0f} |"
        )
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    from minutes.llm.modelstore import DEFAULT_LLM

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=DEFAULT_LLM)
    ap.add_argument("--only", default="", help="comma-separated meeting id prefixes")
    ap.add_argument("--split", choices=("dev", "held_aside"))
    ap.add_argument("--no-cache", action="store_true")
    ap.add_argument("--show", action="store_true", help="print misses and extras")
    ap.add_argument("--reuse-replies", action="store_true",
                    help="keep the model's replies per call and reuse them across code versions")
    args = ap.parse_args(argv)
    meetings = load_meetings([o for o in args.only.split(",") if o], args.split)
    version = code_version()
    print(f"code version {version}, {len(meetings)} meetings", file=sys.stderr)
    scores: dict[tuple[str, str], Score] = {}
    for meeting in meetings:
        result = minutes_of(meeting, args.model, version, not args.no_cache, args.reuse_replies)
        s = score(meeting, result)
        print(
            f"{meeting.id}: items {s.owner_hits}/{s.predicted} pred, {s.labelled} gold "
            f"({s.moment_owner_hits} at their moment); decisions "
            f"{s.decision_hits}/{s.decisions_predicted} pred, {s.decisions_labelled} gold "
            f"({s.moment_decision_hits} at their moment); {result.get('seconds')} s",
            file=sys.stderr,
            flush=True,
        )
        for key in ((meeting.language, meeting.split), (meeting.language, "all")):
            scores.setdefault(key, Score()).add(s)
    print(table(scores, args.model))
    if args.show:
        for s in (v for (lang, split), v in sorted(scores.items()) if split != "all"):
            print("\n".join(s.notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
