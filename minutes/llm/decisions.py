"""Decisions said in so many words, found by rule, so they reach the minutes' decisions.

A chair who closes a point says so: "배포는 다음 주 월요일로 미루는 걸로
결정하겠습니다", "장소는 가평으로 가죠", "예산은 인당 15만 원으로 하죠",
"let's go with the 22nd". The 1.5B model, asked for the decisions of a whole
meeting, often listed none; and "결정하겠습니다" has the form of a promise,
so the line became an action item of the chair. Here such sentences are
found (`decision_sentences`), kept out of the action-item candidates
(`task_text`), and added to the decisions when the model missed them
(`add_missed_decisions`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from minutes.llm.decision_form import decision_form
from minutes.meeting import Note
from minutes.types import Document

_KO_DECISION = re.compile(
    r"결정(?:하겠습니다|했습니다|할게요|합시다|하죠|입니다|됐습니다)"
    r"|확정(?:하겠습니다|할게요|합시다|하죠|입니다|하는 걸로|했습니다)"
    r"|(?:으로|로|걸로|것으로) (?:하죠|하겠습니다|할게요|합시다|하자|가죠|갑시다|가겠습니다|가자|"
    r"정하죠|정했습니다|진행하죠|진행하겠습니다|진행할게요)"
    r"|(?:하|가)기로 (?:했습니다|했어요|했죠|결정)"
    # keeping something as it is: "오픈일은 기존대로 다음 달 15일로 유지하겠습니다"
    r"|(?:으로|로|대로) 유지(?:하겠습니다|하죠|할게요|합시다|하기로)"
    # leaving something out or for later: "그건 이번 캠페인에서는 빼죠", "4.1로 미루죠"
    r"|(?:빼|미루|넘기|보류하|제외하)(?:죠|기로 하죠|기로 해요|겠습니다)(?=[\s.!~]|$)"
    # agreeing to the proposal just made: "좋아요, 그렇게 하죠" (points back to it)
    r"|그렇게 (?:하죠|합시다|하겠습니다|가죠|갑시다|진행하죠|진행하겠습니다|진행합시다)"
    r"(?=[\s.!~]|$)"
)
_EN_DECISION = re.compile(
    r"\b(?:let's|let us|we'll|we will) (?:go with|move|push|cap|stick with|skip|postpone|"
    r"switch to|use|keep (?!it (?:short|quick|brief))|not|wait|hold off|drop|pull|cut|defer|"
    r"delay)\b"
    # agreeing to the proposal just made ("Sounds good, let's do that"), keeping a date
    r"|\blet's (?:do|go ahead with) (?:that|it|this)\b"
    r"|\b(?:stays|remains) (?:(?:on|at) (?:the )?(?:\d+|\w+(?:st|nd|rd|th)|\w+day)|as is|"
    r"as planned|the same|unchanged)\b"
    r"|\bwe(?:'ve| have)? decided\b|\b(?:it's|it is) decided\b|\bthe decision is\b|"
    r"\bwe agreed\b",
    re.IGNORECASE,
)
# A procedural close ("오늘은 여기까지 하죠") is no decision, nor a promise with a time
# ("코드 수정은 오늘 중으로 하겠습니다", "제가 메일로 할게요").
_PROCEDURAL = re.compile(
    r"여기까지|이만|마치|시작|회의 때|중으로 하|제가|keep it (?:short|quick|brief)|"
    r"\bmove on\b",
    re.I,
)
# A dot between digits ("4.1로", "v2.3") ends no sentence.
_SENTENCE = re.compile(r"(?:[^.!?。…]|(?<=\d)\.(?=\d))+[.!?。…]*")
_FILLER = re.compile(
    r"^(?:(?:자|네|음|어|아|그럼|그러면|좋아요|맞아요|오케이|좋습니다|네네|그래서|"
    r"okay|ok|so|alright|right|actually|hmm|great|yes|yeah|um|uh|sounds good|perfect|good)"
    r"[,.…!\s]+)+",
    re.IGNORECASE,
)


def sentences(text: str) -> list[str]:
    """The sentences of a line (split after . ! ? …, not at a decimal point)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def strip_fillers(sentence: str) -> str:
    """A sentence without the fillers it opens with ("자, 네, 음… 그럼 …", "Okay, so …")."""
    return _FILLER.sub("", sentence).strip()


