"""Action items in the form a to-do list uses: "사과 공지 검토해서 올리기", "Send the deck",
not the sentence as it was said ("제가 오늘 중으로 검토해서 올릴게요.", "I'll send you the
deck by Friday.").

A task written from a spoken line (the model's, or the line's own words where the model's
said nothing) keeps the marks of speech that the item holds elsewhere: the speaker as
subject ("제가", "I'll") is the owner, the deadline ("오늘 중으로", "by Friday") is the due
date, and the polite promise or request ending (-ㄹ게요, -겠습니다, -아/어 주세요, "could
you …?") says who asked whom. Korean minutes list tasks as verb phrases in the nominal -기
form; English ones as imperatives. Only what is recognised is rewritten; anything else is
kept as written, so the rewrite never loses words that say what is to be done.
"""

from __future__ import annotations

import re

from glossary.hangul import compose, decompose, has_hangul, is_syllable
from minutes.llm.decision_form import REFERENT_MARK

_PUNCT_END = re.compile(r"[\s.!?~…。,]+$")

# Titles a person is addressed by, before 님 ("과장님", "예린 과장님").
_TITLE = r"(?:팀장|과장|부장|차장|대리|이사|대표|책임|선임|실장|매니저)님"
# The speaker or an addressee as the subject at the start of a Korean task.
_KO_SUBJECT = re.compile(
    r"^(?:(?:제가|저는|저도|저희가|저희는|저희도|내가|나는|우리가|우리는|누가)(?:\s+|$)"
    r"|[가-힣]{1,4}\s?(?:님|씨)(?:께서|이|가|은|는|도|,)\s+"
    rf"|(?:[가-힣]{{1,4}}\s?)?{_TITLE}(?:께서|이|은|도)?\s+)"
)
# The owner named as subject after the task's topic ("임계치 조정은 하은 씨가 맡아 줘요"): the
# owner is the item's, not part of what to do.
_KO_INNER_SUBJECT = re.compile(
    rf"(?<=[은는] )(?:[가-힣]{{1,4}}\s?(?:님|씨)|(?:[가-힣]{{1,4}}\s)?{_TITLE})(?:께서|이|가)\s+"
)
# Softeners that say nothing of the task, and the speaker as subject further in ("승인해
# 주시면 제가 진행할게요").
_KO_SOFTENERS = re.compile(r"(?:^|\s)(?:좀|일단|얼른|그냥|제가|저희가|내가)(?=\s)")
# What a task after its referent ("… → 그거 제가 볼게요") points back with.
_KO_POINTER = re.compile(r"^(?:그거|그건|그것|그것도|그거는|그거도|이거|이건|그 건|그 부분)\s+")
# A bare verb says nothing the spoken line did not: the line is kept ("준호 님이 봐 주세요").
_BARE = frozenset(("하기", "보기", "가기", "주기", "드리기", "오기", "해 주기", "봐 주기"))

# Stems ending in ㄹ that keep it before -기 ("만들게요" -> "만들기", "걸게요" -> "걸기");
# elsewhere the ㄹ of -ㄹ게요 is the ending's ("올릴게요" -> "올리기").
_L_STEMS = ("만들", "걸", "열", "팔", "풀", "밀", "달", "끌", "늘", "벌", "흔들")
# Stems whose -을게요 / -어 form changes the stem (ㄷ and ㅂ irregulars).
_IRREGULAR = {"들을": "듣", "물을": "묻", "도울": "돕", "도와": "돕"}

