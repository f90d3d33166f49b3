"""Recording the microphone and the system audio together, as two tracks.

Each source has its own `Recorder` (its own device callback and writer thread),
so each track has the recorder's guarantees on its own: written as captured,
valid after a kill, a failure that ends one track leaves the other recording.
`mic.wav` is the user; `system.wav` is what the computer plays (the other
participants of an online meeting). Both tracks' clocks are followed against the
computer's (minutes.capture_clock) and appended to `clock.jsonl` every few seconds,
so that after Stop, or after a crash, `minutes.capture_mix` can put them on one
clock and mix them into `audio.wav` for transcription. The tracks are kept.

Thread contract: as `Recorder`; `poll` is called a few times a second from the
controlling thread.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from minutes.atomic import atomic_write_json
from minutes.audio import SAMPLE_RATE
from minutes.capture import CaptureError, Recorder
from minutes.capture_disk import (
    ACTIVE,
    AUDIO_NAME,
    HEADER_BYTES,
    MANIFEST_NAME,
    MANIFEST_SCHEMA,
)

logger = logging.getLogger(__name__)

TRACK_FILES = {"mic": "mic.wav", "system": "system.wav"}
CLOCK_NAME = "clock.jsonl"  # one anchor per line: {"track", "frames", "offset"}
LABELS = {"mic": "microphone", "system": "system audio"}
CLOCK_SAVE_S = 5.0  # how stale clock.jsonl may be after a crash
SILENT_LEVEL = 0.01  # peak below this (-40 dBFS) is silence
SILENT_WARN_S = 60.0  # a track silent this long while the other has sound gets a notice


@dataclass(frozen=True)
class TrackNotice:
    """Something about one track the user should know; `kind` lets a UI word it."""

    kind: str  # "not_started" | "stopped" | "silent"
    track: str  # "mic" | "system"
    message: str  # in English, for logs and the CLI

    def __str__(self) -> str:
        return self.message


class TwoTrackRecorder:
    """Records the microphone and the system audio into one session folder.

    Args:
        folder: The session folder (exists).
        sources: {"mic": (api, device), "system": (api, device)}: what each
            track records from (`sounddevice`, or `capture_system.PulseMonitors`).
        max_seconds: Stop by itself after this much audio.
        on_error: Called with a user message when a track fails midway.
    """

    def __init__(
        self,
        folder: Path,
        sources: dict[str, tuple[Any, int | str | None]],
        *,
        max_seconds: float | None = None,
        on_error: Any = None,
    ) -> None:
        self.folder = folder
        self.path = folder / AUDIO_NAME  # the mix, made by finish_session
        self.on_error = on_error
        self.origin = time.monotonic()
        self.tracks: dict[str, Recorder] = {
            name: self._recorder(name, api, device, max_seconds)
            for name, (api, device) in sources.items()
        }
        self.notices: list[TrackNotice] = []  # what the user should know
        self.state = "idle"
        self._saved = 0.0
        self._logged = {name: 0 for name in self.tracks}  # anchors already in clock.jsonl
        self._sound_at = {name: self.origin for name in self.tracks}
        self._warned_silent: set[str] = set()

    def _recorder(
        self, name: str, api: Any, device: int | str | None, max_seconds: float | None
    ) -> Recorder:
        def failed(message: str) -> None:
            self._track_failed(name, message)

        return Recorder(
            self.folder, sd=api, device=device, max_seconds=max_seconds, on_error=failed,
            file_name=TRACK_FILES[name], manifest=False, clock_origin=self.origin,
        )

    # -- what the controller reads ---------------------------------------
    @property
    def levels(self) -> dict[str, float]:
        return {name: r.level for name, r in self.tracks.items()}

    @property
    def level(self) -> float:
        return max(self.levels.values(), default=0.0)

    @property
    def seconds(self) -> float:
        return max((r.seconds for r in self.tracks.values()), default=0.0)

    @property
    def running(self) -> dict[str, Recorder]:
        return {n: r for n, r in self.tracks.items() if r.state in ("recording", "paused")
                and r.error is None}  # fmt: skip

    @property
    def error(self) -> str | None:
        """Set when no track records any more because they all failed."""
        failed = [r.error for r in self.tracks.values() if r.error]
        return " ".join(failed) if failed and len(failed) == len(self.tracks) else None

    @property
    def error_kind(self) -> str | None:
        kinds = [r.error_kind for r in self.tracks.values() if r.error_kind]
        return kinds[0] if self.error and kinds else None

    @property
    def finished_by_itself(self) -> bool:
        return self.state in ("recording", "paused") and all(
            r.finished_by_itself or r.state in ("failed", "stopped") for r in self.tracks.values()
        )

    # -- control -----------------------------------------------------------
    def start(self) -> None:
        """Start every track that can start; CaptureError when none can."""
        reasons: list[str] = []
        for name, recorder in list(self.tracks.items()):
            try:
                recorder.start()
            except CaptureError as exc:
                reasons.append(f"{LABELS[name]}: {exc}")
                self._notice("not_started", name, f"The {LABELS[name]} is not recorded: {exc}")
                del self.tracks[name]
                with contextlib.suppress(OSError):  # an empty file would look like a track
                    if recorder.path.stat().st_size <= HEADER_BYTES:
                        recorder.path.unlink()
        if not self.tracks:
            raise CaptureError("Nothing can be recorded. " + " ".join(reasons))
        self.state = "recording"
        ACTIVE.add(self.folder.resolve())
        self._write_manifest("recording")

    def poll(self) -> str | None:
        """Watch the tracks (device loss, silence), save their clocks; the error when all
        tracks have failed."""
        now = time.monotonic()
        for name, recorder in self.tracks.items():
            recorder.poll()
            if recorder.level >= SILENT_LEVEL:
                self._sound_at[name] = now
                self._warned_silent.discard(name)
        if self.state == "recording" and len(self.tracks) > 1:
            self._watch_silence(now)
        if now - self._saved >= CLOCK_SAVE_S and self.state in ("recording", "paused"):
            self._save_clocks()
        return self.error

    def _watch_silence(self, now: float) -> None:
        for name in self.running:
            others = [n for n in self.running if n != name]
            heard = any(now - self._sound_at[o] < SILENT_WARN_S for o in others)
            silent = now - self._sound_at[name] >= SILENT_WARN_S
            if silent and heard and name not in self._warned_silent:
                self._warned_silent.add(name)
                self._notice("silent", name, f"The {LABELS[name]} has been silent for a "
                             "minute while the other track has sound: is it the right device, "
                             "or muted?")  # fmt: skip

    def pause(self) -> None:
        if self.state == "recording":
            for r in self.tracks.values():
                r.pause()
            self.state = "paused"
            self._write_manifest("paused")

    def resume(self) -> None:
        if self.state == "paused":
            now = time.monotonic()
            for name, r in self.tracks.items():
                r.resume()
                self._sound_at[name] = now  # a pause is not silence
            self.state = "recording"
            self._write_manifest("recording")

    def stop(self) -> Path:
        """Stop both tracks and finalise their files; `finish_session` then mixes them."""
        if self.state in ("idle", "stopped"):
            return self.path
        for r in self.tracks.values():
            r.stop()
        self.state = "stopped"
        self._save_clocks()
        self._write_manifest("finished")
        ACTIVE.discard(self.folder.resolve())
        return self.path

    # -- internals -----------------------------------------------------------
    def _track_failed(self, name: str, message: str) -> None:
        if len(self.tracks) > 1 and self.error is None:
            message = f"The {LABELS[name]} track stopped; the other keeps recording. {message}"
        self._notice("stopped", name, message)
        if self.on_error:
            self.on_error(message)

    def _notice(self, kind: str, track: str, message: str) -> None:
        logger.warning(message)
        self.notices.append(TrackNotice(kind, track, message))

    def _save_clocks(self) -> None:
        """Append the tracks' new clock anchors to clock.jsonl (read back by the mix)."""
        self._saved = time.monotonic()
        lines: list[str] = []
        for name, r in self.tracks.items():
            anchors = r.clock.anchors[self._logged[name]:]
            self._logged[name] += len(anchors)
            lines += [json.dumps({"track": name, "frames": a.frames, "offset": round(a.offset, 6)})
                      for a in anchors]  # fmt: skip
        if not lines:
            return
        try:
            with (self.folder / CLOCK_NAME).open("a", encoding="utf-8") as fh:
                fh.write("\n".join(lines) + "\n")
        except OSError as exc:  # the tracks matter more; the mix then uses nominal clocks
            logger.warning("cannot save the tracks' clocks: %s", exc)

    def _write_manifest(self, state: str) -> None:
        data = {
            "schema": MANIFEST_SCHEMA, "state": state, "audio": AUDIO_NAME,
            "sample_rate": SAMPLE_RATE, "pid": os.getpid(), "clock": CLOCK_NAME,
            "tracks": [
                {"name": name, "file": TRACK_FILES[name], "device": r.device_name,
                 "device_rate": r.rate}
                for name, r in self.tracks.items()
            ],
            "updated": datetime.now().astimezone().isoformat(timespec="seconds"),
        }  # fmt: skip
        try:
            atomic_write_json(self.folder / MANIFEST_NAME, data)
        except OSError as exc:
            logger.warning("cannot write the recording manifest: %s", exc)
