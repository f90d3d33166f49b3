"""The transcription server path against the local model, and a team server's throughput.

Default: one run on this machine. A Korean recording (Pansori clips in corpus order,
concatenated into a temporary WAV) is transcribed by the local backend and by the
endpoint backend talking to faster-whisper-server on the same machine with the same
model; the table gives both CERs, their difference and the server path's time as a
ratio of the local one (what HTTP, WAV upload and a second process cost). A third
row decodes, locally, exactly the samples the server receives (loudness-normalised,
then rounded to 16 bits for the upload), which separates what the HTTP path changes
(nothing) from what 16-bit rounding changes in Whisper's output.

With `--url`, it measures a team's server instead: N meetings transcribed at once
(`--streams 1,4`), reported as meeting-hours per wall-clock hour.

    python -m bench.asr_endpoint [--seconds 300] [--repeat 2]
    python -m bench.asr_endpoint --url http://gpu:8000/v1 --model large-v3 --streams 1,4,8
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bench.corpus import available, base_transcriber, cer, concat_clips, pansori_clips


def _recording(folder: Path, seconds: float) -> tuple[Path, str, float]:
    clips, total = [], 0.0
    for clip in sorted(pansori_clips(), key=lambda c: str(c.path)):
        if total >= seconds:
            break
        clips.append(clip)
        total += clip.duration + 0.5
    audio, reference = concat_clips(clips, folder / "korean.wav")
    return audio, reference, total


def _transcribe(transcriber: Any, audio: Path) -> tuple[str, float]:
    from minutes.asr import AsrOptions

    t0 = time.perf_counter()
    text = " ".join(
        s.text
        for _, window in transcriber.transcribe_windows(audio, AsrOptions(language="ko"))
        for s in window
    )
    return text, time.perf_counter() - t0


def _endpoint(url: str, model: str) -> Any:
    from minutes.apikeys import ASR_KEYS
    from minutes.asr.remote import EndpointTranscriber
    from minutes.asr.settings import AsrEndpointSettings

    settings = AsrEndpointSettings(base_url=url, model=model, timeout_s=900)
    return EndpointTranscriber(settings, api_key=ASR_KEYS.get(url) or "")


def same_machine(seconds: float, repeat: int) -> None:
    from bench.transcription_server import TranscriptionServer, local_on_uploaded_samples
    from minutes.asr import AsrOptions
    from minutes.modelstore import assemble_embedded

    local = base_transcriber()
    with tempfile.TemporaryDirectory() as tmp:
        audio, reference, total = _recording(Path(tmp), seconds)
        server = TranscriptionServer(Path(tmp), str(assemble_embedded("base")))
        try:
            remote = _endpoint(server.url, "whisper-1")
            _transcribe(local, audio)  # load both models before timing
            _transcribe(remote, audio)
            times: dict[str, list[float]] = {"local": [], "server": []}
            texts: dict[str, str] = {}
            for _ in range(repeat):
                for name, backend in (("local", local), ("server", remote)):
                    texts[name], took = _transcribe(backend, audio)
                    times[name].append(took)
            texts["local16"], _ = local_on_uploaded_samples(local, audio, AsrOptions(language="ko"))
        finally:
            server.close()
    lt, st = statistics.median(times["local"]), statistics.median(times["server"])
    print(f"Korean recording {total:.0f} s, Whisper base int8, median of {repeat}\n")
    print("| path | time (s) | ratio | CER vs reference |")
    print("|---|---:|---:|---:|")
    print(f"| local backend | {lt:.1f} | 1.00 | {cer(reference, texts['local']):.4f} |")
    print(
        f"| endpoint backend -> faster-whisper-server | {st:.1f} | **{st / lt:.2f}** | "
        f"{cer(reference, texts['server']):.4f} |"
    )
    print(
        f"| local backend on the uploaded 16-bit samples | | | "
        f"{cer(reference, texts['local16']):.4f} |"
    )
    print(f"\nCER between the local and the server's transcripts: "
          f"{cer(texts['local'], texts['server']):.4f}; between the server's and the local "
          f"model's on the same 16-bit samples: {cer(texts['local16'], texts['server']):.4f}")


def team_server(url: str, model: str, seconds: float, streams: list[int]) -> None:
    remote = _endpoint(url, model)
    with tempfile.TemporaryDirectory() as tmp:
        audio, reference, total = _recording(Path(tmp), seconds)
        text, _ = _transcribe(remote, audio)  # warm-up, and the accuracy
        print(f"{url} model {model}: CER {cer(reference, text):.4f} on {total:.0f} s of Korean\n")
        print("| meetings at once | wall time (s) | meeting-hours per hour |")
        print("|---:|---:|---:|")
        for n in streams:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(n) as pool:
                list(pool.map(lambda _i: _transcribe(remote, audio), range(n)))
            wall = time.perf_counter() - t0
            print(f"| {n} | {wall:.1f} | {n * total / wall:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--url", help="measure this server instead (OpenAI-compatible, up to /v1)")
    parser.add_argument("--model", default="whisper-1", help="the server's model name")
    parser.add_argument("--streams", default="1,4", help="meetings transcribed at once")
    args = parser.parse_args()
    if not available():
        sys.exit("speech data not found")
    if args.url:
        team_server(args.url, args.model, args.seconds, [int(n) for n in args.streams.split(",")])
    else:
        same_machine(args.seconds, args.repeat)


if __name__ == "__main__":
    main()
