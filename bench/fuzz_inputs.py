"""Bad-input corpus at scale: count how the app reacts to malformed files.

    python -m bench.fuzz_inputs --examples 20000            # every family
    python -m bench.fuzz_inputs --family glossary --examples 5000 --seed 7

For each family (see `tests.fuzz.families`) hypothesis generates inputs and
each one gets a verdict: ok (accepted), clear (refused with a user-facing
error naming the file), crash (any other exception) or hang (the watchdog
fired). Prints a table and the first distinct crashes; exits 1 when any
input crashed or hung. The default test run covers the same families with
fewer, fixed inputs (tests/fuzz).
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import sys
import time
from collections import Counter

from hypothesis import given, seed, settings

from tests.fuzz.families import FAMILIES, Family
from tests.fuzz.harness import FUZZ, HANG_SECONDS, Verdict

HARD_LIMIT_S = 6 * HANG_SECONDS


def run_family(
    family: Family, examples: int, rng_seed: int | None
) -> tuple[Counter[str], dict[str, str], Counter[str]]:
    """Run `examples` inputs; returns (verdict counts, first failure per cause, input kinds)."""
    verdicts: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    failures: dict[str, str] = {}

    @settings(FUZZ, max_examples=examples, derandomize=rng_seed is None, deadline=None,
              phases=[p for p in FUZZ.phases if p.name != "shrink"])
    @given(case=family.strategy)
    def body(case: object) -> None:
        # Last resort against a hang inside native code, where the alarm cannot interrupt:
        # dump every thread's stack and exit.
        faulthandler.dump_traceback_later(HARD_LIMIT_S, exit=True)
        try:
            verdict: Verdict = family.check(case)
        finally:
            faulthandler.cancel_dump_traceback_later()
        verdicts[verdict.kind] += 1
        labels[str(getattr(case, "label", "?")).split("/")[-1].split("+")[0]] += 1
        if verdict.failed:
            last = verdict.detail.strip().splitlines()[-1] if verdict.detail else verdict.kind
            failures.setdefault(last, f"{case!r:.300}\n{verdict.detail}")

    if rng_seed is not None:
        body = seed(rng_seed)(body)
    body()
    return verdicts, failures, labels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=2000, help="inputs per family")
    parser.add_argument("--family", choices=sorted(FAMILIES), action="append",
                        help="run only this family (repeatable)")
    parser.add_argument("--seed", type=int, default=None,
                        help="random seed (default: the fixed, derandomized sequence)")
    parser.add_argument("--show", type=int, default=5, help="distinct crashes to print")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    names = args.family or list(FAMILIES)
    print(f"load average at start: {os.getloadavg()}")
    print(f"{'family':<13} {'inputs':>7} {'ok':>7} {'clear':>7} {'crash':>6} {'hang':>5} {'s':>7}")
    failed = False
    for name in names:
        started = time.monotonic()
        verdicts, failures, labels = run_family(FAMILIES[name], args.examples, args.seed)
        total = sum(verdicts.values())
        print(f"{name:<13} {total:>7} {verdicts['ok']:>7} {verdicts['clear']:>7} "
              f"{verdicts['crash']:>6} {verdicts['hang']:>5} {time.monotonic() - started:>7.1f}",
              flush=True)
        print("    kinds: " + ", ".join(f"{k} {n}" for k, n in labels.most_common()))
        for detail in list(failures.values())[: args.show]:
            print("    FAILURE " + detail.replace("\n", "\n    "))
        failed = failed or bool(failures)
    print(f"load average at end: {os.getloadavg()}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