def is_decision(sentence: str) -> bool:
    """True if a sentence states a decision ("~로 결정하겠습니다", "~로 가죠", "let's go with")."""
    if _PROCEDURAL.search(sentence):
        return False
    return bool(_KO_DECISION.search(sentence) or _EN_DECISION.search(sentence))


def decision_sentences(text: str) -> list[str]:
    """The sentences of a line that state a decision, fillers at the start removed."""
    return [body for s in sentences(text) if is_decision(s) and (body := _body(s))]


def _body(sentence: str) -> str:
    """A sentence without its opening fillers; empty if too little is left to say anything."""
    body = strip_fillers(sentence)
    return body if len(body) >= 4 else ""


# A closing recap restates what was agreed, as one list ("그럼 정리하면, 쿠폰 원인은 지훈 님
# 오늘 중, 재처리는 책임님 오전 중, …", "정리할게요. …", "So to recap: …"): its tasks and
# decisions were said before, where they are cited; read as a line of its own it gave
# duplicate and run-together items ("정리하고 장소 가평, 날짜 셋째 주 금요일").
_RECAP = re.compile(
    r"^(?:(?:그럼|그러면|자)[,\s]+)?"
    r"(?:(?:정리|요약)(?:하면|하자면|해 보면|해 보자면)|정리(?:할게요|하겠습니다|해 볼게요|해 보죠)"
    r"(?=[.!,…]|\s*$)|(?:to|let me|let's|quick|so to) (?:recap|sum up|summari[sz]e)\b|"
    r"recap\b|in summary\b)",
    re.IGNORECASE,
)
# What the speaker takes on in or after the recap ("스프린트 보드는 제가 오늘 중으로
# 업데이트해 둘게요.") may be new: such a sentence of its own stays.
_SPEAKER_TAKES = re.compile(r"제가|저는|저희가|\b(?:i'll|i will|we'll|we will)\b", re.IGNORECASE)


def recap_start(said: Sequence[str]) -> int | None:
    """The index of the sentence where a line's recap begins (None: the line has none)."""
    return next((k for k, s in enumerate(said) if _RECAP.match(strip_fillers(s))), None)


def recapped(said: Sequence[str]) -> set[int]:
    """The indices of the sentences that restate what was agreed: the recap's first
    sentence and those after it, except a sentence of the speaker's own taking on."""
    start = recap_start(said)
    if start is None:
        return set()
    return {start} | {k for k in range(start + 1, len(said)) if not _own_part(said[k])}


def _own_part(sentence: str) -> str:
    """A recap's sentence from the clause where the speaker takes something on: "다은 님은
    … 올려 주시고, QA 인원은 제가 오늘 중으로 여쭤볼게요." -> "QA 인원은 제가 …"."""
    found = _SPEAKER_TAKES.search(sentence)
    if found is None:
        return ""
    cut = sentence.rfind(", ", 0, found.start())
    return sentence[cut + 2 :] if cut >= 0 else sentence


def task_text(text: str) -> str:
    """The line without its decision sentences and its recap: what may hold a task.

    "쿠폰은 드리는 걸로 결정하겠습니다. 지수 씨가 … 발송해 주세요." keeps the
    request; a line that only decides keeps nothing.
    """
    parts = sentences(text)
    start = recap_start(parts)
    if start is None and not any(is_decision(s) for s in parts):
        return text
    if start is not None:  # only what the speaker takes on after the recap begins
        parts = parts[:start] + [p for s in parts[start + 1 :] if (p := _own_part(s))]
    return " ".join(s for s in parts if not is_decision(s))


