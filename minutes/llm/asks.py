"""One line, several tasks: a turn that gives two people a task each.

"지환 님이 테스트플라이트 배포해 주시고, 아름 님은 … 올려 주세요" holds two action
items with two owners; asked about as one line, the model wrote one, and the owner
rules could name only one person. A line is cut into asks where a new person is
addressed, or the speaker promises something, after a clause for someone else; each
ask is then written down as a line of its own (same segment, its own text), so each
gets its own owner by the same rules (`minutes.llm.actions.owner_by_form`).

Only a line whose asks each have a commitment or request form and go to different
people is cut, or one that gives one person two tasks of their own: two deadlines
("지터는 내일까지 배포하고요, 락은 … 다음 주 수요일까지 하겠습니다"), or a second
commitment opened by "그리고" / "And" ("I'll write up the notes by end of day. And I'll
talk to legal …"); everything else stays one line, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from minutes.llm.actions import is_candidate, speaker_names
from minutes.llm.candidates import (
    deadline_word,
    form_of,
    has_request,
    has_task_verb,
    without_talk,
)
from minutes.llm.decisions import sentences, task_text
from minutes.llm.people import addressed_in
from minutes.types import Document, ReviewedSegment

# Where a clause may end inside a sentence: a Korean connective after a comma ("봐
# 주시고, …", "정리하고, …"), "그리고" / "and" after a comma, a semicolon.
# A condition on someone else before the speaker's promise ("소윤 님이 초안 써 주시면 제가
# … 검토해서 올릴게요") ends a clause too: both are tasks.
_CLAUSE_BREAK = re.compile(
    r"(?<=[가-힣]고),\s+|(?<=[가-힣]고요),\s+|,\s*(?:그리고|and)\s+|;\s+|(?<=주시면),?\s+(?=제가)",
    re.IGNORECASE,
)
# A request said as a connective ("배포해 주시고") or a condition ("써 주시면"), as the
# request it is ("배포해 주세요").
_KO_CONNECTIVE_REQUEST = re.compile(r"(?:([가-힣])시(?:고|면)|(주)고)$")
_SELF = "\0self"  # who a promise without an addressee is for: the speaker
# A promise that is the speaker's own task, said with who ("제가", "I'll"); a promise
# without it ("… 위주로 볼게요") goes on with the clause around it, and one that only
# mentions someone ("보람 님이 쿼리 짜기 전에 필요하니까 수요일까지 드릴게요") is still
# the speaker's: a person is asked only by a request.
_MINE = re.compile(r"(?<![가-힣])(?:제가|저는|저도|제 쪽|저희가)|\bI(?:'ll| will)\b")


# A second task opened as one ("그리고 제가 …", "And I'll …"); reporting back on the first
# ("그리고 결과 공유드릴게요", "and I'll let you know") is part of it.
_ADDITIVE = re.compile(r"^(?:그리고|또|또한|and|also|plus)\b[,\s]*", re.IGNORECASE)
_REPORT_BACK = re.compile(
    r"공유|알려|말씀드|전달|\b(?:let (?:you|everyone|us) know|get back|report back|update you)\b",
    re.IGNORECASE,
)


@dataclass
class _Ask:
    who: str | None
    pieces: list[str] = field(default_factory=list)
    same_person: bool = False  # cut from the ask before it, for the same person

    @property
    def text(self) -> str:
        return " ".join(as_request(p) for p in self.pieces)


def as_request(clause: str) -> str:
    """A clause ending in a Korean connective as a request ("해 주시고" -> "해 주세요")."""
    body = clause.rstrip(" ,")
    return _KO_CONNECTIVE_REQUEST.sub(lambda m: (m.group(1) or m.group(2)) + "세요", body)


def _who(piece: str, names: Sequence[str], speaker: str | None) -> str | None:
    """Whom a clause is for: the person it addresses, the speaker for a promise, else None
    (a clause that goes on with the ask before it)."""
    if form_of(piece) == "promise" and not has_request(piece):
        return _SELF if _MINE.search(piece) else None
    addressed = addressed_in(piece, names, speaker)
    return addressed[0] if addressed else None


def clauses(text: str) -> list[str]:
    out: list[str] = []
    for sentence in sentences(text):
        out.extend(p.strip() for p in _CLAUSE_BREAK.split(sentence) if p.strip())
    return out


def split_asks(text: str, names: Sequence[str], speaker: str | None) -> list[str]:
    """The asks of one line: several when it gives tasks to different people, else the
    line itself. Clauses after the last ask that ask nothing ("둘 다 30일까지요") belong
    to every ask."""
    body = task_text(text)
    asks: list[_Ask] = []
    for clause in clauses(body):
        who = _who(clause, names, speaker)
        current = asks[-1] if asks else None
        if current is None or (who is not None and current.who not in (None, who)):
            asks.append(_Ask(who, pieces=[clause]))
        elif _another_task(current.text, clause):
            asks.append(_Ask(who or current.who, pieces=[clause], same_person=True))
        else:
            current.who = current.who or who
            current.pieces.append(clause)
    if len(asks) < 2:
        return [text]
    if all(a.who for a in asks):
        if not all(is_candidate(a.text) for a in asks):
            return [text]
    elif not all(a.same_person for a in asks[1:]) or not is_candidate(body):
        return [text]  # one person's tasks: "내일까지 초안 만들고," takes the line's "올릴게요"
    last = asks[-1]
    shared: list[str] = []
    while len(last.pieces) > 1 and form_of(last.pieces[-1]) is None:
        shared.insert(0, last.pieces.pop())
    if not is_candidate(last.text):
        return [text]
    tail = " ".join(shared)
    return [_sentence(a.text) + f" {tail}" if tail else a.text for a in asks]


def _another_task(so_far: str, clause: str) -> bool:
    """True if a clause for the same person as the ask so far is a task of its own: both
    name something to do, and it says a deadline of its own other than the ask's, or it
    opens with "그리고" / "And" and commits to something besides reporting back."""
    if not (has_task_verb(clause) and has_task_verb(so_far)):
        return False
    due, due_so_far = deadline_word(clause), deadline_word(so_far)
    if due and due_so_far and due != due_so_far:
        return True
    return bool(_ADDITIVE.match(clause) and form_of(clause) and not _REPORT_BACK.search(clause))


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def expand_asks(doc: Document, found: Sequence[ReviewedSegment]) -> list[ReviewedSegment]:
    """The candidate lines with each line that gives several people a task cut into its
    asks: copies of the segment (same id and time) holding one ask's text each; a line
    that also asks someone to speak now is asked about without that request."""
    names = speaker_names(doc)
    out: list[ReviewedSegment] = []
    for seg in found:
        text = without_talk(seg.text)  # "하은 님, 타임라인부터 얘기해 주세요" asks no task
        asks = split_asks(text, names, doc.speaker_label(seg.speaker))
        if len(asks) == 1 and text == seg.text:
            out.append(seg)
        else:
            out.extend(replace(seg, text=a) for a in asks)
    return out
