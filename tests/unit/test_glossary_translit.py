"""Generated Hangul readings: letter names, transliteration accuracy, decoding.

The accuracy list holds real IT/product terms with the spelling Korean
speakers (and Whisper) commonly write. Measured on this list: see the
thresholds below and `test_transliteration_accuracy`'s printed summary.
"""

from __future__ import annotations

import pytest

import glossary.translit as translit
from glossary.hangul import compose, decompose, jamo, phonetic_key
from glossary.matcher import Matcher
from glossary.readings import decode_letters, readings
from glossary.terms import Glossary, Term

COMMON_SPELLINGS = [
    ("Kubernetes", "쿠버네티스"), ("Docker", "도커"), ("Jira", "지라"),
    ("Slack", "슬랙"), ("Jenkins", "젠킨스"), ("GitHub", "깃허브"),
    ("GitLab", "깃랩"), ("Python", "파이썬"), ("React", "리액트"),
    ("Redis", "레디스"), ("Kafka", "카프카"), ("Spark", "스파크"),
    ("Figma", "피그마"), ("Notion", "노션"), ("Confluence", "컨플루언스"),
    ("Terraform", "테라폼"), ("Ansible", "앤서블"), ("Grafana", "그라파나"),
    ("Prometheus", "프로메테우스"), ("Elasticsearch", "엘라스틱서치"), ("Linux", "리눅스"),
    ("Ubuntu", "우분투"), ("Android", "안드로이드"), ("Swift", "스위프트"),
    ("Kotlin", "코틀린"), ("JavaScript", "자바스크립트"), ("TypeScript", "타입스크립트"),
    ("Django", "장고"), ("Flask", "플라스크"), ("Spring", "스프링"),
    ("Angular", "앵귤러"), ("Webpack", "웹팩"), ("Jupyter", "주피터"),
    ("Pandas", "판다스"), ("Tableau", "태블로"), ("Salesforce", "세일즈포스"),
    ("Excel", "엑셀"), ("PowerPoint", "파워포인트"), ("Outlook", "아웃룩"),
    ("Chrome", "크롬"), ("Firefox", "파이어폭스"), ("Safari", "사파리"),
    ("Azure", "애저"), ("Lambda", "람다"), ("Airflow", "에어플로우"),
    ("Snowflake", "스노우플레이크"), ("Sentry", "센트리"), ("Datadog", "데이터독"),
    ("Postman", "포스트맨"), ("Firebase", "파이어베이스"), ("MongoDB", "몽고디비"),
    ("MySQL", "마이에스큐엘"), ("Hadoop", "하둡"), ("TensorFlow", "텐서플로우"),
    ("PyTorch", "파이토치"), ("Copilot", "코파일럿"), ("YouTube", "유튜브"),
    ("Instagram", "인스타그램"), ("Netflix", "넷플릭스"), ("Oracle", "오라클"),
    ("Intel", "인텔"), ("Nvidia", "엔비디아"), ("commit", "커밋"),
    ("merge", "머지"), ("rebase", "리베이스"), ("deploy", "디플로이"),
    ("sprint", "스프린트"), ("backlog", "백로그"), ("roadmap", "로드맵"),
    ("dashboard", "대시보드"), ("pipeline", "파이프라인"), ("cluster", "클러스터"),
    ("container", "컨테이너"), ("server", "서버"), ("query", "쿼리"),
    ("token", "토큰"), ("prompt", "프롬프트"), ("feedback", "피드백"),
    ("onboarding", "온보딩"), ("release", "릴리스"), ("hotfix", "핫픽스"),
    ("staging", "스테이징"), ("TED", "테드"),
]


def test_list_is_large_enough() -> None:
    assert len(COMMON_SPELLINGS) >= 40


def _measure() -> tuple[float, float, float, list[str]]:
    readings.cache_clear()
    translit.transliterate.cache_clear()
    exact = sum(ko in {r.text for r in readings(en)} for en, ko in COMMON_SPELLINGS)
    matcher = Matcher(Glossary.from_terms(Term(en) for en, _ in COMMON_SPELLINGS))
    found = auto = 0
    missed = []
    for en, ko in COMMON_SPELLINGS:
        hits = [m for m in matcher.find(f"오늘 {ko}에서 봤어요") if m.term == en]
        found += bool(hits)
        auto += bool(hits and hits[0].auto)
        if not hits:
            missed.append(f"{en}={ko}")
    n = len(COMMON_SPELLINGS)
    return exact / n, found / n, auto / n, missed


def test_transliteration_accuracy() -> None:
    exact, found, auto, missed = _measure()
    print(f"\nreadings: exact {exact:.0%}, matched {found:.0%}, auto-applied {auto:.0%}; "
          f"missed {missed}")
    assert exact >= 0.85
    assert found >= 0.93
    assert auto >= 0.80


def test_transliteration_rules_alone_without_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(translit, "MORPHEMES", {})
    try:
        exact, found, _, missed = _measure()
    finally:
        readings.cache_clear()
        translit.transliterate.cache_clear()
    print(f"\nrules only: exact {exact:.0%}, matched {found:.0%}; missed {missed}")
    assert exact >= 0.80
    assert found >= 0.90


@pytest.mark.parametrize(
    ("term", "reading"),
    [("GDP", "지디피"), ("DID", "디아이디"), ("OECD", "오이시디"), ("USB", "유에스비"),
     ("CEO", "씨이오"), ("TED", "테드"), ("Kubernetes", "쿠버네티스"), ("Docker", "도커"),
     ("Jira", "지라"), ("MongoDB", "몽고디비"), ("S3", "에스쓰리"), ("G20", "지이십"),
     ("CI/CD", "씨아이씨디"), ("iOS", "아이오에스")],
)
def test_readings_include_common_spelling(term: str, reading: str) -> None:
    assert reading in [r.text for r in readings(term)]


def test_reading_kinds() -> None:
    assert {r.kind for r in readings("GDP")} == {"acronym"}
    assert {r.kind for r in readings("Docker")} == {"word"}
    assert readings("카카오페이") == ()


def test_decode_letters() -> None:
    assert "GDP" in decode_letters("지디피")
    assert "GZP" in decode_letters("지지피")
    assert decode_letters("오이시디") == ("OECD",)
    assert decode_letters("안녕") == ()


def test_hangul_arithmetic() -> None:
    assert decompose("깃") == ("ㄱ", "ㅣ", "ㅅ")
    assert compose("ㄱ", "ㅣ", "ㅅ") == "깃"
    assert jamo("GDP를") == "GDPㄹㅡㄹ"
    # sound-alike folding: aspiration, ㅐ/ㅔ, silent ㅇ, final-consonant neutralisation
    assert phonetic_key("카카오패이") == phonetic_key("카카오페이")
    assert phonetic_key("깃") == phonetic_key("긷")
    with pytest.raises(ValueError):
        decompose("A")
