"""Clustering on synthetic speaker embeddings shaped like Resemblyzer's.

Resemblyzer d-vectors of one voice have mean pairwise cosine ~0.72-0.85 and
different voices in one recording ~0.57-0.69 (measured, see clustering.py);
the generator below reproduces that geometry: non-negative unit vectors around
per-speaker centres.
"""

from __future__ import annotations

import numpy as np
import pytest

from minutes.diarize.clustering import (
    ClusterConfig,
    cluster_embeddings,
    fold_small,
    kmeans,
    l2_normalize,
    merge_clusters,
)
from minutes.diarize.metrics import linear_sum_assignment_max


def make_speakers(
    sizes: list[int], *, seed: int = 0, centre_cos: float = 0.8, within: float = 0.78
) -> tuple[np.ndarray, np.ndarray]:
    """Embeddings in runs (like turns) for speakers with `sizes` windows each.

    Speaker centres share a common "room" direction (centre cosine
    `centre_cos`); windows scatter around their centre so that two windows
    of one voice have cosine ~`within` on average.
    """
    rng = np.random.default_rng(seed)
    dim = 256
    common = l2_normalize(rng.normal(size=dim))
    sigma = np.sqrt(1.0 / within - 1.0)
    xs, ys = [], []
    for k, n in enumerate(sizes):
        unique = l2_normalize(rng.normal(size=dim))
        centre = l2_normalize(np.sqrt(centre_cos) * common + np.sqrt(1 - centre_cos) * unique)
        pts = centre + sigma * rng.normal(size=(n, dim)) / np.sqrt(dim)
        xs.append(l2_normalize(pts))
        ys += [k] * n
    return np.concatenate(xs).astype(np.float32), np.array(ys)


def purity(labels: np.ndarray, truth: np.ndarray) -> float:
    """Fraction of points correctly clustered under the best one-to-one mapping."""
    co = np.zeros((labels.max() + 1, truth.max() + 1))
    for a, b in zip(labels, truth, strict=True):
        co[a, b] += 1
    return sum(co[i, j] for i, j in linear_sum_assignment_max(co)) / len(labels)


def pairwise_stats(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    sim = x @ x.T
    same = sim[(y[:, None] == y[None, :]) & ~np.eye(len(y), dtype=bool)].mean()
    diff = sim[y[:, None] != y[None, :]].mean()
    return float(same), float(diff)


def test_generator_matches_measured_geometry() -> None:
    x, y = make_speakers([60, 60, 60])
    same, diff = pairwise_stats(x, y)
    assert 0.70 < same < 0.90 and 0.50 < diff < 0.69


@pytest.mark.parametrize("sizes", [[80, 70], [60, 50, 40], [50, 40, 45, 35], [30, 90, 40, 60, 50]])
def test_automatic_count_and_partition(sizes: list[int]) -> None:
    x, y = make_speakers(sizes, seed=len(sizes))
    labels = cluster_embeddings(x)
    assert labels.max() + 1 == len(sizes)
    assert purity(labels, y) > 0.97


def test_single_voice_stays_one_cluster() -> None:
    x, _ = make_speakers([150], seed=3)
    assert set(cluster_embeddings(x).tolist()) == {0}


def test_fixed_number_of_speakers() -> None:
    x, _y = make_speakers([60, 60, 60], seed=4)
    assert cluster_embeddings(x, num_speakers=3).max() + 1 == 3
    assert cluster_embeddings(x, num_speakers=2).max() + 1 == 2
    one, _ = make_speakers([100], seed=5)
    assert cluster_embeddings(one, num_speakers=2).max() + 1 == 2  # the user said so


def test_min_and_max_bounds() -> None:
    x, _ = make_speakers([50, 50, 50, 50], seed=6)
    assert cluster_embeddings(x, max_speakers=2).max() + 1 <= 2
    one, _ = make_speakers([120], seed=7)
    assert cluster_embeddings(one, min_speakers=2).max() + 1 >= 2
    with pytest.raises(ValueError):
        cluster_embeddings(x, min_speakers=3, max_speakers=2)
    with pytest.raises(ValueError):
        cluster_embeddings(x, num_speakers=0)


def test_degenerate_inputs() -> None:
    assert cluster_embeddings(np.zeros((0, 256), np.float32)).shape == (0,)
    assert cluster_embeddings(np.ones((1, 256), np.float32)).tolist() == [0]
    x, _ = make_speakers([3, 2], seed=8)
    labels = cluster_embeddings(x)
    assert labels.shape == (5,) and labels.min() == 0
    assert cluster_embeddings(x[:2], num_speakers=3).tolist() == [0, 1]


def test_small_noise_cluster_is_folded() -> None:
    x, y = make_speakers([100, 100, 4], seed=9)
    labels = cluster_embeddings(x)
    assert labels.max() + 1 == 2
    assert purity(labels, np.minimum(y, 1)) > 0.9


def test_long_recording_uses_micro_clusters_with_same_result() -> None:
    x, y = make_speakers([1500, 1200, 900], seed=10)
    cfg = ClusterConfig(max_points=300)
    labels = cluster_embeddings(x, config=cfg)
    assert labels.max() + 1 == 3
    assert purity(labels, y) > 0.97


def test_deterministic() -> None:
    x, _ = make_speakers([70, 60, 50], seed=11)
    assert np.array_equal(cluster_embeddings(x), cluster_embeddings(x))


def test_merge_clusters_thresholds() -> None:
    x, y = make_speakers([50, 50], seed=12)
    xd = l2_normalize(x)
    # Split speaker 0 in two halves: the halves merge back, the real pair stays apart.
    labels = y.copy()
    labels[:25] = 2
    merged = merge_clusters(xd, labels, average_threshold=0.69, centroid_threshold=0.92)
    assert len(set(merged.tolist())) == 2
    assert purity(np.unique(merged, return_inverse=True)[1], y) == 1.0
    # k_min is respected even when everything looks alike.
    forced = merge_clusters(xd, labels, average_threshold=-1.0, centroid_threshold=-1.0, k_min=2)
    assert len(set(forced.tolist())) == 2


def test_fold_small_respects_k_min() -> None:
    x, y = make_speakers([50, 3], seed=13)
    xd = l2_normalize(x)
    assert len(set(fold_small(xd, y, 0.1).tolist())) == 1
    assert len(set(fold_small(xd, y, 0.1, k_min=2).tolist())) == 2


def test_kmeans_recovers_separated_blobs() -> None:
    rng = np.random.default_rng(0)
    pts = np.concatenate([rng.normal(c, 0.1, size=(40, 2)) for c in ((0, 0), (5, 5), (0, 5))])
    labels, centres = kmeans(pts, 3, seed=1)
    assert len(set(labels.tolist())) == 3
    assert np.allclose(sorted(centres[:, 0].round()), [0, 0, 5])
