"""Regenerate the README's screenshots from real runs.

    .venv/bin/python scripts/make_screenshots.py [--out docs/screenshots] [--languages en,ko]
                                                 [--llm qwen2.5-coder-1.5b] [--keep DIR]

Nothing in the pictures is written by hand. For each language a meeting is made of real
speech (read by path from ../shared/data/speech, used only to make the picture and never
committed): Korean, Pansori TEDxKR clips with English terms from two talks; English, the
AMI ES2004 excerpt. In a fresh data folder it then runs what a user runs:

1. the glossary gets the bare terms those clips contain (as a user types them);
2. ``minutes transcribe --diarize`` (Whisper base, guided re-decoding, glossary correction,
   the embedded diarizer);
3. the app opens that meeting in Review and asks the embedded LLM for fixes (real proposals),
   then writes the minutes in the Minutes view (the model's real output, streamed);
4. the Record view records for real: the other side plays through a private PulseAudio
   server (system audio), the user's voice (a Deeply utterance / the public-domain JFK
   sample) comes from a microphone fed in real time, and the live transcript is shown.

Each view is grabbed from the window (offscreen unless a display is set). Needs the test
extras (``make test`` installs them), pulseaudio + pulseaudio-utils for the Record view
(otherwise it shows the idle Record view and says so), and a few minutes per language on 2
cores. Look at every picture before committing it.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SR = 16_000
VIEWS = ("library", "record", "review", "glossary", "minutes")


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


# -- the meetings ---------------------------------------------------------------------
SHOWCASE_CLIPS = (
    "7ISc66qF7IiZ-lGU_mqIdCAE-0159", "7Iug6re87Iud-8-dSwR5iUyY-0129",
    "7Iug7LC97Jew-GFYqXg0CriE-0142", "7J207J247Iuk-9j_HEK5nfyw-0296",
    "7Jik7Jew7Zi4-XaE8qc5x5aY-0147", "7Zmp65GQ7KeE-SP67ty4SXQA-0250",
)  # fmt: skip


def korean_meeting(folder: Path) -> tuple[Path, tuple[str, ...], str, Path]:
    """(audio, glossary terms, title, the user's voice for the Record view)."""
    from bench.corpus import concat_clips, pansori_latin_clips
    from bench.glossary_quality import TALK_TERMS, count_terms, deeply_plain_clips

    clips = pansori_latin_clips()
    # Clips where Whisper base misses an English term and the glossary or the guided
    # re-decoding puts it back (found by running bench.glossary_quality's steps clip by
    # clip), so Review shows what the feature does; most clips need no change at all.
    chosen = [c for c in clips if c.path.stem in SHOWCASE_CLIPS]
    if len(chosen) < 3:  # another copy of the corpus: two talks taking turns
        talks: dict[str, list[Any]] = {}
        for clip in clips:
            talks.setdefault(clip.path.parent.name, []).append(clip)
        a, b = sorted(talks.values(), key=len, reverse=True)[:2]
        chosen = [c for pair in zip(a[:4], b[:4], strict=False) for c in pair]
    audio, reference = concat_clips(chosen, folder / "주간회의.wav", gap=0.8)
    terms = tuple(t for t, n in count_terms(reference, TALK_TERMS).items() if n)
    mine = [c for c in deeply_plain_clips() if 3.0 <= c.duration <= 8.0][:3]
    voice, _ = concat_clips(mine, folder / "me-ko.wav", gap=0.6)
    return audio, terms, "주간 회의", voice


def english_meeting(folder: Path) -> tuple[Path, tuple[str, ...], str, Path]:
    from bench.glossary_quality import MEETING_TERMS, ami_clip

    clip = ami_clip()
    audio = folder / "design-review.wav"
    shutil.copyfile(clip.path, audio)  # a temporary copy: the session takes its name from it
    voice = ROOT / "resources" / "samples" / "jfk.flac"
    return audio, MEETING_TERMS, "Design review", voice


# -- the runs ---------------------------------------------------------------------------
def transcribe(audio: Path, language: str, title: str, work: Path) -> Path:
    from minutes.config import sessions_dir
    from minutes.session import list_sessions

    cli = Path(sys.executable).with_name("minutes")
    command = [str(cli), "-q", "transcribe", str(audio), "--language", language, "--diarize",
               "--title", title, "--out", str(work / "out"), "--formats", "txt"]  # fmt: skip
    log(" ".join(command[1:]))
    subprocess.run(command, check=True)
    found = [s for s in list_sessions(sessions_dir()) if s.meta.title == title]
    if not found:
        sys.exit(f"no meeting titled {title!r} after transcribing")
    return found[-1].folder


def wait(app: Any, done: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not done():
        if time.monotonic() > deadline:
            sys.exit(f"timed out: {what}")
        app.processEvents()
        time.sleep(0.05)


def review_and_minutes(app: Any, window: Any, folder: Path) -> None:
    from minutes.session import Session
    from minutes.types import CorrectionSource
    from ui.main_window import MINUTES

    session = Session.open(folder)
    window.open_review(session)
    wait(app, lambda: window.review.model.rowCount() > 0, 120, "Review")
    log("asking the LLM for fixes")
    if window.ask_llm_fixes() is not None:
        wait(app, lambda: window.repair is None, 1800, "LLM fixes")
    log(window.statusBar().currentMessage() or "LLM fixes done")
    # Show a change the way a reviewer meets it: an LLM proposal if the model made one,
    # else a re-decoded or glossary change.
    corrections = window.review.model.corrections
    order = (CorrectionSource.LLM, CorrectionSource.GUIDED, CorrectionSource.GLOSSARY)
    pick = next((c for source in order for c in corrections if c.source is source), None)
    if pick is not None:
        review = window.review
        review.model.set_current(pick.id)
        row = review.model.row_of_segment(pick.segment_id)
        review.table.selectRow(row)
        review.table.scrollTo(review.model.index(row, 0))
        review._update_detail()
    log("writing the minutes")
    window.nav.setCurrentRow(MINUTES)
    if window.minutes.generate() is not None:
        wait(app, lambda: window.minutes.job is None, 3600, "minutes")
    log(window.minutes.status.text())


def record_live(app: Any, window: Any, others: Path, voice: Path, work: Path) -> tuple[str, Any]:
    """Record for real for about 25 s and leave the Record view showing it.

    Returns a note when it could not ("" when it did) and the sound server to close after
    the pictures are taken."""
    import numpy as np

    from minutes.audio import load_audio
    from tests.fake_sounddevice import FakeSoundDevice
    from ui.main_window import RECORD

    if any(shutil.which(t) is None for t in ("pulseaudio", "pactl", "parec", "paplay")):
        return "no PulseAudio tools: the Record view is shown idle", None
    from tests.pulse_server import PulseServer

    folder = work / "pulse"
    folder.mkdir(exist_ok=True)
    try:
        server = PulseServer(folder)
    except BaseException as exc:  # PulseServer skips (pytest's Skipped) when it cannot start
        return f"PulseAudio did not start ({exc}): the Record view is shown idle", None
    os.environ.update(server.env)
    player = None
    try:
        them = load_audio(others)[: 30 * SR]
        them_wav = work / "others.wav"
        import soundfile

        soundfile.write(them_wav, them, SR)
        me = load_audio(voice)
        feed = np.concatenate([np.zeros(9 * SR), me, np.zeros(40 * SR)])
        # This machine has no microphone: a speech file stands in for one, in real time,
        # and the picture names it so.
        mic_name = "Microphone: a speech file played in real time"
        device = {"name": mic_name, "max_input_channels": 1, "default_samplerate": float(SR)}
        window.recorder._sd = FakeSoundDevice(
            (feed * 32767).astype(np.int16), realtime=True, devices=[device]
        )
        view = window.record
        window.nav.setCurrentRow(RECORD)
        view.refresh_devices()
        mic = view.device.findData(mic_name)
        if mic >= 0:
            view.device.setCurrentIndex(mic)
        player = server.play(them_wav)
        view.record.click()
        if window.recorder.state != "recording":
            return f"recording did not start: {view.status.text()}", server
        started = time.monotonic()
        wait(app, lambda: time.monotonic() - started > 26, 60, "recording")
        wait(app, lambda: "Me" in view.live.toPlainText() or time.monotonic() - started > 50,
             60, "the live transcript")  # fmt: skip
        return "", server
    finally:
        if player is not None:
            player.terminate()


def shoot(window: Any, app: Any, out: Path, suffix: str) -> list[Path]:
    from PySide6.QtCore import Qt

    paths = []
    for i, name in enumerate(VIEWS):
        window.nav.setCurrentRow(i)
        for _ in range(5):
            app.processEvents()
            time.sleep(0.05)
        path = out / f"{name}{suffix}.png"
        image = window.grab().toImage().scaledToWidth(
            900, mode=Qt.TransformationMode.SmoothTransformation
        )
        if not image.save(str(path), "PNG"):
            sys.exit(f"cannot write {path}")
        paths.append(path)
    return paths


def shoot_transcription_settings(window: Any, app: Any, out: Path, suffix: str) -> Path:
    """Settings › Transcription as a team member fills it in for the team's server."""
    from PySide6.QtCore import Qt

    dialog = window.open_settings()
    dialog.tabs.setCurrentWidget(dialog.asr)
    tab = dialog.asr
    tab.backend.setCurrentIndex(tab.backend.findData("endpoint"))
    tab.url.setText("http://gpu-server.lan:8000/v1")
    tab.model.setText("Systran/faster-whisper-large-v3")
    tab.allow_remote.setChecked(True)
    dialog.resize(760, dialog.sizeHint().height())
    app.processEvents()
    path = out / f"settings-transcription{suffix}.png"
    smooth = Qt.TransformationMode.SmoothTransformation
    image = dialog.grab().toImage().scaledToWidth(640, mode=smooth)
    image.save(str(path), "PNG")
    dialog.reject()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--languages", default="en,ko")
    parser.add_argument("--llm", default="", help="embedded LLM name (default: the app's)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    from bench.corpus import available

    if not available():
        sys.exit("needs ../shared/data/speech (the evaluation recordings)")
    work = args.keep or Path(tempfile.mkdtemp(prefix="minutes-shots-"))
    work.mkdir(parents=True, exist_ok=True)
    os.environ["MINUTES_DATA_DIR"] = str(work / "data")
    if not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    args.out.mkdir(parents=True, exist_ok=True)

    from glossary.store import GlossaryStore
    from glossary.terms import Glossary
    from minutes import config as config_mod

    meetings = {}
    glossary = Glossary()
    for language in args.languages.split(","):
        make = korean_meeting if language == "ko" else english_meeting
        audio, terms, title, voice = make(work)
        for term in terms:
            glossary = glossary.add_term(term)
        meetings[language] = (audio, title, voice)
        log(f"{language}: {audio.name}, glossary terms {', '.join(terms)}")
    GlossaryStore(config_mod.glossary_path()).save(glossary)
    folders = {lang: transcribe(audio, lang, title, work)
               for lang, (audio, title, _) in meetings.items()}  # fmt: skip

    from PySide6.QtWidgets import QApplication

    from minutes.config import Config
    from ui import i18n
    from ui.app import configure_app
    from ui.main_window import MainWindow
    from ui.workers import Engine

    app = QApplication([sys.argv[0]])
    configure_app(app)
    from ui import dialogs

    # Nobody is there to close a message box, and a modal one would stop the script for
    # good: the log says what the user would have read.
    dialogs.error = lambda parent, title, text: log(f"message box (error): {text}")
    dialogs.info = lambda parent, title, text: log(f"message box: {text}")
    config = Config.load()
    if args.llm:
        from dataclasses import replace

        from minutes.llm.settings import LlmSettings

        replace(LlmSettings.from_config(config), local_model=args.llm).store(config)
    written: list[Path] = []
    for language, folder in folders.items():
        i18n.install(app, language)
        engine = Engine(config)
        engine.config.language = language
        window = MainWindow(engine)
        window.resize(1100, 680)
        window.show()
        review_and_minutes(app, window, folder)
        audio, _, voice = meetings[language]
        note, server = record_live(app, window, audio, voice, work)
        log(note or "recorded live")
        suffix = "" if language == "en" else "-ko"
        written += shoot(window, app, args.out, suffix)
        written.append(shoot_transcription_settings(window, app, args.out, suffix))
        if window.recorder.state != "idle":
            window.recorder.stop()
        window.runner.cancel_all()
        window.runner.wait(60_000)
        window.close()
        if server is not None:
            server.close()
    for path in written:
        log(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
