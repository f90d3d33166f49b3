"""An action item in the words of the request it answers.

A chair asks "승훈 님은 CI에 커버리지 리포트 붙이는 거 해 주실 수 있어요?" and the owner
answers "네, 제가 할게요. 이번 주 안에 해 둘게요." Asked about the answer, the 1.5B model
writes what the answer says ("하기", "바꾸기", "보고 보드 준비하기"); what is to be done
was said in the request. Where an item's task keeps less than half of what its request
asked for, the request's own words stand in for it, as a to-do ("CI에 커버리지 리포트
붙이기"): the words a minute-taker writes down, not the model's shorthand.

Only a Korean request counts (the model words English tasks well), in the item's first
line or in the line just before an answer of the owner's that names no thing of its own;
and only one that says its task itself (no "그거", "그 건" pointing further back), that
asks the item's owner or nobody in particular (not a request to speak now), and that no
other item was written from. A reason the request opens with ("가이드가 필요할 텐데, …")
is left out. Measured on the 34 Korean dev meetings (`bench.minutes_eval`), action items
matched by wording went from 112 to 120 of 180.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from glossary.hangul import has_hangul
from minutes.llm.actions import speaker_names
from minutes.llm.asks import as_request, clauses, split_asks
from minutes.llm.candidates import has_request, without_talk
from minutes.llm.decision_form import REFERENT_MARK, without_reason
from minutes.llm.decisions import said_deictic, sentences, strip_fillers
from minutes.llm.evidence import heads, words
from minutes.llm.people import TITLES, addressed_in, unmapped_address
from minutes.llm.todo_form import todo_form
from minutes.meeting import ActionItem
from minutes.types import Document

# Below this share of the request's words, the item's task does not say what was asked.
KEPT_OF_REQUEST = 0.5


def in_request_words(doc: Document, item: ActionItem, items: Sequence[ActionItem]) -> ActionItem:
    """`item`, its task written as its request worded it where its own wording leaves out
    most of what was asked (see the module's doc)."""
    found = request_for(doc, item, items)
    if found is None:
        return item
    asked = todo_form(found, item.due)
    # the task after what it points to ("… → 수정해야 할 부분 전달"): the request said it
    own = todo_form(item.text, item.due).rpartition(REFERENT_MARK)[2]
    if asked == found or len(words(asked)) <= len(words(own)):
        return item  # not a request the to-do form reads, or no more words than the task
    # what the request names besides its verb ("당직" of "당직 바꾸기")
    named = heads(" ".join(asked.split()[:-1]))
    if not named or len(named & heads(own)) >= KEPT_OF_REQUEST * len(named):
        return item  # the task says it already
    return ActionItem(asked, item.owner, item.due, item.segment_ids, id=item.id)


def request_for(
    doc: Document, item: ActionItem, items: Sequence[ActionItem] = ()
) -> str | None:
    """The sentences that asked the item's owner for its task, if any (see the module's doc)."""
    if not item.owner or not item.segment_ids:
        return None
    where = {s.id: k for k, s in enumerate(doc.segments)}
    first = where.get(min(item.segment_ids))
    if first is None:
        return None
    others = {i for other in items if other is not item for i in other.segment_ids}
    names = speaker_names(doc)
    for position in (first, first - 1):
        if position < 0 or doc.segments[position].id in others:
            continue
        seg = doc.segments[position]
        asker = doc.speaker_label(seg.speaker)
        if asker is None or asker == item.owner:
            continue
        asked = _ask_of(seg.text, item.owner, names, asker)
        if asked and (position == first or _short_answer(doc, first, item.owner, asked)):
            return asked
    return None


def _short_answer(doc: Document, position: int, owner: str, request: str) -> bool:
    """True if the line is the owner's and names no thing of its own: no topic or object
    ("리팩터링은", "문서를") that the request did not name ("네, 제가 할게요. 이번 주 안에 해
    둘게요", "제가 바꿔 드릴게요")."""
    seg = doc.segments[position]
    if doc.speaker_label(seg.speaker) != owner:
        return False
    asked = words(request)
    return all(
        not words(m.group(1)) or words(m.group(1)) <= asked for m in _NAMED.finditer(seg.text)
    )


# A thing named as topic or object ("결제 모듈 리팩터링은", "문서를"); not a pronoun or the
# speaker ("그건", "저는").
_NAMED = re.compile(r"(?<![가-힣])(?!(?:저|제|그거|이거|그것|이것|그|이)[은는을를])"
                    r"([가-힣A-Za-z0-9]+?)(?:은|는|을|를)(?![가-힣])")  # fmt: skip


def _ask_of(text: str, owner: str, names: Sequence[str], asker: str) -> str | None:
    """The request sentences of the one ask in `text` that goes to `owner` or to nobody
    named, when they say what to do without pointing back."""
    asks = split_asks(without_talk(text), names, asker)  # "준호 님부터 얘기해 주세요" asks no task
    for ask in asks:
        requests = [without_reason(strip_fillers(s)) for s in sentences(ask) if has_request(s)]
        if len(requests) != 1 or not has_hangul(requests[0]):
            continue  # English tasks the model words well; "Can you hear us?" asks nothing
        if said_deictic(requests[0]):
            continue  # "그거 맡아 주세요": the task is further back; "그 알람" names it
        if _SEVERAL.search(requests[0]):
            # "현 님은 … 넣어 주시고, 태윤 님은 … 만들어 주세요": the owner's clause alone
            theirs = [c for c in clauses(requests[0])
                      if addressed_in(c, names, asker)[:1] == [owner]]  # fmt: skip
            if len(theirs) != 1:
                continue
            requests = [as_request(theirs[0])]
        addressed = addressed_in(requests[0], names, asker)
        # the first person named is the one asked ("다인 님이 … 성호 씨한테 넘겨 주세요")
        if addressed[:1] not in ([owner], []) or (not addressed and len(asks) > 1):
            continue
        elsewhere = unmapped_address(requests[0])
        if not addressed and elsewhere and elsewhere not in TITLES:
            continue  # asks a person not among the speakers ("보경 님은 …")
        return _DETERMINER.sub("", requests[0])
    return None


_SEVERAL = re.compile(r"주시고|주시면|해 주고")
_DETERMINER = re.compile(r"(?<![가-힣])그 (?=[가-힣A-Za-z])")
