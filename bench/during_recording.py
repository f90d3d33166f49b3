"""Benchmark: what is left to transcribe at Stop when the recording is transcribed while it
is made (minutes.during), against transcribing all of it after Stop, in one run.

A meeting of real Korean speech (Pansori clips joined with pauses, repeated to the
length asked; with `--voices turns`, eight voices taking turns throughout, as
`bench.speakers_at_stop` builds it, up to about 27 minutes) is "recorded": its
samples are released into a growing 16 kHz WAV at `--speed` times real time, as the
recorder writes them, while the pass transcribes
each finished window on its own low-priority thread. At Stop the pipeline runs
(ASR, glossary correction; no diarization, no minutes) and the seconds from Stop to
the transcript are measured. The baseline is the same pipeline on the same file with
nothing done before Stop (an import). Both use the embedded `base` model with the
app's default decoding (beam 5, batched, word timestamps), 240-s windows.

Also reported: the CPU the pass used during the recording, as cores busy on average
(process CPU time over the recording's wall time), and how far behind the recording
the pass was at Stop.

With `--speakers`, both runs also find the speakers (the embedded diarizer; during the
recording its voices are collected, `minutes.during_speakers`), and with `--llm MODEL`
(1.5b, 0.5b or a .gguf) both write whole-transcript minutes after the transcript (in the
parts of `minutes.llm.summarise.DURING_PART_TOKENS`); during the recording the notes of the
parts already over are taken (`minutes.during_notes`). The table then has a row per stage.

With `--live`, the app's live preview runs during the recording too (the same shared
model, greedy decoding of pause-cut chunks, `minutes.live`), and the meeting is
recorded a second time with the live preview alone: the live lag (seconds from the end
of a stretch of speech being recorded to its text) with and without the pass, in one
run. `--window-seconds` shortens the windows so that the pass works more often.

    python -m bench.during_recording [--minutes 10] [--speed 1.0] [--live] [--window-seconds S]
                                     [--speakers] [--voices talks|turns]
                                     [--llm 1.5b [--compare-read-ahead]
                                     [--compare-merge] [--part-tokens N]]

`--compare-merge` writes the minutes after Stop once more with every reply kept but the
merge made during the recording, which is then written after Stop as before it was made
during the recording: the seconds that merge takes.

`--compare-read-ahead` writes the minutes after Stop a second time, from the replies kept
during the recording but with nothing read ahead (`Engine.prefill`): the same calls, each
reading its whole prompt.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench.corpus import pansori_clips, read_flac, write_wav


def _meeting(path: Path, minutes: float) -> float:
    """Pansori clips (4 s or longer) with 0.8-s pauses, repeated to `minutes`."""
    sr = 16_000
    clips = [c for c in pansori_clips() if c.duration >= 4.0]
    pause = np.zeros(int(0.8 * sr), dtype=np.float32)
    parts, total, i = [], 0, 0
    while total < minutes * 60 * sr:
        audio = read_flac(clips[i % len(clips)].path)
        parts += [audio, pause]
        total += len(audio) + len(pause)
        i += 1
    write_wav(path, np.concatenate(parts)[: int(minutes * 60 * sr)])
    return minutes * 60


def _follow_live(
    transcriber: Any, source: Any, written: Any, total: int, clock: dict[str, float]
) -> list[float]:
    """The app's live preview over the growing recording until it is complete; the lag
    of each segment (seconds after its speech was recorded)."""
    from minutes.live import LiveTranscriber, lag_seconds, live_asr_options, whisper_transcribe

    lags: list[float] = []
    t0 = time.monotonic() - (time.perf_counter() - clock["t0"])
    live = LiveTranscriber(
        source, whisper_transcribe(transcriber, live_asr_options("ko")),
        lambda seg: lags.append(lag_seconds(seg, t0)),
    )  # fmt: skip
    live.run(lambda: written() >= total)
    return lags


def _open_llm(name: str) -> Any:
    from minutes.llm.engines import open_engine
    from minutes.llm.settings import LlmSettings

    return open_engine(LlmSettings(local_model=name))


SO_FAR: dict[str, Any] = {}  # the last `_minutes` run's minutes so far, and when


def _minutes(session: Any, llm: Any, cache: Any, stats: Any = None) -> float:
    """Seconds to write the whole-transcript minutes of `session` (its kept replies, if
    `cache`). The minutes so far (`MinutesSoFar`), when there are any, go to `SO_FAR`
    with the seconds to them and where the task lines still to ask lie."""
    from minutes.llm.summarise import (
        SummariseOptions,
        asks_left,
        during_meeting_options,
        plan_minutes,
        summarise,
    )

    doc = session.document()
    options = during_meeting_options(SummariseOptions())
    SO_FAR.clear()
    if cache is not None:  # which task lines are asked after Stop, and where they lie
        plan = plan_minutes(doc, llm, options, cache)
        asks = asks_left(plan, doc, llm, options, cache)
        SO_FAR["lines"] = [a.line.start for a in asks if a.line is not None]
        SO_FAR["last_part"] = plan.parts[-1][0].segments[0].start if plan.parts else 0.0
    started = time.perf_counter()

    def shown(so_far: Any) -> None:
        SO_FAR.update(seconds=time.perf_counter() - started, so_far=so_far)

    summarise(doc, llm, options=options, cache=cache, stats=stats, on_partial=shown)
    return time.perf_counter() - started


def _forget_read_ahead(llm: Any) -> None:
    """The engine as if nothing had been read ahead during the meeting."""
    from minutes.llm.engines.kept_prompts import KeptPrompts

    engine = getattr(llm, "current", llm)
    if hasattr(engine, "_kept"):
        engine._kept = KeptPrompts()


def _cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--speed", type=float, default=1.0, help="times real time")
    parser.add_argument("--live", action="store_true", help="also the live preview's lag")
    parser.add_argument("--window-seconds", type=float, default=240.0)
    parser.add_argument("--speakers", action="store_true", help="also find the speakers")
    parser.add_argument("--voices", choices=("talks", "turns"), default="talks",
                        help="talks: Pansori clips in talk order (many voices, each in one "
                             "stretch); turns: eight voices taking turns throughout "
                             "(bench.speakers_at_stop)")  # fmt: skip
    parser.add_argument("--llm", default=None, help="also write the minutes with this model")
    parser.add_argument("--compare-read-ahead", action="store_true",
                        help="with --llm: also the minutes after Stop with nothing read ahead")
    parser.add_argument("--compare-merge", action="store_true",
                        help="with --llm: also time the merge written after Stop instead of "
                             "the one made during the recording")
    parser.add_argument("--part-tokens", type=int, default=None,
                        help="with --llm: transcript tokens per part of the notes taken during "
                             "the meeting (default: DURING_PART_TOKENS)")
    args = parser.parse_args()
    if args.part_tokens:
        import minutes.llm.summarise as summarise_module

        summarise_module.DURING_PART_TOKENS = args.part_tokens
    if args.live and args.speed != 1.0:
        parser.error("--live measures lag in real time: use --speed 1")

    from minutes.asr import AsrOptions
    from minutes.asr.whisper import load_local
    from minutes.audio import SAMPLE_RATE
    from minutes.capture_disk import HEADER_BYTES, finish_session, start_session
    from minutes.during import DuringMeeting, TranscribeWhileRecording
    from minutes.during_notes import NotesWhileRecording
    from minutes.during_speakers import MIX, DiarizeWhileRecording
    from minutes.live import WavTail
    from minutes.llm.call_cache import FILE, CallCache
    from minutes.llm.summarise import SummariseOptions, SummariseStats
    from minutes.pipeline import Pipeline, RunOptions
    from minutes.session import Session

    work_dir = Path(tempfile.mkdtemp(prefix="minutes-during-"))
    try:
        audio = work_dir / "meeting.wav"
        if args.voices == "turns":
            from bench.speakers_at_stop import turn_taking_meeting

            seconds, _voices = turn_taking_meeting(audio, args.minutes)
        else:
            seconds = _meeting(audio, args.minutes)
        options = RunOptions(
            model="base", language="ko", formats=(), guided=False, diarize=args.speakers,
            asr=AsrOptions(window_seconds=args.window_seconds),
        )  # fmt: skip
        pipeline = Pipeline(work_dir / "sessions")
        pipeline._transcriber = load_local("base")
        llm = _open_llm(args.llm) if args.llm else None
        lock = threading.Lock()

        started = time.perf_counter()
        imported = pipeline.run(pipeline.import_audio(audio), options)
        after_stop_all = {"transcript": time.perf_counter() - started}
        if llm is not None:
            after_stop_all["minutes"] = _minutes(imported.session, llm, None)

        session = start_session(work_dir / "sessions", "recorded")
        shutil.copy(audio, session.folder / "audio.wav")
        total = (audio.stat().st_size - HEADER_BYTES) // 2
        clock = {"t0": time.perf_counter()}

        def written() -> int:  # the recorder's count: what real time has released so far
            elapsed = (time.perf_counter() - clock["t0"]) * args.speed
            return min(int(elapsed * SAMPLE_RATE), total)

        # Its own copy of the model, as the app uses (loaded on the pass's thread).
        transcriber = load_local("base")
        asr = Pipeline.asr_options(options, transcriber, None)
        work = TranscribeWhileRecording(
            session, WavTail(session.folder / "audio.wav", written), transcriber, asr
        )
        source = WavTail(session.folder / "audio.wav", written)
        passes: list[Any] = [work]
        speakers = None
        if args.speakers:
            speakers = DiarizeWhileRecording(session, WavTail(session.folder / "audio.wav",
                                                              written), MIX)  # fmt: skip
            passes.append(speakers)
        notes = None
        if llm is not None:
            notes = NotesWhileRecording(session, work, lambda: llm, lock, SummariseOptions(),
                                        None, speakers=speakers)  # fmt: skip
            passes.append(notes)
        meeting = DuringMeeting(session, passes)
        cpu0, clock["t0"] = _cpu_s(), time.perf_counter()
        runner = meeting.start()
        lags = _follow_live(pipeline._transcriber, source, written, total, clock) if (
            args.live) else None  # fmt: skip
        while written() < total:
            time.sleep(0.5)
        recording_s = time.perf_counter() - clock["t0"]
        cpu_during = (_cpu_s() - cpu0) / recording_s
        behind = (total - work.done) / SAMPLE_RATE

        stop = time.perf_counter()  # Stop: the window in flight finishes, then the run
        runner.stop()
        finish_session(session)
        recorded = pipeline.run(Session.open(session.folder), options)
        after_stop_during = {"transcript": time.perf_counter() - stop}
        stats, plain_stats = SummariseStats(), SummariseStats()
        if llm is not None:
            calls = session.folder / FILE
            before = calls.read_bytes() if calls.exists() else b""
            kept = CallCache(session.folder)
            after_stop_during["minutes"] = _minutes(Session.open(session.folder), llm, kept,
                                                    stats)  # fmt: skip
            so_far = dict(SO_FAR)
            if args.compare_read_ahead:  # the same minutes again, nothing read ahead
                calls.write_bytes(before)
                _forget_read_ahead(llm)
                plain = _minutes(Session.open(session.folder), llm, CallCache(session.folder),
                                 plain_stats)  # fmt: skip
            if args.compare_merge:  # every reply kept now but the merge at Stop
                import minutes.llm.summarise as summarise_module

                summarise_module.UNMERGED_PARTS = 0
                merge_stats = SummariseStats()
                merge_s = _minutes(Session.open(session.folder), llm, CallCache(session.folder),
                                   merge_stats)  # fmt: skip
        same = [s.text for s in recorded.transcript.segments] == [
            s.text for s in imported.transcript.segments
        ]
        print(f"{args.minutes:g} min of Korean speech, recorded at {args.speed:g}x real time, "
              f"{len(recorded.transcript.segments)} segments\n")  # fmt: skip
        what = "transcript" + (" and speakers" if args.speakers else "")
        print(f"| | seconds from Stop to {what} | ratio |"
              + (" then to the minutes | ratio | total | ratio |" if llm else ""))
        print("|---|---:|---:|" + ("---:|---:|---:|---:|" if llm else ""))
        for name, row in (("all after Stop (import)", after_stop_all),
                          ("work done during the recording", after_stop_during)):  # fmt: skip
            cells = [row["transcript"], row["transcript"] / after_stop_all["transcript"]]
            if llm is not None:
                total_s = row["transcript"] + row["minutes"]
                cells += [row["minutes"], row["minutes"] / after_stop_all["minutes"], total_s,
                          total_s / (after_stop_all["transcript"] + after_stop_all["minutes"])]
            print(f"| {name} | " + " | ".join(
                f"{c:.1f}" if k % 2 == 0 else f"{c:.2f}" for k, c in enumerate(cells)) + " |")
        if notes is not None:
            print(f"\nminutes' calls made during the recording: {notes.calls}; prompt tokens "
                  f"read ahead: {notes.read_ahead_tokens}; errors: {meeting.errors or 'none'}")
            rows = [("read ahead during the recording", after_stop_during["minutes"], stats)]
            if args.compare_read_ahead:
                rows.append(("nothing read ahead", plain, plain_stats))
            print("\n| minutes after Stop | seconds | calls | kept | prompt tokens read |")
            print("|---|---:|---:|---:|---:|")
            for name, secs, st in rows:
                print(f"| {name} | {secs:.1f} | {st.calls} | {st.kept_calls} | "
                      f"{st.prompt_tokens - st.cached_tokens} |")  # fmt: skip
            if "so_far" in so_far:
                m = so_far["so_far"].minutes
                print(f"\nminutes so far on screen {after_stop_during['transcript']:.1f} + "
                      f"{so_far['seconds']:.1f} = "
                      f"{after_stop_during['transcript'] + so_far['seconds']:.1f} s after Stop "
                      f"(all but from {so_far['so_far'].unread_from_s:.0f} s of "
                      f"{recorded.transcript.duration:.0f} s; {len(m.action_items)} action "
                      f"items, {len(m.decisions)} decisions, {len(m.topics)} topics; "
                      f"{so_far['so_far'].calls_left} calls left)")  # fmt: skip
            else:
                print("\nno minutes so far (nothing kept, or nothing left to ask)")
            lines = so_far.get("lines", [])
            late = sum(t >= so_far.get("last_part", 0.0) for t in lines)
            print(f"task lines asked after Stop: {len(lines)}, {late} of them in the last part "
                  f"(from {so_far.get('last_part', 0.0):.0f} s)")  # fmt: skip
            print(f"\nsummary from the merge made during the recording: "
                  f"{stats.merged_during_meeting}")
            print(f"parts whose notes, taken during the recording, were read with the speakers "
                  f"found at Stop: {stats.noted_with_other_speakers}; task lines read so: "
                  f"{stats.lines_with_other_speakers}")
            if args.compare_merge:
                print(f"the merge written after Stop instead (all else kept): {merge_s:.1f} s, "
                      f"{merge_stats.calls} call(s), read "
                      f"{merge_stats.prompt_tokens - merge_stats.cached_tokens}, wrote "
                      f"{merge_stats.completion_tokens} tokens")  # fmt: skip
            for name, _secs, st in rows:  # where the time after Stop went, call by call
                print(f"\n{name}: " + "; ".join(
                    f"{stage} read {c.prompt_tokens - c.cached_tokens}, wrote "
                    f"{c.completion_tokens} in {c.elapsed_s:.1f} s"
                    for stage, c in zip(st.stages, st.completions, strict=True)))
        if speakers is not None:
            same_speakers = [s.speaker for s in recorded.transcript.segments] == [
                s.speaker for s in imported.transcript.segments]
            print(f"voices collected during the recording: {speakers.done_seconds:.0f} s; "
                  f"speakers identical to the import's: {same_speakers}")  # fmt: skip
        print(f"\nwindows done during the recording: {work.windows} "
              f"({work.done_seconds:.0f} s of {seconds:.0f} s); not yet transcribed at Stop: "
              f"{behind:.0f} s")  # fmt: skip
        print(f"CPU during the recording: {cpu_during:.2f} cores on average (of 2)"
              f"{' (with the live preview)' if args.live else ''}")  # fmt: skip
        print(f"transcript identical to the import's: {same}")
        if lags is not None:
            clock["t0"] = time.perf_counter()  # the same meeting again, live preview only
            alone = _follow_live(pipeline._transcriber, source, written, total, clock)
            print("\n| live preview | segments | median lag (s) | 90th percentile | max |")
            print("|---|---:|---:|---:|---:|")
            for name, values in (("with the pass", lags), ("alone", alone)):
                print(f"| {name} | {len(values)} | {np.median(values):.2f} | "
                      f"{np.percentile(values, 90):.2f} | {max(values):.2f} |")  # fmt: skip
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
