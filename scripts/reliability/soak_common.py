"""Shared pieces of the long-meeting soaks: synthetic meetings, RSS sampling, reports.

Nothing here is imported by the app. The soaks build their inputs in a temporary
folder (never in the repository) from the public-domain `resources/samples/jfk.flac`.
"""

from __future__ import annotations

import contextlib
import os
import re
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[2]
JFK = REPO / "resources" / "samples" / "jfk.flac"
SR = 16_000
JFK_PHRASE = re.compile(r"ask\s+not\s+what\s+your\s+country", re.IGNORECASE)


def jfk_samples() -> np.ndarray:
    import soundfile as sf

    data, rate = sf.read(str(JFK), dtype="int16")
    assert rate == SR and data.ndim == 1, "jfk.flac is 16 kHz mono"
    return np.asarray(data, dtype=np.int16)


def meeting_blocks(
    hours: float, every_s: float = 60.0, noise: float = 20.0, seed: int = 0
) -> Iterator[tuple[np.ndarray, float | None]]:
    """int16 blocks of a synthetic meeting: jfk.flac at the start of every `every_s` slot,
    low noise (`noise` int16 RMS, about -64 dBFS) between. Yields (block, clip start or None)."""
    clip = jfk_samples()
    slot = int(every_s * SR)
    total = int(hours * 3600 * SR)
    rng = np.random.default_rng(seed)
    pos = 0
    while pos < total:
        n = min(slot, total - pos)
        block = np.round(rng.standard_normal(n) * noise).astype(np.int16)
        start: float | None = None
        if n >= clip.size + SR:  # a whole clip fits (the last, short slot may stay quiet)
            block[: clip.size] = np.clip(block[: clip.size].astype(np.int32) + clip, -32768, 32767)
            start = pos / SR
        yield block, start
        pos += n


def write_meeting(path: Path, hours: float, every_s: float = 60.0) -> list[float]:
    """Write the meeting as FLAC/WAV (by suffix) block by block; return the clip start times."""
    import soundfile as sf

    starts: list[float] = []
    fmt = "FLAC" if path.suffix.lower() == ".flac" else "WAV"
    with sf.SoundFile(str(path), "w", SR, 1, subtype="PCM_16", format=fmt) as out:
        for block, start in meeting_blocks(hours, every_s):
            out.write(block)
            if start is not None:
                starts.append(start)
    return starts


def write_meeting_raw(path: Path, hours: float, every_s: float = 60.0) -> list[float]:
    """The same meeting as headerless little-endian int16 (for the ALSA file device)."""
    starts: list[float] = []
    with path.open("wb") as out:
        for block, start in meeting_blocks(hours, every_s):
            out.write(block.astype("<i2").tobytes())
            if start is not None:
                starts.append(start)
    return starts


def tree_rss_mb(pid: int) -> float:
    """RSS of a process and all its children, MB (psutil; /proc as a fallback)."""
    try:
        import psutil

        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        total = 0
        for p in procs:
            with contextlib.suppress(psutil.Error):
                total += p.memory_info().rss
        return total / 2**20
    except ImportError:
        return _proc_rss_kb(pid) / 1024


def _proc_rss_kb(pid: int) -> float:
    total = 0.0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += float(line.split()[1])
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            with contextlib.suppress(OSError, ValueError):
                total += _proc_rss_kb(int(child))
    return total


