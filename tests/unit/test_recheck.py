"""Re-checking the library after a glossary edit: stale meetings found, decisions kept.

These run the text matcher only (no model); guided re-decoding of a session is
covered with the real model in tests/integration/test_glossary_real.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary.terms import Glossary, Term
from minutes.cli import main as cli_main
from minutes.progress import Cancelled, CancelToken
from minutes.recheck import correct_session, is_stale, recheck_library, stale_sessions
from minutes.session import Session
from minutes.types import CorrectionSource, CorrectionStatus, Segment, Transcript

OLD = Glossary.from_terms([Term("Kubernetes", variants=("쿠버네티스",))])
NEW = OLD.with_term(Term("GitHub", variants=("깃허브",)))


def _meeting(root: Path, title: str, text: str) -> tuple[Session, Transcript]:
    session = Session.create(root, title)
    transcript = Transcript("ko", 3.0, (Segment(0, 0.0, 3.0, text),))
    session.save_asr(transcript, "k", {})
    return session, transcript


def test_a_meeting_corrected_with_an_older_glossary_is_stale(tmp_path: Path) -> None:
    session, transcript = _meeting(tmp_path, "a", "쿠버네티스를 깃허브에 올렸어요")
    assert is_stale(session, OLD, None)  # never corrected
    correct_session(session, transcript, OLD, None)
    assert not is_stale(session, OLD, None)
    assert is_stale(session, NEW, None)
    assert is_stale(session, OLD, "base")  # guided re-decoding was not run on it


def test_recheck_brings_new_terms_and_keeps_decisions(tmp_path: Path) -> None:
    a, ta = _meeting(tmp_path, "a", "쿠버네티스를 깃허브에 올렸어요")
    b, tb = _meeting(tmp_path, "b", "깃허브 링크를 보내 주세요")
    first = correct_session(a, ta, OLD, None)
    rejected = [c.decide(CorrectionStatus.REJECTED) for c in first]
    a.save_corrections(rejected, a.corrections_key())
    correct_session(b, tb, OLD, None)
    assert [s.folder for s in stale_sessions(tmp_path, OLD, None)] == []

    report = recheck_library(tmp_path, NEW, None)

    assert sorted(s.folder.name for s, _, _ in report.checked) == sorted(
        [a.folder.name, b.folder.name]
    )
    after_a = {c.after: c for c in a.load_corrections()}
    assert after_a["Kubernetes"].status is CorrectionStatus.REJECTED  # the user's decision
    assert after_a["GitHub"].status is CorrectionStatus.ACCEPTED  # the new term
    assert [c.after for c in b.load_corrections()] == ["GitHub"]
    assert stale_sessions(tmp_path, NEW, None) == []
    assert recheck_library(tmp_path, NEW, None).checked == []  # nothing left to do


def test_recheck_skips_the_meeting_open_in_review(tmp_path: Path) -> None:
    a, _ = _meeting(tmp_path, "a", "깃허브")
    b, _ = _meeting(tmp_path, "b", "깃허브")
    report = recheck_library(tmp_path, NEW, None, skip=a.folder)
    assert [s.folder for s, _, _ in report.checked] == [b.folder]
    assert a.load_corrections() == []


def test_recheck_keeps_user_and_llm_changes(tmp_path: Path) -> None:
    from minutes.types import Correction

    a, _ = _meeting(tmp_path, "a", "깃허브에 올렸어요")
    user = Correction(0, 5, 8, "올렸어", "올려", CorrectionSource.USER,
                      status=CorrectionStatus.ACCEPTED, decided=True)
    a.save_corrections([user])
    recheck_library(tmp_path, NEW, None)
    assert user in a.load_corrections()


def test_a_damaged_meeting_is_reported_and_the_others_go_on(tmp_path: Path) -> None:
    a, _ = _meeting(tmp_path, "a", "깃허브")
    b, _ = _meeting(tmp_path, "b", "깃허브")
    (a.folder / "corrections.json").write_text("{not json", encoding="utf-8")
    report = recheck_library(tmp_path, NEW, None)
    assert [s.folder for s, _ in report.failed] == [a.folder]
    assert [s.folder for s, _, _ in report.checked] == [b.folder]
    assert (a.folder / "corrections.json").read_text(encoding="utf-8") == "{not json"


def test_cancel_stops_between_meetings(tmp_path: Path) -> None:
    _meeting(tmp_path, "a", "깃허브")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        recheck_library(tmp_path, NEW, None, cancel=token)


def test_cli_rechecks_the_library(
    tmp_path: Path, isolated_data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from minutes.config import Config

    root = tmp_path / "meetings"
    Config(sessions_folder=str(root)).save()
    a, ta = _meeting(root, "a", "깃허브에 올렸어요")
    correct_session(a, ta, OLD, None)
    terms = tmp_path / "terms.csv"
    terms.write_text("term,variants\nGitHub,깃허브\n", encoding="utf-8")
    assert cli_main(["-q", "correct", "--library", "--no-guided", "--glossary", str(terms)]) == 0
    assert [c.after for c in a.load_corrections()] == ["GitHub"]
    assert "1 meetings re-checked, 1 with new changes" in capsys.readouterr().err
    assert cli_main(["correct", "--no-guided"]) == 1  # neither a transcript nor --library
