"""RTTM reading/writing and the DER implementation."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from minutes.diarize import SpeakerTurn
from minutes.diarize.metrics import diarization_error, linear_sum_assignment_max, pyannote_der
from minutes.diarize.rttm import format_rttm, parse_rttm, read_rttm, write_rttm
from minutes.diarize.types import renumber_turns

RTTM = """\
;; a comment
SPEAKER meet 1 0.00 5.29 <NA> <NA> FEE016 <NA> <NA>
SPEAKER meet 1 2.59 0.36 <NA> <NA> FEE013 <NA> <NA>

SPEAKER other 1 1.0 1.0 <NA> <NA> X <NA> <NA>
LEXEME meet 1 0.5 0.2 hello <NA> <NA> <NA> <NA>
"""


def test_parse_rttm_groups_by_file_and_skips_other_lines() -> None:
    parsed = parse_rttm(RTTM)
    assert set(parsed) == {"meet", "other"}
    assert parsed["meet"] == [
        SpeakerTurn(0.0, 5.29, "FEE016"),
        SpeakerTurn(2.59, pytest.approx(2.95), "FEE013"),  # type: ignore[arg-type]
    ]
    assert parse_rttm(RTTM, uri="other") == {"other": [SpeakerTurn(1.0, 2.0, "X")]}


def test_parse_rttm_errors_name_the_line() -> None:
    with pytest.raises(ValueError, match="line 2"):
        parse_rttm("SPEAKER a 1 0 1 <NA> <NA> s <NA> <NA>\nSPEAKER a 1 zero 1 <NA> <NA> s\n")
    with pytest.raises(ValueError, match="line 1"):
        parse_rttm("SPEAKER a 1 0\n")
    with pytest.raises(ValueError, match="negative"):
        parse_rttm("SPEAKER a 1 0 -1 <NA> <NA> s <NA> <NA>\n")


def test_round_trip(tmp_path: Path) -> None:
    turns = [SpeakerTurn(1.5, 2.25, "SPEAKER_2"), SpeakerTurn(0.0, 1.0, "SPEAKER_1")]
    path = tmp_path / "x.rttm"
    write_rttm(path, turns, "rec")
    assert read_rttm(path) == sorted(turns, key=lambda t: t.start)
    assert format_rttm(turns, "rec").splitlines()[0] == (
        "SPEAKER rec 1 0.000 1.000 <NA> <NA> SPEAKER_1 <NA> <NA>"
    )
    with pytest.raises(ValueError):
        format_rttm([SpeakerTurn(0, 1, "two words")], "rec")
    assert read_rttm(tmp_path / "x.rttm", uri="missing") == []


def test_renumber_turns_by_first_appearance() -> None:
    turns = [SpeakerTurn(5, 6, "b"), SpeakerTurn(0, 1, "z"), SpeakerTurn(2, 3, "b")]
    renamed, mapping = renumber_turns(turns)
    assert mapping == {"z": "SPEAKER_1", "b": "SPEAKER_2"}
    assert [t.speaker for t in renamed] == ["SPEAKER_1", "SPEAKER_2", "SPEAKER_2"]


REF = [SpeakerTurn(0, 10, "A"), SpeakerTurn(10, 20, "B")]


def test_perfect_and_permuted_labels() -> None:
    hyp = [SpeakerTurn(0, 10, "x"), SpeakerTurn(10, 20, "y")]
    assert diarization_error(REF, hyp, collar=0).der == 0.0
    assert diarization_error(REF, list(reversed(hyp)), collar=0).der == 0.0


def test_error_components_by_hand() -> None:
    hyp = [SpeakerTurn(0, 8, "x"), SpeakerTurn(8, 20, "y"), SpeakerTurn(20, 22, "y")]
    d = diarization_error(REF, hyp, collar=0)
    assert d.total == pytest.approx(20)
    assert d.miss == pytest.approx(0)
    assert d.false_alarm == pytest.approx(2)
    assert d.confusion == pytest.approx(2)  # 8-10 s: A labelled as B's speaker
    assert d.der == pytest.approx(0.2)
    # A +-0.25 s collar around each reference boundary: of the 8-10 s confusion only
    # 9.75-10 s falls inside one.
    assert diarization_error(REF, hyp, collar=0.25).confusion == pytest.approx(1.75)
    assert diarization_error(REF, hyp, collar=0.25).total == pytest.approx(19.0)


def test_overlap_counts_for_each_speaker() -> None:
    ref = [SpeakerTurn(0, 10, "A"), SpeakerTurn(5, 10, "B")]
    hyp = [SpeakerTurn(0, 10, "x")]  # single-speaker output misses B entirely
    d = diarization_error(ref, hyp, collar=0)
    assert (
        d.total == pytest.approx(15)
        and d.miss == pytest.approx(5)
        and d.der == pytest.approx(1 / 3)
    )


def test_empty_inputs() -> None:
    assert diarization_error([], []).der == 0.0
    assert diarization_error(REF, []).der == pytest.approx(1.0)
    assert diarization_error([], [SpeakerTurn(0, 1, "x")]).der == float("inf")


def test_hungarian_matches_brute_force() -> None:
    rng = np.random.default_rng(0)
    for shape in [(3, 3), (2, 4), (5, 3), (4, 4), (1, 3)]:
        w = rng.random(shape)
        pairs = linear_sum_assignment_max(w)
        got = sum(w[i, j] for i, j in pairs)
        best = (
            max(
                sum(w[i, j] for i, j in zip(rows, cols, strict=False))
                for rows in [range(shape[0])]
                for cols in itertools.permutations(range(shape[1]), min(shape))
            )
            if shape[0] <= shape[1]
            else max(
                sum(w[i, j] for i, j in zip(rows, range(shape[1]), strict=False))
                for rows in itertools.permutations(range(shape[0]), shape[1])
            )
        )
        assert got == pytest.approx(best)
        assert len(pairs) == min(shape)


def test_agrees_with_pyannote_metrics() -> None:
    pytest.importorskip("pyannote.metrics", reason="pyannote.metrics not installed (eval extra)")
    rng = np.random.default_rng(1)
    for _ in range(5):
        ref, hyp, t = [], [], 0.0
        while t < 60:
            d = float(rng.uniform(0.3, 5))
            ref.append(SpeakerTurn(round(t, 3), round(t + d, 3), "ABC"[rng.integers(3)]))
            if rng.random() < 0.2:  # some overlap in the reference
                ref.append(SpeakerTurn(round(t + d / 2, 3), round(t + d, 3), "D"))
            # System turns are shifted a little but never overlap each other (pyannote's
            # mapping double-counts a label overlapping itself; real outputs never do).
            s = max(t + float(rng.normal(0, 0.2)), hyp[-1].end if hyp else 0.0)
            hyp.append(SpeakerTurn(round(s, 3), round(t + d, 3), "xyz"[rng.integers(3)]))
            t += d + float(rng.uniform(0, 1))
        for collar in (0.0, 0.25):
            mine = diarization_error(ref, hyp, collar=collar).der
            assert mine == pytest.approx(pyannote_der(ref, hyp, collar=collar), abs=2e-3)