# Korean endings of a promise, request or duty, on the task's last word(s); the verb
# before them becomes the -기 form.
_KO_REQUEST = re.compile(
    r"\s*(?:주세요|주십시오|주시겠어요|주시겠습니까|주실래요|줄래요|줘요|주시면 (?:좋겠|감사하겠)"
    r"[가-힣]*|주실 수 (?:있|있을)[가-힣]*|줄 수 (?:있|있을)[가-힣]*|주시고|주기)$"
)
_KO_DUTY = re.compile(
    r"(?<=[가-힣])야\s*(?:해요|합니다|돼요|됩니다|해|겠어요|겠습니다|할 것 같아요)$"
)
_KO_WILL = re.compile(r"(?<=[가-힣])(?:도록 하)?겠(?:습니다|어요|습니다만)$")
_KO_PROMISE = re.compile(r"(?<=[가-힣])게(?:요|용)?$")
_KO_CAN = re.compile(r"(?<=[가-힣])\s수\s있(?:어요|습니다|을 것 같아요|을 거예요)$")
_KO_AGREED = re.compile(r"(?<=[가-힣])기로\s(?:했어요|했습니다|해요|하죠|하겠습니다)$")
_KO_LETS = re.compile(r"(?<=[가-힣])(?:죠|시다)$|(?<=하)자$")
_PARTICLES = ("까지", "에게", "한테", "께", "에", "로", "를", "을", "는", "은", "도", "만", "요")
_KO_PLEASE = re.compile(r"\s*부탁(?:드려요|드립니다|드릴게요|해요|할게요|합니다)$")
# An acknowledgement before the task ("알겠습니다. 제가 …"): no part of it.
_KO_ACK = re.compile(
    r"^(?:(?:네|넵|예|알겠습니다|알겠어요|좋아요|좋습니다|그럼요|물론이죠|오케이|그래요)[.!,…\s]+)+"
)
# A connective opening the line ("그리고 재웅 님, …"): no part of the task.
_KO_OPENING = re.compile(r"^(?:(?:그리고|그럼|그러면|그래서|아|자|또|혹시|대신|마지막으로)[,\s]+)+")


def todo_form(task: str, due: str | None = None) -> str:
    """The task as a to-do item (see the module's doc); `due`, when said in the task, is
    taken out of it. "A → B" (a task after what it points to) keeps A and rewrites B."""
    head, arrow, tail = task.rpartition(REFERENT_MARK)
    body = tail if arrow else task
    if has_hangul(body):
        rewritten = _korean(_KO_POINTER.sub("", body) if arrow else body, due)
    else:
        rewritten = _english(body, due)
    if not rewritten or (rewritten in _BARE and not arrow):
        return task
    return f"{head}{arrow}{rewritten}" if arrow else rewritten


def _without_due(text: str, due: str | None) -> str:
    if not due or len(due) < 2:
        return text
    # "오늘까지", "오늘 중으로", "금요일 전까지": the deadline's particle, attached or not
    particle = (r"(?:까지는|까지|에는|에|안에|안으로|중으로|중에|으로|로|내로|전까지|전에"
                r"|\s(?:중으로|중에|중|안에|안으로|내로|전까지|전에|까지))?")
    # not a time that says which one ("다음 회고 때 쓸 보드"): that is part of the task
    cut = re.sub(re.escape(due) + particle + r"(?=[\s,]|$)(?!\s때\b)", " ", text)
    return " ".join(cut.split())


def _korean(task: str, due: str | None) -> str:
    text = _KO_OPENING.sub("", _KO_ACK.sub("", _PUNCT_END.sub("", task.strip())))
    text = _without_due(text, due)
    text = _KO_INNER_SUBJECT.sub("", _KO_SUBJECT.sub("", text))
    text = " ".join(_KO_SOFTENERS.sub(" ", f" {text} ").split())
    verb = _korean_verb(text)
    if verb and verb.strip():
        return _said_plainly(verb)
    return _object_first(text)


# Verbal nouns a task may end with ("런북 업데이트", "회의실 예약").
_VERBAL_NOUNS = frozenset(
    ("확인", "정리", "업데이트", "예약", "파악", "전달", "공유", "추가", "작성", "리뷰", "검토",
     "전송", "요청", "수정", "배포", "생성", "변경", "반영", "적용", "조정", "준비", "업로드",
     "분석", "점검", "발송", "등록", "신청", "문의")
)  # fmt: skip
# Not "테스트 서버", "설정 화면": nouns that also name things, first in a noun phrase.
# A task that ends in one of these (or the above) has its verb: "발송 장애 회고 시작".
_ENDING_NOUNS = _VERBAL_NOUNS | frozenset(
    ("시작", "진행", "논의", "대응", "처리", "개선", "구현", "개발", "지원", "교체", "연동",
     "마무리", "완료", "설정", "테스트", "보고", "정의", "검증", "모니터링", "회고", "제출")
)  # fmt: skip