# A decision that points back ("그건 이번 캠페인에서는 빼죠", "그걸로 가죠", "let's go
# with that") says nothing alone: its note carries what it points to.
# A short one only: a longer sentence names its own object ("그래요, 온라인 강의 하나
# 있는데 그거 회사 지원으로 듣는 걸로 하죠"), and English "it" is mostly inside one
# ("let's keep it at nine") unless the decision is that short ("Let's skip it.").
# "this afternoon", "that week" name a time, not a thing said before
_DEICTIC = re.compile(
    r"(?<![가-힣])(?:그|이|저)(?:건|거|걸|것|렇게|쪽)|\b(?:that|this)\b"
    r"(?! (?:morning|afternoon|evening|week|weekend|month|quarter|year|sprint|time|day)\b)",
    re.I,
)
# A proposal just made, which an agreement ("let's do that", "그렇게 하죠") decides
_PROPOSAL = re.compile(
    r"\b(?:we could|we can just|how about|what if|why don't we|maybe we|i'd suggest|"
    r"i suggest|i propose)\b|(?:하면|하는 게|는 건|는 게) (?:어때요|어떨까요|어떻습니까|어떠세요)|"
    r"(?:하|으)면 (?:좋겠|될 것 같)",
    re.I,
)
# A reply is not what a line points back to: "Of course. I'll send the summary."
_REPLY = re.compile(
    r"^(?:(?:yes|yeah|yep|sure|okay|ok|right|great|perfect|thanks|thank you|of course|"
    r"absolutely|no problem|will do|got it|sounds good|네|예|넵|알겠습니다|알겠어요|좋아요|"
    r"물론이죠|그럼요|그렇죠|맞아요|감사합니다)[\s,.!]*)+(?:thing|everyone|all)?$",
    re.I,
)
_IT = re.compile(r"\bit\b", re.I)
_REFERENT_CHARS = 80


def _clipped(text: str) -> str:
    """A referent of at most `_REFERENT_CHARS`, cut at a word's end and marked as cut ("…
    걱정이에요" is "…", not "… 걱")."""
    if len(text) <= _REFERENT_CHARS:
        return text
    return text[:_REFERENT_CHARS].rsplit(" ", 1)[0].rstrip(" ,") + "…"


# A bare choice names what was chosen but not what it was chosen for ("카카오맵으로 가죠"
# after "지도는 카카오맵으로 하는 건가요, 네이버 지도로 하는 건가요?", "Let's go with Redis.").
_BARE_CHOICE = re.compile(
    r"^\S+(?:으로|로) (?:가죠|하죠|갑시다|합시다|가자|하자)[.!~]*$"
    r"|^(?:let's|let us|we'll) go with (?:\S+\s?){1,2}[.!]*$",
    re.IGNORECASE,
)


# "그 알람", "그 수정은", "그 PR": a determiner that points back (not the filler "그,").
# not a time: "그 주 온콜이 서아 씨면" is that week's, nothing said before
_DETERMINER = re.compile(
    r"(?<![가-힣])그 "
    r"(?!(?:주|날|달|때|해|주말|시간|다음|전|후)(?:에|는|도|까지|부터|의|엔)?(?![가-힣]))"
    r"(?=[가-힣A-Za-z])"
)


def said_deictic(sentence: str, determiners: bool = False) -> bool:
    """True if a sentence points back with a pronoun ("그건", "이거", "that"), or with a
    determiner too ("그 알람"), when asked."""
    return bool(
        _DEICTIC.search(sentence)
        or _IT.search(sentence)
        or (determiners and _DETERMINER.search(sentence))
    )


def points_back(decision: str) -> bool:
    """True if a decision sentence needs the sentence before it to be understood."""
    words = len(decision.split())
    if _DEICTIC.search(decision):
        return words <= 9
    if _BARE_CHOICE.match(decision.strip()):
        return True
    return bool(_IT.search(decision)) and words <= 4


def decision_notes(doc: Document) -> list[Note]:
    """A note for each decision sentence of the meeting, citing its segment.

    A decision that points back is written after the sentence it points to (the one
    before it in the line, else the last of the line before) and cites both lines:
    "오프라인 팝업 스토어도 하실 거예요? → 그건 이번 캠페인에서는 빼죠".
    """
    out = []
    for position, seg in enumerate(doc.segments):
        said = sentences(seg.text)
        restated = recapped(said)
        for k, sentence in enumerate(said):
            body = _body(sentence)
            if not body or k in restated or not is_decision(sentence):
                continue
            ids: tuple[int, ...] = (seg.id,)
            referent_text = ""
            if points_back(body):
                referent_text, cited = referent(doc, position, said[:k])
                if referent_text:
                    ids = (seg.id, *cited)
            # as minutes write it: "… 넣으면 어떨까요? → 그렇게 하죠" is "… 넣기로 함"
            out.append(Note(decision_form(body, referent_text or None), ids))
    return out


