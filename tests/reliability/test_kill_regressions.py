"""Bugs the kill loop found, each pinned by a real SIGKILL at the moment that mattered."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from minutes.session import Session, list_sessions
from tests.conftest import ROOT, SAMPLE

# Imports `audio` with a copy that stalls halfway (hard links refused, as across
# disks), so the parent can kill it while the audio is being brought in.
_IMPORTER = """
import os, shutil, sys, time
from pathlib import Path
from minutes.session import Session

def refuse_link(*_args):
    raise OSError("cross-device link")

def stalled_copy(src, dst):
    with open(src, "rb") as fin, open(dst, "wb") as fout:
        fout.write(fin.read(4096))
        fout.flush()
    print("copying", flush=True)
    time.sleep(60)

os.link = refuse_link
shutil.copyfile = stalled_copy
Session.for_audio(Path(sys.argv[1]), Path(sys.argv[2]))
"""


def test_import_killed_while_copying_the_audio_is_resumed_not_duplicated(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    child = subprocess.Popen(
        [sys.executable, "-c", _IMPORTER, str(root), str(SAMPLE)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "copying"
    finally:
        child.kill()
        child.wait()
    [interrupted] = list_sessions(root)
    assert interrupted.meta.fingerprint is None  # killed before the audio was in

    again = Session.for_audio(root, SAMPLE)  # the same import, run again
    assert [s.folder for s in list_sessions(root)] == [interrupted.folder]
    assert again.folder == interrupted.folder
    assert again.audio_path is not None
    assert again.audio_path.read_bytes() == SAMPLE.read_bytes()
    assert not list(interrupted.folder.glob("*.partial"))


# Records one second from the fake device, stops, and is killed before the app
# could write the session's duration and fingerprint (`finish_session`).
_RECORDER = """
import sys, time
from pathlib import Path
import numpy as np
from minutes.capture import Recorder, start_session
from tests.fake_sounddevice import FakeSoundDevice

sd = FakeSoundDevice((np.ones(16000 * 3) * 1000).astype(np.int16), realtime=False)
session = start_session(Path(sys.argv[1]), "stopped")
rec = Recorder(session.folder, sd=sd)
rec.start()
while sd.fed < 16000:
    time.sleep(0.01)
rec.stop()
print("stopped", flush=True)
time.sleep(60)
"""


def test_recording_killed_while_finishing_is_offered_for_recovery(tmp_path: Path) -> None:
    from minutes import capture

    root = tmp_path / "sessions"
    root.mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", _RECORDER, str(root)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "stopped"
    finally:
        child.kill()
        child.wait()
    [session] = capture.unfinished_recordings(root)  # the manifest says "finished" already
    recovered = capture.recover(session)
    assert recovered.meta.fingerprint
    assert recovered.meta.duration >= 1.0
    assert capture.unfinished_recordings(root) == []
    # Transcribing it now reuses this session instead of importing its audio again.
    assert Session.for_audio(root, recovered.folder / "audio.wav").folder == recovered.folder


# `minutes transcribe` whose naming of known voices stalls, so the parent can kill
# it after the speakers were found but before they were named.
_NAMING = """
import sys, time
from minutes import cli
from minutes.diarize import profiles

def stalled_label_speakers(*_args, **_kwargs):
    print("naming", flush=True)
    time.sleep(60)

profiles.label_speakers = stalled_label_speakers
cli.main(sys.argv[1:])
"""


def test_diarization_killed_before_naming_known_voices_names_them_on_rerun(
    tmp_path: Path, isolated_data_dir: Path
) -> None:
    import json
    import os

    import numpy as np

    from minutes.config import voices_dir
    from minutes.diarize.profiles import VoiceProfileStore

    args = ["-q", "transcribe", str(SAMPLE), "--model", "tiny.en", "--language", "en",
            "--diarize", "--no-user-glossary", "--out", str(tmp_path / "out")]  # fmt: skip
    env = {**os.environ, "MINUTES_DATA_DIR": str(isolated_data_dir)}

    def transcribe(code: list[str] | None = None) -> subprocess.Popen[str]:
        cmd = [sys.executable, *(code or ["-m", "minutes.cli"]), *args]
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)

    assert transcribe().wait(timeout=300) == 0
    [session] = list_sessions(isolated_data_dir / "sessions")
    diarization = session.folder / "diarization.json"
    embeddings = json.loads(diarization.read_text(encoding="utf-8"))["embeddings"]
    speaker, embedding = next(iter(embeddings.items()))
    VoiceProfileStore(voices_dir()).save("Kennedy", np.asarray(embedding, np.float32), 10.0)
    diarization.unlink()  # as if speakers had not been searched for yet

    child = transcribe(["-c", _NAMING])
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "naming"
    finally:
        child.kill()
        child.wait()
    assert transcribe().wait(timeout=300) == 0  # the same command again
    assert Session.open(session.folder).meta.speaker_names.get(speaker) == "Kennedy"
