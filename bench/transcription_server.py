"""faster-whisper-server (PyPI, MIT) as a separate process: a real OpenAI-compatible
transcription server for the endpoint backend's tests and benchmark, offline, on the
embedded base model folder, with the local backend's decoding options (beam 5, VAD,
batched, no conditioning on previous text)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from minutes.asr import AsrOptions

SERVER_OPTIONS = "{beam_size: 5, vad_filter: true, condition_on_previous_text: false}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class TranscriptionServer:
    """faster-whisper-server in its own process, on a free port of 127.0.0.1."""

    def __init__(self, folder: Path, model_path: str, name: str = "whisper-1") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        config = folder / f"server-{self.port}.yaml"
        config.write_text(
            "batch_size: 8\n"
            "model_options: {device: cpu, compute_type: int8}\n"
            f"models:\n  - name: {name}\n    path: {model_path}\n"
            f"    transcribe_options: {SERVER_OPTIONS}\n",
            encoding="utf-8",
        )
        self.log = (folder / f"server-{self.port}.log").open("wb")
        env = {**os.environ, "HF_HUB_OFFLINE": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "faster_whisper_server", "--config", str(config),
             "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=self.log, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: see {self.log.name}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        self.close()
        raise RuntimeError("the server did not start within 60 s")

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def local_on_uploaded_samples(
    transcriber: Any, path: Path, options: AsrOptions
) -> tuple[str, str]:
    """The local model on exactly the samples the server decodes: the same windows, loudness
    normalised, then on the 16-bit grid of the upload. Whisper base is chaotic at that
    scale: 16-bit rounding alone changes 1-4 % of its characters on Korean talks (and its
    CER against the reference by about +-0.01), so "same audio" must mean the same samples.
    """
    from dataclasses import replace

    from minutes.asr.remote import pcm16
    from minutes.audio import iter_windows, normalise_loudness

    language, texts = options.language, []
    for window in iter_windows(path, options.window_seconds):
        normalised = normalise_loudness(window.samples, options.normalise_to_dbfs or -18.0)
        samples = pcm16(normalised) / 32768.0
        plain = replace(options, language=language, normalise_to_dbfs=None)
        language, segments = transcriber.transcribe_samples(samples.astype("float32"), plain)
        texts += [s.text for s in segments]
    return " ".join(texts), language