# How many lines back a decision may answer a question: "A로 해요, B로 해요?" - "A를
# 추천드려요, …" - "그럼 A로 가죠" answers the question two lines before it.
_QUESTION_LINES = 2


def referent(
    doc: Document, position: int, before: Sequence[str], questions: bool = True
) -> tuple[str, tuple[int, ...]]:
    """What a line points back to: the line's own sentence before it, else (a decision,
    `questions`) the nearest question of the lines just before, else the last sentence
    of the line before (a task: the whole line before, whose first sentence often names
    the thing); with the segment it adds to the citation."""
    # not "좋네요.", not "Of course."
    own = [b for s in before if len((b := _body(s)).split()) > 1 and not _REPLY.match(b)]
    if own:
        return _clipped(own[-1]), ()
    if position == 0:
        return "", ()
    lines = list(reversed(doc.segments[max(0, position - _QUESTION_LINES) : position]))
    proposed = [b for s in sentences(lines[0].text) if (b := _body(s))]
    if questions and proposed and _PROPOSAL.search(lines[0].text):
        # "We could just post in the deploy channel." - "Sounds good, let's do that."
        return _clipped(" ".join(proposed)), (lines[0].id,)
    if questions:
        for previous in lines:
            asked = [b for s in sentences(previous.text) if s.endswith("?") and (b := _body(s))]
            if asked:
                return _clipped(asked[-1]), (previous.id,)
        last = [b for s in sentences(lines[0].text) if (b := _body(s))]
        return (_clipped(last[-1]), (lines[0].id,)) if last else ("", ())
    for previous in lines:
        text = " ".join(b for s in sentences(previous.text) if (b := _body(s)))
        # past a reply ("Will do.", "네, 알겠습니다.") or a line that points back itself
        if len(text.split()) > 2 and not said_deictic(text, determiners=True):
            return _clipped(text), (previous.id,)
    return "", ()


# Weaker than `is_decision`: what a line must show for the model's decision citing it
# to stand ("숏츠는 이번엔 빼죠", "we're agreed").
_DECISION_CUE = re.compile(
    r"결정|확정|정하|정했|하죠|가죠|빼죠|보죠|미루죠|두죠|쓰죠|넘기죠|합시다|갑시다|하자|가자|"
    r"(?:으|걸)?로 하|기로|앞으로|"
    r"\b(?:let's|let us|decided|decide|agreed|agree|go with|going forward|from now on|"
    r"we'll|we will)\b",
    re.IGNORECASE,
)


def said_as_decision(note: Note, doc: Document) -> bool:
    """True if a line the decision cites has the form of a decision.

    The 1.5B model filled the decisions of Korean meetings with status reports
    ("준호 님은 커넥션 풀 설정 쪽에 문제를 발견하고 …") citing the first lines;
    a decision is something said as one. An uncited decision stands, unless it is itself
    a request or promise, which is a task.
    """
    from minutes.llm.candidates import form_of

    if form_of(note.text) in ("request", "promise") and not is_decision(note.text):
        return False  # a task copied as said ("… 금요일까지 정리해 주세요"): an action item
    cited = set(note.segment_ids)
    if not cited:  # nothing to check it against: it stands
        return True
    return any(_DECISION_CUE.search(s.text) for s in doc.segments if s.id in cited)


def add_missed_decisions(
    decisions: Sequence[Note], found: Sequence[Note], threshold: float = 60
) -> tuple[Note, ...]:
    """The model's decisions plus the rule-found ones it missed.

    A found decision is covered when a model decision cites its segment or says
    much the same (rapidfuzz token-set ratio >= `threshold`); found decisions
    that repeat each other (the client's "남색으로 가죠", the chair's "남색으로
    확정") are folded into the first.
    """
    from rapidfuzz import fuzz

    out = list(decisions)
    for note in found:
        covered = any(
            set(note.segment_ids) & set(kept.segment_ids)
            or fuzz.token_set_ratio(note.text.casefold(), kept.text.casefold()) >= threshold
            for kept in out
        )
        if not covered:
            out.append(note)
    return tuple(out)
