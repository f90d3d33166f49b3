"""Korean decisions in the form minutes write them: "민호 님도 백엔드 온콜에 넣기로 함",
not the sentence as it was said.

A decision found by rule is a sentence of the meeting ("남는 쿠폰은 다음 달 이벤트로 넘기는
걸로 결정하겠습니다"), or an agreement after the proposal it agrees to ("… 백엔드 온콜에
넣으면 어떨까요? → 그렇게 하죠"). Minutes say what was decided, as a short statement ending
in -기로 함 / -기로 결정: "남는 쿠폰은 다음 달 이벤트로 넘기기로 결정", "민호 님도 백엔드
온콜에 넣기로 함". Only forms recognised here are rewritten; any other decision is kept as
said, so nothing said is lost.
"""

from __future__ import annotations

import re

from glossary.hangul import has_hangul

# Between what a decision or task points back to and the decision or task itself.
REFERENT_MARK = " → "
_END = re.compile(r"[\s.!?~…]+$")
# "…는 걸로 결정하겠습니다", "…는 걸로 하죠" (the verb in -는 before it)
_BY_WAY = re.compile(
    r"(?<=[가-힣])는 (?:걸로|것으로) (결정|확정)?(?:하겠습니다|할게요|합시다|하죠|하자|가죠|"
    r"갑시다|정하죠|정했습니다|했습니다)$"
)
# "…로 하죠", "…으로 가죠", "…로 결정하겠습니다": a choice (the endings differ from the
# above as the decision cues of `minutes.llm.decisions` do)
_CHOICE = re.compile(
    r"(?<=[가-힣A-Za-z0-9])(으로|로) (?:결정|확정)?(?:하겠습니다|할게요|합시다|하죠|하자|가죠|"
    r"갑시다|가겠습니다|정하죠)$"
)
# "…는 빼죠", "4.1로 미루죠", "다음 스프린트로 넘기죠"
_LEAVE = re.compile(r"(?<![가-힣])(빼|미루|넘기|보류하|제외하)(?:죠|겠습니다|기로 하죠|기로 해요)$")
# Agreeing to the proposal before it, and nothing else: "좋아요, 그렇게 하죠."
_AGREED = re.compile(
    r"^(?:(?:네|좋아요|좋습니다|그래요|오케이|그럼)[,.\s]+)*그렇게 (?:하죠|합시다|하겠습니다|가죠|"
    r"갑시다|진행하죠|진행하겠습니다|진행합시다)$"
)
# A proposal put as a question: "…넣으면 어떨까요?", "…배포하는 건 어때요?"
_PROPOSED = re.compile(
    r"(?<=[가-힣])(?:으면|면|는 건|는 게|는 걸로 하면|기로 하면) "
    r"(?:어때요|어떨까요|어떻습니까|어떠세요|좋겠어요|좋을 것 같아요|될 것 같아요)$"
)
# The reason or background a Korean request or proposal opens with ("Go 써 보셨다고
# 들었는데, …", "가이드가 필요할 텐데, …"): not part of what is asked or decided.
_BACKGROUND = re.compile(r"^[^,]*?(?:니까|는데|은데|텐데|지만|니까요|는데요),\s+")


_OPENING = re.compile(r"^(?:(?:그럼|그러면|그래서|자|음|아|제안드리면|그리고|그냥)[,\s]+)+")


def without_reason(sentence: str) -> str:
    """A Korean sentence without the reason it opens with (see `_BACKGROUND`)."""
    while (m := _BACKGROUND.match(sentence)) and m.end() < len(sentence):
        sentence = sentence[m.end() :]
    return sentence


def decision_form(text: str, referent: str | None = None) -> str:
    """A Korean decision as minutes write it (see the module's doc); `referent` is the
    sentence it points back to, when it does. Anything not recognised is kept as said,
    the referent before it."""
    said = f"{referent}{REFERENT_MARK}{text}" if referent else text
    if not has_hangul(text):
        return said
    body = _END.sub("", text.strip())
    if referent and _AGREED.match(body):
        proposal = _as_proposed(referent)
        return proposal or said
    decided = _as_decided(body)
    if decided is None:
        return said
    return f"{referent}{REFERENT_MARK}{decided}" if referent else decided


def _as_decided(body: str) -> str | None:
    body = _OPENING.sub("", body)
    m = _BY_WAY.search(body)
    if m:
        return f"{body[: m.start()]}기로 {'결정' if m.group(1) else '함'}"
    m = _LEAVE.search(body)
    if m:
        return f"{body[: m.start()]}{m.group(1)}기로 함"
    m = _CHOICE.search(body)
    if m:
        return f"{body[: m.start()]}{m.group(1)} 결정"
    return None


def _as_proposed(referent: str) -> str | None:
    """The decision a proposal made once agreed: "…넣으면 어떨까요?" -> "…넣기로 함"."""
    text = _OPENING.sub("", without_reason(_END.sub("", referent.strip())))
    m = _PROPOSED.search(text)
    if m is None:
        return None
    # "넣으면 어떨까요", "배포하는 건 어때요", "배포하는 걸로 하면": the stem is before it
    return f"{text[: m.start()]}기로 함"
