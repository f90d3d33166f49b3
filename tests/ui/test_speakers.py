"""Speakers in the app: settings, renaming in the review, the Speakers panel, saved voices.

The meeting is a real Korean two-speaker dialogue (Deeply Korean read speech,
dialogues "aa" and "ab") concatenated at test time in the test's folder, with
its reference transcript and the known speaker turns saved as the diarization,
so no speech model runs. Skipped, with the reason, when the shared speech data
is absent.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLineEdit

from minutes.config import Config, voices_dir
from minutes.diarize.profiles import VoiceProfileStore
from minutes.diarize.types import DiarizationResult, SpeakerTurn
from minutes.session import Session, stage_key
from minutes.types import Segment, Transcript, Word
from tests.audio_factory import write_audio
from ui.models.review import Col

SR = 16_000
GAP_S = 0.3
DIALOGUES = ("aa", "ab")
LABELS = {"a": "SPEAKER_1", "b": "SPEAKER_2"}


def _words(text: str, start: float, end: float) -> tuple[Word, ...]:
    parts = text.split()
    step = (end - start) / len(parts)
    return tuple(
        Word(start + i * step, start + (i + 1) * step - 0.02, (" " if i else "") + w)
        for i, w in enumerate(parts)
    )


def build_dialogue(folder: Path, speech_dir: Path) -> Session:
    """A diarized meeting of two real voices in `folder`: audio, transcript, turns."""
    from minutes.audio import load_audio

    root = speech_dir / "deeply_korean_read"
    if not (root / "utterances.tsv").is_file():
        pytest.skip(f"Korean dialogue data not found in {root}")
    with (root / "utterances.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t")
                if r["kind"] == "dialogue" and r["text_code"][:2] in DIALOGUES]  # fmt: skip
    pieces, segments, turns, t = [], [], [], 0.0
    for i, r in enumerate(rows):
        wav = load_audio(root / "utterances" / f"{r['id']}.flac")
        end = t + wav.size / SR
        speaker = LABELS[r["speaker"]]
        turns.append(SpeakerTurn(round(t, 3), round(end, 3), speaker))
        segments.append(Segment(i, t, end, r["text"], _words(r["text"], t, end)))
        pieces += [wav, np.zeros(round(GAP_S * SR), dtype=np.float32)]
        t = end + GAP_S
    folder.mkdir(parents=True, exist_ok=True)
    audio = write_audio(folder / "dialogue.wav", np.concatenate(pieces))
    session = Session.create(folder, "점심 약속 Lunch plans")
    session.attach_audio(audio)
    transcript = Transcript("ko", t, tuple(segments), model="reference", audio_path=str(audio))
    session.save_asr(transcript, "test", {})
    session.save_diarization(DiarizationResult(tuple(turns)), stage_key(test=1), {})
    session.meta.language, session.meta.duration = "ko", t
    session.save_meta()
    return session


@pytest.fixture
def dialogue(engine: Any, speech_dir: Path) -> Session:
    """Dialogues "aa" and "ab": 8 turns, SPEAKER_1 and SPEAKER_2 alternating."""
    return build_dialogue(engine.sessions_root, speech_dir)


def _open(window: Any, qtbot: Any, session: Session) -> Any:
    window.library.reload()
    window.open_review(session)
    qtbot.waitUntil(lambda: window.review.model.rowCount() == 8)
    return window.review


def _rows_of(review: Any, speaker: str) -> list[int]:
    return [r for r in range(review.model.rowCount()) if review.model.speaker_at(r) == speaker]


def _names_on_disk(session: Session) -> dict[str, str]:
    return Session.open(session.folder).meta.speaker_names


def test_settings_turn_on_speakers_for_every_run(window: Any) -> None:
    dialog = window.open_settings()
    assert not dialog.diarize.isChecked() and not dialog.speakers.isEnabled()
    dialog.diarize.setChecked(True)
    assert dialog.speakers.isEnabled()
    dialog.speakers.setCurrentIndex(dialog.speakers.findData(3))
    dialog.accept()
    cfg = window.engine.config
    assert (cfg.diarize, cfg.speakers) == (True, 3)
    assert (Config.load().diarize, Config.load().speakers) == (True, 3)  # saved for the CLI too
    options = window.engine.run_options()
    assert (options.diarize, options.diarization.speakers) == (True, 3)
    assert window.engine.run_options(diarize=False).diarization.speakers is None

    dialog = window.open_settings()  # shows what is saved; "Automatic" is no number
    assert dialog.diarize.isChecked() and dialog.speakers.currentData() == 3
    dialog.speakers.setCurrentIndex(0)
    dialog.accept()
    assert window.engine.config.speakers is None


def test_imports_and_find_speakers_pass_diarize_to_the_pipeline(
    window: Any, qtbot: Any, dialogue: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minutes.progress import Cancelled

    seen: list[Any] = []

    def run(session: Session, options: Any, glossary: Any = None, **kw: Any) -> Any:
        seen.append((session, options))
        raise Cancelled

    monkeypatch.setattr(window.engine.pipeline, "run", run)
    assert dialogue.audio_path is not None
    job = window.transcribe(dialogue.audio_path)  # an import, settings say no speakers
    qtbot.waitUntil(job.done.is_set)
    _open(window, qtbot, dialogue)
    job = window.find_speakers()
    qtbot.waitUntil(job.done.is_set)
    assert [o.diarize for _, o in seen] == [False, True]
    assert seen[1][0].folder == dialogue.folder  # the meeting open in Review, not a lookup


def test_rename_a_speaker_in_the_table_undo_and_export(
    window: Any, qtbot: Any, dialogue: Session, tmp_path: Path
) -> None:
    review = _open(window, qtbot, dialogue)
    model = review.model
    assert model.speakers() == ["SPEAKER_1", "SPEAKER_2"]
    first = _rows_of(review, "SPEAKER_1")
    assert len(first) == 4 and model.index(first[0], Col.Speaker).data() == "SPEAKER_1"
    assert not model.flags(model.index(0, Col.Raw)) & Qt.ItemFlag.ItemIsEditable

    # Double-click (edit) the speaker cell, type a name, Return.
    index = model.index(first[1], Col.Speaker)
    review.table.setCurrentIndex(index)
    review.table.edit(index)
    editor = review.table.findChild(QLineEdit)
    assert editor is not None and editor.text() == ""
    editor.setText("  민지 ")
    review.table.commitData(editor)
    review.table.closeEditor(editor, review.delegate.EndEditHint.NoHint)
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    assert [model.index(r, Col.Speaker).data() for r in first] == ["민지"] * 4
    assert all(model.index(r, Col.Speaker).data() == "SPEAKER_2"
               for r in _rows_of(review, "SPEAKER_2"))  # fmt: skip
    assert model.index(first[0], Col.Speaker).data(Qt.ItemDataRole.ToolTipRole) == "SPEAKER_1"
    assert _names_on_disk(dialogue) == {"SPEAKER_1": "민지"}

    review.undo_action.trigger()
    assert model.index(first[0], Col.Speaker).data() == "SPEAKER_1"
    assert _names_on_disk(dialogue) == {}
    review.redo_action.trigger()
    assert _names_on_disk(dialogue) == {"SPEAKER_1": "민지"}

    # A title renamed in the library meanwhile is not lost by the next rename (and vice versa).
    row = next(i for i, e in enumerate(window.library.model.entries)
               if e.session.folder == dialogue.folder)  # fmt: skip
    assert window.library.model.rename(row, "Lunch")
    review.rename_speaker("SPEAKER_2", "서연")
    meta = Session.open(dialogue.folder).meta
    assert meta.title == "Lunch"
    assert meta.speaker_names == {"SPEAKER_1": "민지", "SPEAKER_2": "서연"}

    # Export through the dialog: the text file names the speakers.
    window.export_dir = tmp_path / "out"
    window.export_current()
    export = window.last_export
    for fmt, box in export.checks.items():
        box.setChecked(fmt == "txt")
    export.export()
    qtbot.waitUntil(lambda: bool(export.written), timeout=10_000)
    text = export.written[0].read_text(encoding="utf-8")
    assert "민지" in text and "서연" in text and "SPEAKER_1" not in text


def test_speakers_panel_remembers_a_voice_and_the_voices_dialog_deletes_it(
    window: Any, qtbot: Any, dialogue: Session, answers: dict[str, Any]
) -> None:
    review = _open(window, qtbot, dialogue)
    qtbot.mouseClick(review.buttons["speakers"], Qt.MouseButton.LeftButton)
    panel = window.speakers_dialog
    assert panel is not None and panel.isVisible()
    assert list(panel.rows) == ["SPEAKER_1", "SPEAKER_2"]
    talk = {s: r.seconds for s, r in panel.rows.items()}
    assert 15 < talk["SPEAKER_1"] < 25 and 15 < talk["SPEAKER_2"] < 25  # 4 turns each

    row = panel.rows["SPEAKER_2"]
    qtbot.mouseClick(row.remember, Qt.MouseButton.LeftButton)  # no name yet
    assert "name" in row.status.text() and not VoiceProfileStore(voices_dir()).profiles()

    row.name.setText("서연")  # (QTest cannot type Hangul)
    qtbot.keyClick(row.name, Qt.Key.Key_Return)
    assert panel.isVisible()  # Return applies the name; it does not close the panel
    second = _rows_of(review, "SPEAKER_2")
    assert review.model.index(second[0], Col.Speaker).data() == "서연"
    assert _names_on_disk(dialogue) == {"SPEAKER_2": "서연"}
    review.undo_action.trigger()  # the panel follows undo
    assert row.name.text() == "" and _names_on_disk(dialogue) == {}

    row.name.setText("서연")
    qtbot.mouseClick(row.remember, Qt.MouseButton.LeftButton)  # names and remembers
    assert _names_on_disk(dialogue) == {"SPEAKER_2": "서연"}
    assert not row.remember.isEnabled()  # the job runs in the background
    qtbot.waitUntil(lambda: row.remember.isEnabled(), timeout=30_000)
    profiles = VoiceProfileStore(voices_dir()).profiles()
    assert [p.name for p in profiles] == ["서연"], row.status.text()
    assert 15 < profiles[0].seconds < 25 and "서연" in row.status.text()

    # Saved voices: listed; deleting asks first.
    voices = window.open_voices()
    assert voices.table.rowCount() == 1 and voices.table.item(0, 0).text() == "서연"
    assert not voices.delete_button.isEnabled()
    voices.select("서연")
    answers["ask"] = False
    qtbot.mouseClick(voices.delete_button, Qt.MouseButton.LeftButton)
    assert "서연" in answers["asked"][-1] and VoiceProfileStore(voices_dir()).get("서연")
    answers["ask"] = True
    qtbot.mouseClick(voices.delete_button, Qt.MouseButton.LeftButton)
    assert VoiceProfileStore(voices_dir()).profiles() == []
    assert voices.table.rowCount() == 0
    assert _names_on_disk(dialogue) == {"SPEAKER_2": "서연"}  # names already given stay


def test_speakers_panel_of_a_meeting_without_speakers_offers_to_find_them(
    window: Any, qtbot: Any
) -> None:
    from tests.ui.helpers import make_session

    session = make_session(window.engine.sessions_root)
    asr = session.load_asr()
    assert asr is not None
    plain = [Segment(s.id, s.start, s.end, s.text, s.words) for s in asr.segments]
    session.save_asr(Transcript(asr.language, asr.duration, tuple(plain)), "test", {})
    window.open_review(session)
    model = window.review.model
    assert not model.flags(model.index(0, Col.Speaker)) & Qt.ItemFlag.ItemIsEditable
    panel = window.open_speakers()
    assert panel is not None and panel.rows == {}
    assert panel.find_button.isVisible() and panel.find_button.isEnabled()
