"""Speaker embeddings collected during the recording (minutes.during_speakers), on a real
Korean two-speaker dialogue (built at test time from the Deeply utterances, never copied
into the project) with the real voice encoder: the windows collected while the file grew
are those the diarizer reads after Stop, a restart continues them, and the diarization
that resumes from them is the diarization of the whole file."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.diarization_der import SPEECH, Item, build_korean_dialogues, data_available
from minutes.asr import WhisperTranscriber
from minutes.audio import SAMPLE_RATE
from minutes.capture_disk import HEADER_BYTES, finish_session, start_session
from minutes.diarize import offline as offline_module
from minutes.diarize.embedder import VoiceEncoder
from minutes.diarize.metrics import diarization_error
from minutes.diarize.offline import OfflineConfig, SpeechSoFar, diarize_offline_file
from minutes.during import DuringMeeting
from minutes.during_speakers import (
    MIX,
    DiarizeWhileRecording,
    checkpoint_path,
    resume_point,
    speakers_key,
)
from minutes.live import WavTail
from minutes.pipeline import Pipeline, RunOptions
from minutes.session import Session

pytestmark = pytest.mark.integration

if not data_available():
    pytest.skip(
        f"shared speech data not found at {SPEECH} (set MINUTES_SPEECH_DATA)",
        allow_module_level=True,
    )

CONFIG = OfflineConfig(stream_window_s=30.0)  # several windows in a 3-minute dialogue


@pytest.fixture(scope="module")
def encoder() -> VoiceEncoder:
    return VoiceEncoder()


@pytest.fixture(scope="module")
def dialogue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Item]:
    yield build_korean_dialogues(tmp_path_factory.mktemp("ko_dialogue"))[0]


def _growing(session: Session, audio: Path) -> tuple[WavTail, dict[str, int], int]:
    """The dialogue as a recording the recorder is still writing (`written` samples)."""
    shutil.copy(audio, session.folder / "audio.wav")
    total = (audio.stat().st_size - HEADER_BYTES) // 2
    written = {"samples": 0}
    return WavTail(session.folder / "audio.wav", lambda: written["samples"]), written, total


def _recorded(tmp_path: Path, dialogue: Item) -> tuple[Session, WavTail]:
    """A meeting whose recording already holds all of the dialogue."""
    session = start_session(tmp_path / "sessions", "recorded")
    source, written, total = _growing(session, dialogue.wav)
    written["samples"] = total
    return session, source


def test_speakers_collected_while_recording_give_the_diarization_of_the_whole_file(
    dialogue: Item, encoder: VoiceEncoder, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = diarize_offline_file(dialogue.wav, config=CONFIG, encoder=encoder)
    assert len(whole.speakers) == 2

    session = start_session(tmp_path / "sessions", "recorded")
    source, written, total = _growing(session, dialogue.wav)
    work = DiarizeWhileRecording(session, source, MIX, config=CONFIG, encoder=encoder)
    growth = []
    while written["samples"] < total:
        written["samples"] = min(written["samples"] + 10 * SAMPLE_RATE, total)
        while work.step():
            growth.append((written["samples"], work.done))
    assert len(growth) >= 3, "a 3-minute dialogue holds several 30-s windows before it ends"
    assert all(done <= seen for seen, done in growth), "only audio already written is used"

    # A crash now: the next start continues from the checkpoint on disk.
    again = DiarizeWhileRecording(Session.open(session.folder), source, MIX, config=CONFIG)
    assert again.done == work.done
    assert again.so_far.speech.windows == work.so_far.speech.windows

    # After Stop only the rest of the file is read, and the result is the whole file's.
    read_from: list[float] = []
    real = offline_module.collect_speech

    def spy(chunks, *args, **kwargs):  # type: ignore[no-untyped-def]
        def seen():  # type: ignore[no-untyped-def]
            for offset, samples in chunks:
                read_from.append(offset)
                yield offset, samples

        return real(seen(), *args, **kwargs)

    monkeypatch.setattr(offline_module, "collect_speech", spy)
    finish_session(session)
    done = SpeechSoFar.load(checkpoint_path(session.folder, MIX), speakers_key(MIX, CONFIG))
    assert done is not None and done.done_until == pytest.approx(work.done_seconds)
    resumed = diarize_offline_file(
        session.folder / "audio.wav", config=CONFIG, encoder=encoder, resume=done
    )
    assert read_from and min(read_from) >= work.done_seconds - 1e-6
    assert resumed.turns == whole.turns
    assert diarization_error(dialogue.reference, list(resumed.turns)).der <= 0.10


def test_another_setting_or_a_broken_checkpoint_is_collected_again(
    dialogue: Item, encoder: VoiceEncoder, tmp_path: Path
) -> None:
    session, source = _recorded(tmp_path, dialogue)
    work = DiarizeWhileRecording(session, source, MIX, config=CONFIG, encoder=encoder)
    assert work.step()
    path = checkpoint_path(session.folder, MIX)
    other = OfflineConfig(stream_window_s=60.0)
    assert SpeechSoFar.load(path, speakers_key(MIX, other)) is None
    assert SpeechSoFar.load(path, speakers_key("system", CONFIG)) is None
    # The default settings (the pipeline's) did not collect this one either.
    assert resume_point(session, MIX) is None

    path.write_bytes(path.read_bytes()[:200])  # torn by a full disk or a crash
    assert SpeechSoFar.load(path, speakers_key(MIX, CONFIG)) is None
    fresh = DiarizeWhileRecording(session, source, MIX, config=CONFIG, encoder=encoder)
    assert fresh.done == 0, "an unreadable checkpoint is collected again, not trusted"


def test_a_failing_pass_stops_alone_and_the_others_go_on(
    dialogue: Item, encoder: VoiceEncoder, tmp_path: Path
) -> None:
    session, source = _recorded(tmp_path, dialogue)

    class Broken:
        name = "transcription"
        busy = False

        def step(self) -> bool:
            raise RuntimeError("the model could not be loaded")

    speakers = DiarizeWhileRecording(session, source, MIX, config=CONFIG, encoder=encoder)
    meeting = DuringMeeting(session, [Broken(), speakers])
    steps = 0
    while meeting.step():
        steps += 1
    assert steps >= 3 and speakers.done > 0
    assert meeting.errors == {"transcription": "the model could not be loaded"}
    assert "could not be loaded" in (meeting.error or "")


@pytest.mark.slow
def test_the_pipeline_diarizes_from_what_was_collected(
    dialogue: Item,
    encoder: VoiceEncoder,
    base_transcriber: WhisperTranscriber,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The run after Stop takes the checkpoint of the default settings (here the
    default is made the 30-s window, so a 3-minute dialogue has several)."""
    monkeypatch.setattr(offline_module, "OfflineConfig", lambda: CONFIG)
    session, source = _recorded(tmp_path, dialogue)
    work = DiarizeWhileRecording(session, source, MIX, encoder=encoder)
    for _ in range(2):
        assert work.step()
    finish_session(session)

    read_from: list[float] = []
    real = offline_module.collect_speech

    def spy(chunks, *args, **kwargs):  # type: ignore[no-untyped-def]
        chunks = list(chunks)
        read_from.extend(offset for offset, _ in chunks)
        return real(chunks, *args, **kwargs)

    monkeypatch.setattr(offline_module, "collect_speech", spy)
    pipeline = Pipeline(tmp_path / "sessions")
    pipeline._transcriber = base_transcriber  # share the loaded model
    options = RunOptions(model="base", language="ko", diarize=True, formats=())
    result = pipeline.run(Session.open(session.folder), options)

    assert read_from and min(read_from) >= work.done_seconds - 1e-6, "collected windows reused"
    saved = Session.open(session.folder).load_diarization()
    whole = diarize_offline_file(dialogue.wav, config=CONFIG, encoder=encoder)
    assert saved is not None and saved.turns == whole.turns
    assert {s.speaker for s in result.transcript.segments} == {"SPEAKER_1", "SPEAKER_2"}
