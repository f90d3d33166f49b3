"""Diarization error rate (DER), NIST md-eval style, in NumPy.

Same definition as pyannote.metrics' `DiarizationErrorRate` (overlap scored,
optimal one-to-one speaker mapping, collars around reference boundaries not
scored). Note the two conventions for the collar: here, as in md-eval and
dscore, `collar=0.25` removes +-0.25 s around every reference boundary;
pyannote.metrics' `collar` is the *total* width, so the same scoring is
`DiarizationErrorRate(collar=0.5)` there. The tests check both agree.
Used by the benchmark and the integration tests; the app never needs it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from minutes.diarize.types import SpeakerTurn


@dataclass(frozen=True)
class DERComponents:
    """Seconds of each error kind, over `total` seconds of reference speech."""

    total: float
    miss: float
    false_alarm: float
    confusion: float

    @property
    def der(self) -> float:
        """(miss + false alarm + confusion) / total (0 when there is no reference speech)."""
        if self.total <= 0:
            return 0.0 if self.miss + self.false_alarm + self.confusion == 0 else float("inf")
        return (self.miss + self.false_alarm + self.confusion) / self.total


def linear_sum_assignment_max(weights: npt.NDArray[np.float64]) -> list[tuple[int, int]]:
    """Row->column pairs maximising the total weight (Hungarian algorithm, O(n^3)).

    Args:
        weights: (rows, cols) non-negative matrix.

    Returns:
        Matched (row, col) pairs; min(rows, cols) of them.
    """
    w = np.asarray(weights, dtype=np.float64)
    transposed = w.shape[0] > w.shape[1]
    if transposed:
        w = w.T
    n, m = w.shape
    if n == 0:
        return []
    cost = w.max() - w  # minimise cost == maximise weight
    inf = float("inf")
    u = np.zeros(n + 1)
    v = np.zeros(m + 1)
    p = np.zeros(m + 1, dtype=np.int64)  # p[j]: row matched to column j (1-based, 0 = none)
    way = np.zeros(m + 1, dtype=np.int64)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = np.full(m + 1, inf)
        used = np.zeros(m + 1, dtype=bool)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta, j1 = inf, 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1, j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j], way[j] = cur, j0
                    if minv[j] < delta:
                        delta, j1 = minv[j], j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = [(int(p[j]) - 1, j - 1) for j in range(1, m + 1) if p[j] != 0]
    return sorted((c, r) if transposed else (r, c) for r, c in pairs)


def _activity(
    turns: Sequence[SpeakerTurn], labels: list[str], n: int, step: float
) -> npt.NDArray[np.bool_]:
    act = np.zeros((len(labels), n), dtype=bool)
    index = {s: i for i, s in enumerate(labels)}
    for t in turns:
        a, b = round(t.start / step), round(t.end / step)
        act[index[t.speaker], max(a, 0) : max(b, 0)] = True
    return act


def diarization_error(
    reference: Sequence[SpeakerTurn],
    hypothesis: Sequence[SpeakerTurn],
    *,
    collar: float = 0.25,
    step: float = 0.001,
) -> DERComponents:
    """Score a hypothesis against a reference.

    Args:
        reference: Reference turns (may overlap).
        hypothesis: System turns (may overlap).
        collar: Seconds not scored on *each side* of every reference boundary.
        step: Time resolution of the frame-based computation.

    Returns:
        The error components in seconds.
    """
    end = max([t.end for t in (*reference, *hypothesis)], default=0.0)
    n = int(np.ceil(end / step)) + 1
    ref_labels = sorted({t.speaker for t in reference})
    hyp_labels = sorted({t.speaker for t in hypothesis})
    ref = _activity(reference, ref_labels, n, step)
    hyp = _activity(hypothesis, hyp_labels, n, step)
    scored = np.ones(n, dtype=bool)
    if collar > 0:
        c = round(collar / step)
        for t in reference:
            for edge in (t.start, t.end):
                e = round(edge / step)
                scored[max(e - c, 0) : max(e + c, 0)] = False
    ref = ref[:, scored]
    hyp = hyp[:, scored]
    n_ref = ref.sum(axis=0)
    n_hyp = hyp.sum(axis=0)
    co = ref.astype(np.float64) @ hyp.T.astype(np.float64)  # frames both speak
    correct = 0.0
    if co.size:
        correct = float(sum(co[i, j] for i, j in linear_sum_assignment_max(co)))
    total = float(n_ref.sum())
    miss = float(np.maximum(n_ref - n_hyp, 0).sum())
    fa = float(np.maximum(n_hyp - n_ref, 0).sum())
    confusion = float(np.minimum(n_ref, n_hyp).sum()) - correct
    return DERComponents(total * step, miss * step, fa * step, confusion * step)


def pyannote_der(
    reference: Sequence[SpeakerTurn], hypothesis: Sequence[SpeakerTurn], *, collar: float = 0.25
) -> float:
    """DER from pyannote.metrics (if installed), `collar` on each side as above.

    Raises:
        ImportError: pyannote.metrics is not installed.
    """
    from pyannote.core import Annotation, Segment, Timeline
    from pyannote.metrics.diarization import DiarizationErrorRate

    def annotation(turns: Sequence[SpeakerTurn]) -> Annotation:
        ann = Annotation()
        for i, t in enumerate(turns):
            ann[Segment(t.start, t.end), i] = t.speaker
        return ann

    metric = DiarizationErrorRate(collar=2 * collar, skip_overlap=False)
    both = [*reference, *hypothesis]
    if not both:
        return 0.0
    # The extent pyannote would otherwise approximate (with a warning).
    uem = Timeline([Segment(min(t.start for t in both), max(t.end for t in both))])
    return float(metric(annotation(reference), annotation(hypothesis), uem=uem))
