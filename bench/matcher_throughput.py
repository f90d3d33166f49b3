"""Throughput of glossary.Matcher: 10,000 mixed Korean/English words vs 5,000 terms.

Generates a reproducible synthetic glossary (Latin acronyms, English-like
product words, Korean words) and a meeting-like text in which about one word
in ten mentions a term (as written, as a Hangul reading, or mis-heard), then
times index build and `Matcher.find`, both over the whole text at once and
segment by segment (as the pipeline calls it). Prints Markdown table rows.

Usage:
    python bench/matcher_throughput.py [--terms 5000] [--words 10000] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable

from glossary.matcher import Matcher
from glossary.readings import readings
from glossary.terms import Glossary, Term


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


REAL_WORDS = _words(
    "Kubernetes Docker Jira Slack Jenkins GitHub GitLab Python React Redis Kafka Spark Figma "
    "Notion Confluence Terraform Ansible Grafana Prometheus Elasticsearch Linux Ubuntu Android "
    "Swift Kotlin JavaScript TypeScript Django Flask Spring Angular Webpack Jupyter Pandas "
    "Tableau Salesforce Zoom Excel PowerPoint Outlook Chrome Firefox Safari Azure Lambda "
    "Airflow Snowflake Sentry Datadog Postman Vercel Netlify Supabase Firebase MongoDB MySQL"
)
ONSETS = ("b", "c", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br",
          "cl", "dr", "fl", "gr", "pl", "pr", "sk", "sp", "st", "tr")
NUCLEI = ("a", "e", "i", "o", "u", "ai", "ea", "oo", "ou")
CODAS = ("", "", "n", "r", "s", "t", "x", "ck", "ld", "nd", "st")
HANGUL_SYLLABLES = (
    "가나다라마바사아자차카타파하거너더러머버서어저커터퍼허고노도로모보소오조코토포호"
    "구누두루무부수우주쿠투푸후기니디리미비시이지키티피히개내대래매배새애재캐태패해관원진선혁민"
)
KOREAN_FILLER = _words(
    "오늘 회의에서 이번 주 일정을 다시 확인하고 다음 단계로 넘어가겠습니다 그래서 제가 말씀드린 "
    "부분은 아직 정리가 안 됐는데요 일단 팀에서 검토를 해보고 결과를 공유드릴게요 혹시 질문 "
    "있으시면 편하게 말씀해 주세요 지난번에 논의했던 내용을 바탕으로 우선순위를 정했어요 이 "
    "부분이 제일 급하고 나머지는 다음 스프린트로 미루는 게 좋을 것 같습니다 고객 쪽에서 요청이 "
    "들어와서 일정이 조금 바뀌었어요 그러면 누가 담당할지 정해야 하는데 저는 괜찮습니다 근데 "
    "테스트가 아직 끝나지 않아서 배포는 금요일쯤 가능할 것 같아요 문서는 제가 업데이트할게요"
)
ENGLISH_FILLER = _words(
    "we need to check the latest build before the release and then update the docs so the "
    "team can review it tomorrow morning if anything breaks please ping me on the channel"
)
PARTICLES = ("", "", "를", "을", "에서", "가", "이", "는", "로", "도", "만", "의")


def _english_word(rng: random.Random) -> str:
    syllables = rng.randint(2, 3)
    word = "".join(rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)
                   for _ in range(syllables))
    return word.capitalize()


def make_glossary(n_terms: int, rng: random.Random) -> Glossary:
    """A glossary of about 30% acronyms, 40% English-like words, 30% Korean words."""
    terms: dict[str, Term] = {}
    for word in REAL_WORDS:
        terms[word.casefold()] = Term(word, category="real")
    while len(terms) < n_terms:
        kind = rng.random()
        if kind < 0.3:
            canonical = "".join(rng.choice("ABCDEFGHIJKLMNOPRSTUVWXZ")
                                for _ in range(rng.randint(2, 5)))
        elif kind < 0.7:
            canonical = _english_word(rng)
            if rng.random() < 0.2:
                canonical += rng.choice(("DB", "Hub", "Ops", "Lab", "Cloud"))
        else:
            canonical = "".join(rng.choice(HANGUL_SYLLABLES) for _ in range(rng.randint(2, 4)))
        variants = (_mishear(canonical, rng),) if rng.random() < 0.3 else ()
        terms.setdefault(canonical.casefold(), Term(canonical, variants=variants))
    return Glossary.from_terms(terms.values())


def _mishear(canonical: str, rng: random.Random) -> str:
    found = readings(canonical)
    base = found[0].text if found else canonical
    k = rng.randrange(len(base))
    return base[:k] + rng.choice(HANGUL_SYLLABLES) + base[k + 1 :]


def make_text(glossary: Glossary, n_words: int, rng: random.Random) -> list[str]:
    """Segments of ~12 words; about 1 word in 10 mentions a term."""
    terms = list(glossary)
    words: list[str] = []
    while len(words) < n_words:
        r = rng.random()
        if r < 0.10:
            term = rng.choice(terms)
            found = readings(term.canonical)
            form = rng.choice(
                [term.canonical]
                + [x.text for x in found[:2]]
                + ([_mishear(term.canonical, rng)] if found else [])
            )
            words.append(form + rng.choice(PARTICLES))
        elif r < 0.25:
            words.append(rng.choice(ENGLISH_FILLER))
        else:
            words.append(rng.choice(KOREAN_FILLER))
    segments: list[str] = []
    for start in range(0, n_words, 12):
        segments.append(" ".join(words[start : start + 12]) + ".")
    return segments


def _timed(fn: Callable[[], object], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--terms", type=int, default=5000)
    parser.add_argument("--words", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    glossary = make_glossary(args.terms, rng)
    segments = make_text(glossary, args.words, rng)
    whole = " ".join(segments)

    t0 = time.perf_counter()
    matcher = Matcher(glossary)
    build_s = time.perf_counter() - t0

    # Each run gets a fresh fuzzy cache; the first run also meets cold
    # per-word caches (particles, sound keys), as a new app session would.
    modes = {
        "find, whole text": lambda m: m.find(whole),
        "find_all, segments": lambda m: m.find_all(segments),
        "find, segment by segment": lambda m: [m.find(seg) for seg in segments],
    }
    rows = []
    for name, run in modes.items():
        times = _timed(lambda run=run: run(_fresh(matcher)), args.repeat + 1)
        rows.append((name, times[0], statistics.median(times[1:])))
    matches = matcher.find(whole)
    auto = sum(m.auto for m in matches)

    print(f"<!-- {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, seed {args.seed}; warm = median of {args.repeat} -->")
    print("| measure | terms | words | cold s | warm s | words/s (cold) | matches (auto) |")
    print("|---|---:|---:|---:|---:|---:|---|")
    print(f"| index build | {len(glossary)} | - | {build_s:.3f} | - | - | - |")
    for name, cold, warm in rows:
        print(f"| {name} | {len(glossary)} | {args.words} | {cold:.3f} | {warm:.3f} | "
              f"{args.words / cold:,.0f} | {len(matches)} ({auto}) |")


def _fresh(matcher: Matcher) -> Matcher:
    """A matcher sharing the built index but with an empty fuzzy cache."""
    clone = Matcher.__new__(Matcher)
    clone.__dict__.update(matcher.__dict__)
    clone._fuzzy_cache = {}
    return clone


if __name__ == "__main__":
    main()