@dataclass
class RssSampler:
    """Samples (seconds since start, RSS MB, progress 0..1) every `interval` seconds."""

    pid: int
    progress: Callable[[], float]
    interval: float = 1.0
    samples: list[tuple[float, float, float]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> RssSampler:
        self._t0 = time.monotonic()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                rss = tree_rss_mb(self.pid)
            except (OSError, ProcessLookupError):
                rss = 0.0
            except Exception:  # psutil.NoSuchProcess at the very end
                rss = 0.0
            if rss > 0:
                self.samples.append((time.monotonic() - self._t0, rss, self.progress()))
            self._stop.wait(self.interval)

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    @property
    def peak(self) -> float:
        return max((s[1] for s in self.samples), default=0.0)

    def at_progress(self, fraction: float) -> tuple[float, float] | None:
        """(seconds, RSS MB) of the first sample at or past `fraction` of progress."""
        return next(((t, r) for t, r, p in self.samples if p >= fraction), None)

    def growth_mb_per_hour(self, lo: float = 0.1, hi: float = 0.9) -> float:
        """Least-squares slope of RSS over progress between `lo` and `hi`, MB per unit of
        progress (for an 8 h input: per 8 h of audio); near 0 = flat."""
        pts = [(p, r) for _, r, p in self.samples if lo <= p <= hi]
        if len(pts) < 3:
            return float("nan")
        xs, ys = zip(*pts, strict=True)
        return float(np.polyfit(xs, ys, 1)[0])

    def table(self, marks: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 0.9, 1.0)) -> str:
        lines = ["| progress | wall time (s) | RSS (MB) |", "|---:|---:|---:|"]
        for m in marks:
            hit = self.at_progress(m)
            if hit:
                lines.append(f"| {m:.0%} | {hit[0]:.0f} | {hit[1]:.0f} |")
        return "\n".join(lines)


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def run_with_progress(
    cmd: list[str], env: dict[str, str], parse: Callable[[str], float | None]
) -> tuple[subprocess.Popen[bytes], Callable[[], float], list[str]]:
    """Start `cmd`; a thread reads its stderr and keeps the last progress `parse` found."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    state = {"progress": 0.0}
    tail: list[str] = []

    def reader() -> None:
        assert proc.stderr is not None
        buf = b""
        while True:
            chunk = proc.stderr.read1(4096)  # type: ignore[attr-defined]
            if not chunk:
                break
            buf = (buf + chunk)[-8192:]
            for piece in re.split(rb"[\r\n]", buf):
                try:
                    value = parse(piece.decode("utf-8", "replace"))
                except ValueError:  # a line cut by the read boundary
                    value = None
                if value is not None:
                    state["progress"] = max(state["progress"], value)
            text = chunk.decode("utf-8", "replace")
            tail.extend(line for line in re.split(r"[\r\n]", text) if line.strip())
            del tail[:-40]

    threading.Thread(target=reader, daemon=True).start()
    return proc, lambda: state["progress"], tail


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "max": float("nan"), "p99": float("nan"), "median": float("nan")}
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {"n": len(values), "max": ordered[-1], "p99": p99, "median": statistics.median(values)}


# -- a long reviewed meeting and a large glossary -------------------------------------
_SYLLABLES = [
    ("ku", "쿠"), ("ber", "버"), ("ne", "네"), ("tes", "티스"), ("graf", "그라프"), ("ana", "아나"),
    ("pro", "프로"), ("me", "메"), ("the", "테"), ("us", "우스"), ("ter", "테라"), ("form", "폼"),
    ("kaf", "카프"), ("ka", "카"), ("re", "레"), ("dis", "디스"), ("el", "엘"), ("as", "아스"),
    ("tic", "틱"), ("post", "포스트"), ("gres", "그레스"), ("mon", "몽"), ("go", "고"),
    ("cas", "카산"), ("dra", "드라"), ("zoo", "주"), ("kee", "키"), ("per", "퍼"), ("spar", "스파"),
    ("flin", "플린"), ("air", "에어"), ("flow", "플로우"), ("ar", "아르"), ("is", "이스"),
    ("ti", "티"), ("o", "오"), ("en", "엔"), ("voy", "보이"), ("lin", "링"), ("ker", "커"),
    ("vec", "벡"), ("tor", "터"), ("da", "다"), ("tab", "테이"), ("ric", "릭"), ("dex", "덱스"),
    ("fab", "패브"), ("ron", "론"), ("syn", "신"), ("qua", "쿼"),
]  # fmt: skip
_FILLERS = [
    "이번 분기에는", "배포 일정을 다시 확인해 주세요", "그 부분은 다음 회의에서 보죠", "좋습니다",
    "테스트 환경에서", "장애가 한 번 있었어요", "비용이 조금 늘었습니다", "로그를 보면",
    "we should check the latency", "the deployment is blocked", "let's move on", "네 맞아요",
    "클러스터를 올렸어요", "리뷰 부탁드립니다", "지표가 안정적이에요", "다음 주까지",
]  # fmt: skip


def synthetic_glossary(n_terms: int = 20_000, seed: int = 1) -> Any:
    """`n_terms` made-up product names (2-3 syllables), each with its Hangul reading as a
    variant, like a team glossary of English jargon said in Korean."""
    from glossary.terms import Glossary, Term

    rng = np.random.default_rng(seed)
    seen: set[str] = set()
    terms: list[Term] = []
    while len(terms) < n_terms:
        k = 2 if rng.random() < 0.4 else 3
        parts = [_SYLLABLES[i] for i in rng.integers(0, len(_SYLLABLES), k)]
        name = "".join(p[0] for p in parts).capitalize()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        hangul = "".join(p[1] for p in parts)
        terms.append(Term(name, (hangul,), category=("infra", "product", "team")[len(terms) % 3]))
    return Glossary.from_terms(terms)


def synthetic_transcript(
    glossary: Any, hours: float = 3.0, n_segments: int = 3_500, seed: int = 2
) -> Any:
    """A mixed Korean/English meeting: fillers with glossary terms said in Hangul (about one
    segment in three mentions one), 2 speakers, word timestamps."""
    from minutes.types import Segment, Transcript, Word

    rng = np.random.default_rng(seed)
    step = hours * 3600 / n_segments
    terms = glossary.terms
    segments = []
    for i in range(n_segments):
        pieces = [_FILLERS[j] for j in rng.integers(0, len(_FILLERS), 3)]
        if rng.random() < 0.35:
            term = terms[int(rng.integers(0, len(terms)))]
            pieces.insert(int(rng.integers(0, 3)), f"{term.variants[0]}를")
        text = " ".join(pieces)
        start = round(i * step, 3)
        tokens = text.split()
        dt = step * 0.9 / len(tokens)
        words = tuple(
            Word(round(start + k * dt, 3), round(start + (k + 1) * dt, 3),
                 (" " if k else "") + tok, 0.9)
            for k, tok in enumerate(tokens)
        )  # fmt: skip
        segments.append(
            Segment(i, start, round(start + step * 0.95, 3), text, words,
                    speaker=f"SPEAKER_{i % 2}")
        )  # fmt: skip
    return Transcript("ko", hours * 3600, tuple(segments), model="base")


def synthetic_session(root: Path, transcript: Any, corrections: list[Any]) -> Any:
    """A session folder holding `transcript` and `corrections` (no audio)."""
    from minutes.session import Session, stage_key

    session = Session.create(root, "3시간 회의 Long review")
    session.save_asr(transcript, "synthetic", {})
    key = stage_key(transcript=[s.text for s in transcript.segments], glossary="synthetic")
    session.save_corrections(corrections, key)
    session.meta.language = "ko"
    session.meta.duration = transcript.duration
    session.save_meta()
    return session