def _object_first(text: str) -> str:
    """A task the small model wrote in English order, verb first ("업데이트 런북", "예약
    회의실"), in Korean order ("런북 업데이트", "회의실 예약"); "" when it is not one."""
    words = text.split()
    if len(words) < 2 or words[0] not in _VERBAL_NOUNS:
        return ""
    if words[-1].endswith(("기", "다", "요")) or words[-1] in _ENDING_NOUNS - {words[0]}:
        return ""  # a verb at the end already ("확인 후 공유하기", "정리 후 공유")
    rest = words[1:] if words[-1] == words[0] else [*words[1:], words[0]]
    return " ".join(rest)


# "캡차 붙이는 거 하기" (from "캡차 붙이는 거 해 주실 수 있어요?") is "캡차 붙이기".
_THING_TO_DO = re.compile(r"(?<=[가-힣])는 (?:거|것|걸|작업) (?:하기|해 주기|맡기|부탁하기)$")


def _said_plainly(verb: str) -> str:
    m = _THING_TO_DO.search(verb)
    if m is None:
        return verb
    stem = verb[: m.start()]
    initial, vowel, final = decompose(stem[-1])
    if not final:  # 만드(는) is 만들다: the ㄹ dropped before -는 comes back before -기
        with_l = stem[:-1] + compose(initial, vowel, "ㄹ")
        if with_l.endswith(_L_STEMS):
            stem = with_l
    return f"{stem}기"


def _korean_verb(text: str) -> str | None:
    """`text` with its final promise/request/duty ending as -기 (None: none recognised;
    a text already in the -기 form is kept); a verb that gives its action to someone
    ("보내 드릴게요", "만들어 줄게요") is the verb alone ("보내기", "만들기")."""
    verb = _ending_as_gi(text)
    if verb is None:
        return None
    for giving in (" 드리기", " 주기"):
        if verb.endswith(giving):
            stem = _from_connective(verb[: -len(giving)], strict=True)
            return f"{stem}기" if stem else verb
    return verb


def _ending_as_gi(text: str) -> str | None:
    if text.endswith("기"):  # already a to-do (punctuation is gone)
        return text
    for pattern in (_KO_AGREED, _KO_CAN):
        m = pattern.search(text)
        if m and not (pattern is _KO_CAN and _KO_REQUEST.search(text)):  # "해 주실 수 있어요"
            return _stem_plus_gi(text[: m.start()], attached=pattern is _KO_CAN)
    m = _KO_PLEASE.search(text)
    if m and is_syllable(text[m.start() - 1 : m.start()] or " "):
        # "리뷰 부탁드려요" -> "리뷰하기"; not after a particle ("화요일까지 부탁드립니다")
        if text[: m.start()].endswith(_PARTICLES):
            return None
        return f"{text[: m.start()]}하기"
    m = _KO_REQUEST.search(text)
    if m:
        before = text[: m.start()]
        stem = _from_connective(before)
        return f"{stem}기" if stem else f"{before} 주기"
    m = _KO_DUTY.search(text)
    if m:
        stem = _from_connective(text[: m.start()])
        return f"{stem}기" if stem else None
    for pattern in (_KO_WILL, _KO_LETS):
        m = pattern.search(text)
        if m:
            return _stem_plus_gi(text[: m.start()], attached=False)
    m = _KO_PROMISE.search(text)
    if m:
        return _stem_plus_gi(text[: m.start()], attached=True)
    return None


