"""Rank the rule-based action-item candidates, so the model judges only the likeliest few.

A 60-minute meeting has ~100 lines with a promise, request or deadline
form; judging all of them took most of the minutes' time. Most are weak
("알겠습니다", "좋겠어요", a question ending in -세요?), and long
meetings repeat themselves. So each candidate gets a cue score - the form
(promise, request, "let's", obligation), a stated deadline, an owner
("제가", "I'll", a participant's name) and a task verb - near-duplicates
are folded, and the top ones (in meeting order) go to the model.

The score, not the model, decides which lines are action items: judging
single lines, the embedded 1.5B model called nearly every candidate a task
(questions and statements included) yet rejected a clear invitation, and in
batches its true/false was close to chance (it rejected "침대 방으로 예약해
주십시오"). The model writes the task and copies the deadline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from glossary.hangul import final_of
from minutes.llm.decisions import sentences, task_text
from minutes.llm.evidence import words
from minutes.types import Document, ReviewedSegment

# Polite formulas and guesses built like promises: "알겠습니다" (understood),
# "좋겠어요" (would be nice), "모르겠어요" (I don't know).
FORMULA = re.compile(
    r"(?:알|모르|좋|괜찮|감사하|부탁드리|반갑|수고하|맛있|재미있|힘들|어렵)겠(?:습니다|습니까|어요|네요|죠)"
    r"|감사합니다|고맙습니다"
    # opening and closing the meeting: "회의 시작하겠습니다", "오늘은 여기까지 하겠습니다"
    r"|시작(?:하겠습니다|할게요|합시다)|마치겠습니다|여기까지 (?:하겠습니다|하죠|할게요)"
    # moving through the agenda: "그럼 대시보드로 넘어갈게요"
    r"|넘어(?:갈게요|가겠습니다|가죠|갑시다|가 볼게요|가 보겠습니다)"
    # greetings and the close, which have the imperative form: "오늘은 여기까지. 수고하세요."
    r"|수고(?:하세요|하셨습니다|하셨어요|많으셨습니다|많으셨어요)"
    r"|고생(?:하세요|하셨습니다|하셨어요|많으셨습니다|많으셨어요)"
    r"|들어가세요|안녕히 (?:계세요|가세요)|오늘은 여기까지"
    # how the meeting goes: "오늘 릴리즈 회의 있으니까 짧게 가죠", "민재 씨부터요"
    r"|짧게 (?:갑시다|가죠|가요|할게요|하죠|합시다|진행할게요|진행하죠|진행하겠습니다)"
    r"|[가-힣]{1,4}\s?(?:님|씨)부터(?:요|\s(?:하죠|할까요|시작할게요|시작하죠))?(?=[.!?,]|$)"
    # taking the floor: "I'll go." / "I'll start." (then what went well); opening and
    # moving through the meeting: "Okay, let's get started.", "Let's jump in."
    r"|\bI'll (?:go|start|begin)(?: first)?(?=[.!,]|$)"
    r"|\blet's (?:get started|start|begin|jump in|kick off|dive in|wrap up)(?=[.!,]|$)"
    # how the meeting goes, in English: "Let's keep it quick.", "Ingrid, want to start?",
    # "Let's start with what went well."
    r"|\blet's keep (?:it|this) (?:quick|short|brief)\b"
    r"|\b(?:(?:do )?you )?want to (?:start|go first|kick us off|kick things off)\?"
    r"|\bwho wants to (?:start|go first)\b|\blet's (?:start|begin) with\b"
    # checking the call: "Can you hear us okay?", "잘 들리세요?"
    r"|\b(?:can|could) (?:you|everyone) (?:all )?hear (?:us|me)\b|잘 들리(?:세요|시나요|나요)",
    re.IGNORECASE,  # "Let's jump in." opens a line
)
# Asking someone to speak now, in the meeting ("하은 님, 타임라인부터 얘기해 주세요",
# "walk us through it"): no task, unless a deadline makes it one.
IN_MEETING = re.compile(
    r"(?:얘기|이야기|말씀|설명|소개)(?:해|하여|하)\s?(?:주세요|주실래요|줄래요|주시겠어요|주십시오)"
    r"|\b(?:walk us through|tell us|go ahead and (?:start|share))\b",
    re.IGNORECASE,
)
_KO_PROMISE = re.compile(r"[가-힣]겠(?:습니다|어요)(?!\?)|(?P<syl>[가-힣])게(?:요|(?=[.!~,]|\s*$))")
# "다음 주 월요일까지 최종 시안 드릴 수 있어요": an offer with a deadline is a promise.
_KO_CAN = re.compile(r"(?P<syl>[가-힣]) 수 있(?:어요|습니다)(?=[.!~,]|\s*$)")
# "맡아 줘요", "정리해 주실 수 있을까요?", "해 줄 수 있어요?": requests too
_KO_REQUEST = re.compile(
    r"주세요|주십시오|주시겠|주실래요|줄래요|(?<![가-힣])줘요|주실 수 있|줄 수 있|도록 하세요|"
    r"부탁(?:해|드려|드립)"
)
_KO_IMPERATIVE = re.compile(r"[가-힣](?:세요|십시오)(?=[\s.!~]|$)")
# sentence-final only: 전자, 숫자, -고자 are not "let's"
_KO_LETS = re.compile(r"(?P<syl>[가-힣])(?:시다|(?<!고)자)(?=[.!~,]|\s*$)|기로 (?:했|하|합)")
_KO_MUST = re.compile(r"해야 (?:해|합니다|돼|됩니다|겠)|[가-힣]야 (?:해요|합니다|돼요)")
_EN_PROMISE = re.compile(r"\b(?:i'll|i will|we'll|we will|i'm going to|we're going to)\b", re.I)
# not after a question word: "Diego, what would you need?" asks for an opinion
_EN_REQUEST = re.compile(
    r"(?<!\bwhat )(?<!\bhow )(?<!\bwhen )(?<!\bwhere )(?<!\bwhy )(?<!\bwho )(?<!\bwhich )"
    r"\b(?:can you|could you|would you)\b|\b(?:please|let's|let us)\b",
    re.I,
)
# "I can have it on staging by the end of next week": an offer with a deadline
_EN_CAN = re.compile(r"\b(?:i|we) can\b(?! not\b)", re.I)
_EN_MUST = re.compile(
    r"\b(?:need to|needs to|have to|has to|must|make sure|follow up|take care of|action item)\b",
    re.I,
)
_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_DUE = re.compile(
    r"까지|내일|모레|다음 ?주|이번 ?주|주말|오늘 ?(?:중|안)|[월화수목금토일]요일|"
    r"\d+ ?(?:일|시|월|주)|"
    rf"\b(?:tomorrow|tonight|next (?:week|month)|end of|deadline|by (?:{_WEEKDAYS})|{_WEEKDAYS})\b|"
    r"\b(?:this|next) (?:week|sprint|month|quarter|morning|afternoon|evening)\b|\b(?:eod|cob)\b|"
    r"\bby the (?:\d+(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|"
    r"ninth|tenth|\w+teenth|twentieth|thirtieth)\b",
    re.I,
)
# What a deadline phrase must contain (a model's "due" without one is dropped:
# the 1.5B model filled it with a clause of the line).
_TIME = re.compile(
    r"까지|오늘|내일|모레|글피|주말|월말|연말|다음|이번|[월화수목금토일]요일|오전|오후|아침|저녁|"
    r"\d+ ?(?:일|시|월|주|분)|[일이삼사오육칠팔구십]+ ?(?:일|시|주)|주 ?후|안으로|이내|전에|중으로|"
    r"가능한 (?:빨리|한 빨리)|asap|\d|"
    rf"\b(?:today|tonight|tomorrow|next|this|end|by|before|until|within|week|month|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    rf"december|morning|afternoon|noon|soon|sprint|eod|cob|{_WEEKDAYS})\b",
    re.I,
)
_OWNER = re.compile(r"제가|저희가|내가|우리가|저는|제 쪽|\b(?:i'll|i will|we'll|we will)\b", re.I)
# Task verbs; the second line is an engineering team's ("배포해 주세요", "재현 안 되는 건
# … 다시 해 볼게요"), which the first, written for office errands, lacked.
_VERB = re.compile(
    r"보내|공유|정리|준비|예약|확인|검토|작성|건의|배달|전달|연락|알려|제출|올리|올릴|올려|만들|수정|옮기|"
    r"가져|챙기|맡|처리|신청|결제|주문|찾아|드리|"
    r"배포|반영|고치|고쳐|파악|조사|분석|테스트|돌리|돌려|구현|추가|적용|머지|리뷰|재현|"
    r"\b(?:send|share|prepare|review|book|check|write|draft|call|email|update|fix|finish|"
    r"schedule|ask|find|order|deliver|bring|set up|organi[sz]e|deploy|merge|test|"
    r"investigate|debug|implement|look into|"
    r"add|remove|rewrite|retune|tune|clean up|put together|talk to|reach out|follow up|"
    r"document|migrate|move|create|build|publish|post|file|confirm|submit|upload|ship|"
    r"release|estimate|plan|pull|sync|rerun|handle)\b",
    re.I,
)
_QUESTION = re.compile(r"\?\s*$")

# A commitment form (2) with at least one of deadline, owner, task verb or a
# participant's name; or an imperative or "must" (1) with a deadline.
MIN_SCORE = 2.5


# A promise to stay attentive, with no deadline, is no task ("신경 쓸게요", "그건 제가 계속
# 지켜볼게요", "I'll keep an eye on support tickets"): minute-takers leave it out.
_VAGUE = re.compile(
    r"신경 (?:쓸게요|쓰겠습니다|써 볼게요)|지켜(?:볼게요|보겠습니다)|"
    r"\bkeep (?:an eye on|watching|in mind)\b|\bkeep (?:an|my) eyes? on\b",
    re.IGNORECASE,
)


def cue_score(text: str) -> float:
    """How strongly a line reads as an action item (0 or less: not one)."""
    kept = [s for s in sentences(text) if not _VAGUE.search(s) or _DUE.search(s)]
    if not kept:
        return 0.0
    body = FORMULA.sub(" ", " ".join(kept))
    score = 0.0
    promise = any(
        m.group("syl") is None or final_of(m.group("syl")) == "ㄹ"  # 할게요, not 그렇게
        for m in _KO_PROMISE.finditer(body)
    ) or _offers_by(body)
    lets = any(
        m.group("syl") is None or m.group(0).endswith("자") or final_of(m.group("syl")) == "ㅂ"
        for m in _KO_LETS.finditer(body)
    )
    request = bool(_KO_REQUEST.search(body) or _EN_REQUEST.search(body))
    if promise or lets or request or _EN_PROMISE.search(body):
        score += 2
    elif _KO_MUST.search(body) or _EN_MUST.search(body) or _imperative(body):
        score += 1
    formless = score == 0
    if formless and not _DUE.search(body):
        return 0.0
    if _DUE.search(body):
        score += 1.5
    if _OWNER.search(body):
        score += 1
    if _VERB.search(body):
        score += 1
    if _QUESTION.search(body):
        score -= 0.5 if request else 1.5
    if len(re.findall(r"[가-힣]|[A-Za-z]+", body)) < 6:
        score -= 1
    if formless:  # "드럼까지 만들게 됐는데요": a date or "까지" alone is no commitment
        score = min(score, MIN_SCORE - 0.5)
    return score


def _offers_by(text: str) -> bool:
    """True if a sentence offers to do something by a deadline ("월요일까지 드릴 수 있어요",
    "I can have it on staging by Friday")."""
    return any(
        _DUE.search(s)
        and (
            any(final_of(m.group("syl")) == "ㄹ" for m in _KO_CAN.finditer(s))
            or (_EN_CAN.search(s) and not _QUESTION.search(s))
        )
        for s in sentences(text)
    )


def without_talk(text: str) -> str:
    """The line without its requests to speak now in the meeting (`IN_MEETING`), which
    are no tasks unless a deadline is said with them."""
    said = sentences(text)
    kept = [s for s in said if not (IN_MEETING.search(s) and not says_when(s))]
    return text if len(kept) == len(said) else " ".join(kept)


def says_when(text: str) -> bool:
    """True if a sentence states a deadline ("내일까지", "by Friday")."""
    return bool(_DUE.search(text))


def deadline_word(text: str) -> str | None:
    """The first word of a deadline said in a text ("내일", "다음 주", "Friday"), if any."""
    found = _DUE.search(text)
    return found.group(0).casefold().replace(" ", "") if found else None


def has_task_verb(text: str) -> bool:
    """True if a text names something to do ("배포", "검토", "send", "fix")."""
    return bool(_VERB.search(text))


def is_time_phrase(text: str) -> bool:
    """True if a short phrase names a time or deadline ("다음 주까지", "by Friday")."""
    return len(text) <= 20 and bool(_TIME.search(text))


def form_of(text: str) -> str | None:
    """The commitment form of a line: "promise", "request", "proposal" or None.

    A promise is made by the speaker, a request is done by the listener, a
    proposal by everyone: that decides the owner better than the 1.5B model,
    which named the wrong person for half of the labelled items.
    """
    body = FORMULA.sub(" ", _ASKING.sub("부탁드려요", text))
    if (
        _EN_PROMISE.search(body)
        or any(
            m.group("syl") is None or final_of(m.group("syl")) == "ㄹ"
            for m in _KO_PROMISE.finditer(body)
        )
        or _offers_by(body)
    ):
        return "promise"
    if re.search(r"\b(?:let's|let us)\b", body, re.I) or any(
        m.group("syl") is None or m.group(0).endswith("자") or final_of(m.group("syl")) == "ㅂ"
        for m in _KO_LETS.finditer(body)
    ):
        return "proposal"
    if _KO_REQUEST.search(body) or _EN_REQUEST.search(body) or _imperative(body):
        return "request"
    return None


# "부탁할게요" / "부탁드릴게요" end like a promise but ask the listener.
_ASKING = re.compile(r"부탁(?:할|드릴)게요")


def has_request(text: str) -> bool:
    """True if the line asks someone to do something (besides any promise it makes)."""
    body = FORMULA.sub(" ", _ASKING.sub("부탁드려요", text))
    return bool(_KO_REQUEST.search(body) or _EN_REQUEST.search(body) or _imperative(body))


# Taking a task back in the same line ("제가 찾아볼게요. … 아, 아니다, 그건 …에 있어요").
_RETRACT = re.compile(
    r"^(?:아,?\s*)?아니다|^아 참,? 아니|\bnever mind\b|\bscratch that\b|^actually,? no\b", re.I
)
# Turning down a proposal or offer in the next line ("아뇨, 그건 괜찮아요", "No need").
_REFUSE = re.compile(
    r"^(?:(?:아|음|어|hmm|um|oh|actually)[,.…\s]+)*"
    r"(?:아뇨|아니요|아니에요|(?:그건\s)?괜찮아요|안 해도 (?:돼|됩)|no\b|nah\b|no need\b|"
    r"let's not\b|don't bother\b|i don't think we need)",
    re.I,
)


def withdrawn(doc: Document, position: int) -> bool:
    """True if the task of a line is taken back in the line itself, or turned down by
    the next speaker ("그럼 제가 후보 리스트만 뽑아 둘까요?" - "아뇨, 그건 괜찮아요")."""
    seg = doc.segments[position]
    said = sentences(seg.text)
    if any(_RETRACT.search(s) for s in said[1:]):
        return True
    if position + 1 < len(doc.segments):
        nxt = doc.segments[position + 1]
        if nxt.speaker != seg.speaker and _REFUSE.search(nxt.text.strip()):
            return True
    return False


def _imperative(text: str) -> bool:
    # "오세요." is a request; "있으세요?" is a polite question.
    return any(
        not _QUESTION.match(text[m.end() : m.end() + 2]) for m in _KO_IMPERATIVE.finditer(text)
    )


def rank_candidates(
    doc: Document,
    segments: Sequence[ReviewedSegment],
    limit: int | None,
    min_score: float = MIN_SCORE,
) -> list[ReviewedSegment]:
    """The `limit` best-scoring candidates scoring at least `min_score` (all when
    `limit` is None), near-duplicates folded, in meeting order.

    A participant's name in the line counts as an owner cue. Of two lines that
    share most of their words, the one said first is kept.
    """
    from minutes.llm.people import addressed_in

    names = [n for n in {doc.speaker_label(s.speaker) for s in doc.segments} if n]
    scored: list[tuple[float, int, ReviewedSegment]] = []
    seen: list[set[str]] = []
    for order, seg in enumerate(segments):
        text = without_talk(task_text(seg.text))
        score = cue_score(text) if text.strip() else 0.0
        if score <= 0:
            continue
        # named in full, or addressed as the meeting addresses them ("Lena, can you …",
        # "준호 님이 …"), in a line that asks or promises something ("도윤 님부터요" only
        # gives the floor)
        said = FORMULA.sub(" ", text)
        if form_of(text) and addressed_in(said, names, doc.speaker_label(seg.speaker)):
            score += 1
        if score < min_score:
            continue
        units = words(seg.text)
        if any(_similar(units, other) for other in seen):
            continue
        seen.append(units)
        scored.append((score, order, seg))
    if limit is not None:
        scored = sorted(scored, key=lambda x: (-x[0], x[1]))[:limit]
    return [seg for _, _, seg in sorted(scored, key=lambda x: x[1])]


def _similar(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / len(a | b) >= 0.8