def _stem_plus_gi(before: str, *, attached: bool) -> str | None:
    """The -기 form from what precedes an ending: with `attached`, the ending's ㄹ (or 을)
    is on the last syllable ("올릴" -> "올리기", "찾을" -> "찾기"); otherwise the stem is
    as written ("공유하" -> "공유하기", "합" of "합시다" -> "하기")."""
    if not before or not is_syllable(before[-1]):
        return None
    for written, stem in _IRREGULAR.items():
        if before.endswith(written):
            return before[: -len(written)] + stem + "기"
    last = before[-1]
    initial, vowel, final = decompose(last)
    if not attached:
        if final == "ㅂ":  # 합(시다), 봅(시다)
            return before[:-1] + compose(initial, vowel) + "기"
        return before + "기"
    if last == "을" and len(before) > 1:  # 찾을게요 (들를게요 is 들르다: below)
        return before[:-1] + "기"
    if final != "ㄹ":
        return None
    if before.endswith(_L_STEMS):
        return before + "기"
    return before[:-1] + compose(initial, vowel) + "기"


# Vowels of the -아/어 form that a contraction changed: 려 (리+어), 봐 (보+아), 꿔 (꾸+어).
_CONTRACTED = {"ㅕ": "ㅣ", "ㅘ": "ㅗ", "ㅝ": "ㅜ", "ㅙ": "ㅚ"}
_EU_STEMS = {"써": "쓰", "꺼": "끄", "떠": "뜨", "커": "크", "모아": "모으", "바꿔": "바꾸"}
_CHANGED_STEMS = {**_IRREGULAR, **_EU_STEMS}


def _from_connective(before: str, *, strict: bool = False) -> str | None:
    """The stem of a verb in its -아/어 form, the last word of `before` ("정리해" ->
    "정리하", "알려" -> "알리", "넣어" -> "넣", "봐" -> "보"); None if it is not one.
    `strict` (before 드리다, which also follows nouns: "사과 드리기", "결과 드리기")
    takes a contracted ㅘ only in "봐"."""
    before = before.rstrip()
    if not before or not is_syllable(before[-1]):
        return None
    for written, stem in _CHANGED_STEMS.items():
        # whole words only: "만들어" is no "들어", "다시 써" is "쓰"
        if before.endswith(written) and (
            len(before) == len(written) or not is_syllable(before[-len(written) - 1])
        ):
            return before[: -len(written)] + stem
    last = before[-1]
    if last == "해":
        return before[:-1] + "하"
    if last == "돼":
        return before[:-1] + "되"
    if last in "아어" and len(before) > 1 and is_syllable(before[-2]):
        return before[:-1]
    initial, vowel, final = decompose(last)
    if not final and vowel in _CONTRACTED and not (strict and vowel == "ㅘ" and last != "봐"):
        return before[:-1] + compose(initial, _CONTRACTED[vowel])
    if not final and vowel in "ㅐㅔ":  # 보내, 세 (세다): the stem itself
        return before
    return None


_EN_LEAD = re.compile(
    r"^(?:(?:ok(?:ay)?|so|and|then|yes|yeah|sure|right|alright|great),?\s+)*"
    r"(?:i'll|i will|i can|i'm going to|i am going to|i'm gonna|let me|we'll|we will|"
    r"we need to|i need to|you need to|need to|can you|could you|would you|will you|"
    r"can we|could we|please|[a-z]+,\s+(?:can|could|would|will) you)\s+(?:please\s+)?",
    re.IGNORECASE,
)
_EN_TAIL = re.compile(r"(?:,?\s+please|,?\s+for me|,?\s+then)$", re.IGNORECASE)


def _english(task: str, due: str | None) -> str:
    """An English task without the speaker's "I'll" or the request's "could you", and
    without the deadline, capitalised; "" when it has neither (kept as written)."""
    text = _PUNCT_END.sub("", task.strip())
    m = _EN_LEAD.match(text)
    if m is None:
        return ""
    text = text[m.end() :]
    if due and len(due) > 2:
        text = re.sub(r"\s*,?\s*(?:by\s+|before\s+|on\s+)?" + re.escape(due) + r"\b", "",
                      text, flags=re.IGNORECASE)  # fmt: skip
    text = _EN_TAIL.sub("", text).strip(" ,")
    if len(text.split()) < 2:
        return ""
    return text[0].upper() + text[1:]
