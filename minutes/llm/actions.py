"""Action items: a rule-based finder picks candidate lines, the model judges them.

Reading a whole meeting and listing its tasks is beyond a 1.5B model (it
lists a few and invents some); judging one line at a time - "is this a
promise or a request, and if so what, who, by when?" - it does well. So:

1. `candidates` finds lines with a commitment or request form: Korean
   endings (-겠습니다, -ㄹ게요, -주세요/-주십시오, -ㅂ시다/-자, -기로 했다,
   imperative -세요), English forms ("I'll", "let's", "please", "need
   to", "by Friday"), and stated deadlines. It errs on the side of recall.
2. `minutes.llm.candidates.rank_candidates` keeps the likeliest ~20 (cue
   score: form, deadline, owner, task verb; near-duplicates folded).
3. The model writes each one down, one line per call (``minutes_actions``):
   given who is present, the line before and the line, it returns task,
   owner and deadline. The score decides what is an action item: the 1.5B
   model's own yes/no carried no information. In batches of ten lines it
   answered for the wrong line and copied tasks between lines; one line per
   call costs little more, because the fixed instructions come first and
   llama.cpp reuses their cached prefix from call to call. The owner then
   follows from the line's form (`owner_by_form`) where that is clear.
4. A kept task must share words with its line and context, and a deadline
   must have been said there (no invention).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from typing import Any

from glossary.hangul import final_of
from minutes.llm.candidates import (
    FORMULA,
    form_of,
    has_request,
    is_time_phrase,
    withdrawn,
    without_talk,
)
from minutes.llm.decision_form import REFERENT_MARK
from minutes.llm.decisions import (
    is_decision,
    points_back,
    referent,
    said_deictic,
    sentences,
    strip_fillers,
    task_text,
)
from minutes.llm.errors import LlmError
from minutes.llm.evidence import clean_value, support
from minutes.llm.people import TITLES, addressed_in, canonical_owner, unmapped_address
from minutes.llm.prompts import Prompt
from minutes.meeting import ActionItem
from minutes.types import Document, ReviewedSegment

_KO_FIXED = re.compile(
    r"겠습니다|겠어요|겠습니까|주세요|주십시오|주시겠|주실래요|줄래요|기로 (?:했|하)|"
    r"하도록 (?:합시다|하겠|해)|까지|해야 (?:해|합니다|돼)|도록 하세요|"
    r"부탁(?:해요|드려요|드립니다|할게요|드릴게요)|(?<![가-힣])줘요|주실 수 있|줄 수 있"
)
_KO_IMPERATIVE = re.compile(r"[가-힣](?:세요|십시오)(?=[\s.!~]|$)")
_KO_LETS = re.compile(r"([가-힣])(?:시다|자)(?=[\s.!~]|$)")
_KO_PROMISE = re.compile(r"([가-힣])게요|([가-힣])게(?=[\s.!~]|$)")
_EN = re.compile(
    r"\b(?:i'll|i will|we'll|we will|let's|let us|i'm going to|we're going to|need to|needs to|"
    r"have to|has to|must|can you|could you|would you|please|make sure|follow up|"
    r"take care of|action item|deadline|by (?:monday|tuesday|wednesday|thursday|friday|"
    r"saturday|sunday|tomorrow|next|the end))\b",
    re.IGNORECASE,
)
_QUESTION = re.compile(r"\?\s*$")


def is_candidate(text: str) -> bool:
    """True if the text has a commitment, request, proposal or deadline form."""
    if _KO_FIXED.search(text) or _EN.search(text):
        return True
    for m in _KO_IMPERATIVE.finditer(text):
        # "오세요." is a request; "있으세요?" is a polite question.
        if not _QUESTION.match(text[m.end() : m.end() + 2]):
            return True
    for m in _KO_LETS.finditer(text):
        if m.group(0).endswith("자") or final_of(m.group(1)) == "ㅂ":  # 하자 / 합시다
            return True
    for m in _KO_PROMISE.finditer(text):
        syllable = m.group(1) or m.group(2)
        if final_of(syllable) == "ㄹ":  # 할게요, 드릴게요, 갈게
            return True
    return False


def candidates(doc: Document) -> list[ReviewedSegment]:
    """Segments whose reviewed text may hold an action item.

    Sentences that state a decision do not count (`task_text`), nor do requests to
    speak now (`without_talk`), nor does a task taken back or turned down at once
    (`withdrawn`).
    """
    return [
        s
        for i, s in enumerate(doc.segments)
        if s.text.strip()
        and is_candidate(without_talk(task_text(s.text)))
        and not withdrawn(doc, i)
    ]


# Endings a deadline phrase may carry that the transcript may word differently
# ("금요일까지" said as "금요일에"); longest first.
_DUE_PARTICLES = (
    "전까지",
    "안으로",
    "이내로",
    "까지",
    "안에",
    "내로",
    "이내",
    "전에",
    "에는",
    "에",
    "중",
)


def said(phrase: str, context: str) -> bool:
    """True if a short phrase (a deadline) was said in the context.

    Its numbers must all occur there, and either most of its words do or
    the phrase itself does, spacing aside and starting at a word: Korean
    attaches particles, so "다음 주" is said as "다음 주까지", whose
    two-syllable pieces ("주까", "까지") never hold "주".
    """
    if not all(d in context for d in re.findall(r"\d+", phrase)):
        return False
    if support(phrase, context) >= 0.6:
        return True
    wanted = _strip_particle("".join(_WORDS.findall(phrase.casefold())))
    if not wanted:
        return False
    joined = ""
    starts: list[int] = []
    ends: set[int] = set()
    for word in _WORDS.findall(context.casefold()):
        starts.append(len(joined))
        joined += word
        ends.add(len(joined))
    for start in starts:
        if joined.startswith(wanted, start):
            end = start + len(wanted)
            # a Latin phrase must end at a word's end ("fri" is not "friday")
            if wanted[-1] >= "\uac00" or end in ends:
                return True
    return False


_WORDS = re.compile(r"[가-힣]+|[a-z0-9]+")


def _strip_particle(word: str) -> str:
    for ending in _DUE_PARTICLES:
        if word.endswith(ending) and len(word) > len(ending):
            return word[: -len(ending)]
    return word


def _position(doc: Document, seg: ReviewedSegment) -> int:
    """Where `seg` is in the meeting (its neighbours are the context of a line)."""
    return next(i for i, s in enumerate(doc.segments) if s.id == seg.id)


def line_values(doc: Document, seg: ReviewedSegment) -> dict[str, str]:
    """The ``minutes_actions`` placeholders of one candidate: people, line before, the line."""
    names = speaker_names(doc)
    position = _position(doc, seg)
    before = _said(doc, doc.segments[position - 1]) if position > 0 else "(start of the meeting)"
    return {
        "people": ", ".join(names) if names else "(not named)",
        "before": before,
        # without its decision sentences: the model wrote "결정" lines up as tasks
        "line": _said(doc, seg, task_text(seg.text)),
    }


def speaker_names(doc: Document) -> list[str]:
    """The meeting's speaker names, in order of first appearance."""
    found = (doc.speaker_label(s.speaker) for s in doc.segments if s.speaker)
    return list(dict.fromkeys(n for n in found if n))


def _said(doc: Document, seg: ReviewedSegment, text: str | None = None) -> str:
    who = doc.speaker_label(seg.speaker)
    text = " ".join((seg.text if text is None else text).split())
    return f"{who}: {text}" if who else text


def line_schema(prompt: Prompt, names: Sequence[str]) -> dict[str, Any]:
    """The reply schema, with the owner limited to the speakers' names (or empty) when known.

    A free owner field let the small model write a role ("고객") or a name
    from elsewhere; the enum makes it pick one of the people present.
    """
    if not prompt.schema or "owner" not in prompt.schema.get("properties", {}):
        raise LlmError(f"prompt {prompt.id}: schema lacks an owner")
    schema: dict[str, Any] = copy.deepcopy(dict(prompt.schema))
    schema.pop("$comment", None)
    if names:
        schema["properties"]["owner"] = {"enum": [*names, ""]}
    return schema


def without_owner(schema: dict[str, Any]) -> dict[str, Any]:
    """The reply schema for a line whose owner the rules decide: the model writes
    only task and deadline (fewer tokens to generate, one call per line)."""
    out = copy.deepcopy(schema)
    out["properties"].pop("owner", None)
    out["required"] = [k for k in out.get("required", []) if k != "owner"]
    return out


def owner_decided(doc: Document, seg: ReviewedSegment) -> bool:
    """True if `owner_by_form` settles who does the line's task (the model need not say)."""
    return owner_by_form(doc, _position(doc, seg), seg.text)[0]


# A model's task this short that the line does not support is a clipped verb, not an
# invention ("돌리기", "확인"): the line's own words stand in for it.
SHORT_TASK = 10


# The words a Korean request or promise ends with; a task of nothing else ("확인해
# 주세요", "예약해 주세요", "할게요") is a clipped verb with its object left in the line.
_AUXILIARIES = frozenset(
    ("주세요", "줘요", "주기", "드릴게요", "드리기", "볼게요", "보기", "할게요", "하기", "해요",
     "하세요", "할까요")
)  # fmt: skip


_LIGHT_VERBS = frozenset(("해", "봐", "해서", "좀"))


def clipped(task: str) -> bool:
    """True if a Korean task is only a verb: "확인해 주세요" says nothing of what to check."""
    words = task.strip(" .!?").split()
    if not words or not all("\uac00" <= ch <= "\ud7a3" for ch in "".join(words)):
        return False
    if len(words) == 1 and words[0].endswith("요"):
        return True
    # "업데이트 해 주세요", "확인해 주세요": without its auxiliaries, one word is left
    core = list(words)
    while len(core) > 1 and (core[-1] in _AUXILIARIES or core[-1] in _LIGHT_VERBS):
        core.pop()
    return len(core) == 1 and len(words) > 1


def line_task(text: str) -> str:
    """The task sentences of a line, without decisions and leading fillers
    ("네, 월요일 오전까지 보내 드릴게요." -> "월요일 오전까지 보내 드릴게요.")."""
    parts = [s for s in sentences(task_text(text)) if is_candidate(FORMULA.sub(" ", s))]
    return " ".join(strip_fillers(s) for s in parts).strip()


def item_from_reply(
    data: dict[str, Any], doc: Document, seg: ReviewedSegment, min_support: float
) -> tuple[ActionItem | None, bool]:
    """The action item of one judged line (None if not one), and whether it was dropped
    as unsupported by the line and its neighbours."""
    if data.get("action") is False:  # a prompt that lets the model reject the line
        return None, False
    task = clean_value(data.get("task"))
    if not task:
        return None, False
    position = _position(doc, seg)
    context = " ".join(s.text for s in doc.segments[max(0, position - 1) : position + 2])
    if support(task, context) < min_support:
        if len(task) > SHORT_TASK:
            return None, True
        # "돌리기" for "금요일까지 제가 … 회귀 테스트 한 번 더 돌릴게요": too short to check
        # or to read; the line, which the cue score made an action item, says it.
        task = line_task(seg.text) or task
    elif clipped(task) or not_a_task(task):
        # supported, but what is to be done is in the line, not the task: a bare verb, the
        # question or decision of the line before ("마케팅팀에 … 다시 돌릴까요?")
        task = line_task(seg.text) or task
    task = with_referent(_VOCATIVE.sub("", task) or task, doc, position, seg.text)
    due = clean_value(data.get("due"))
    if due and not (is_time_phrase(due) and said(due, context)):
        due = None  # not a time, or one nobody said here (small models copy a clause)
    decided, owner = owner_by_form(doc, position, seg.text)
    if not decided:
        owner = canonical_owner(clean_value(data.get("owner")), speaker_names(doc))
    return ActionItem(task, owner, due, (seg.id,)), False


# A task the model wrote with the line's address in front ("표재웅 님, 지표 정의서 쓰기"),
# or with the speaker as the prompt shows the line ("배성호: 스크립트 점검해 주세요").
_VOCATIVE = re.compile(
    r"^[가-힣]{1,4}\s?(?:님|씨)(?:께서|이|가|은|는)?,\s*|^[A-Z][a-z]+,\s+"
    r"|^[^\s:]{1,12}(?:\s[^\s:]{1,12})?:\s+"
)


def not_a_task(task: str) -> bool:
    """True if what the model wrote is a question or a decision, not something to do."""
    return task.rstrip().endswith("?") or "결정" in task or is_decision(task)


def with_referent(task: str, doc: Document, position: int, line: str) -> str:
    """A task whose line points back ("그거 제가 내일까지 볼게요", "지후 님이 그 알람 추가해
    주세요") and that does not say what it points to, written after what it points to:
    "결제 모듈 PR 리뷰가 밀려 있어요 → 그거 보기"."""
    said = sentences(line)
    first = next((k for k, s in enumerate(said) if said_deictic(s, determiners=True)), None)
    if first is None:  # the model's own pronoun, not the line's
        return task
    text, _cited = referent(doc, position, said[:first], questions=False)
    if not text or (not points_back(task) and support(task, text) >= _NAMES_REFERENT):
        return task
    return f"{text}{REFERENT_MARK}{task}"


# Share of a task's words found in the sentence its line points to, from which on the
# model is taken to have said what "그거" was.
_NAMES_REFERENT = 0.5


def borrowed(
    item: ActionItem, doc: Document, seg: ReviewedSegment, written: set[int], min_support: float
) -> bool:
    """True if an item's task comes from the line before, not from its own line,
    and that line has an item of its own (its segment id in `written`).

    Given "Thanks. Meanwhile I'll keep going on the templates." after "I'll ping
    marketing about the copy", the model wrote the ping again, for the wrong person;
    a reply "네, 내일까지 확인해 볼게요" repeats the request before it. Where the line
    before got no item (the model wrote the task of the line before that, "승훈 님은 CI에
    커버리지 리포트 붙이는 거 해 주실 수 있어요?" given after 도현's promise), the reply's
    "커버리지 리포트 붙이기" is the only item of that request and stays.
    """
    position = _position(doc, seg)
    if position == 0 or doc.segments[position - 1].id not in written:
        return False
    return support(item.text, seg.text) < min_support


def owner_by_form(
    doc: Document, position: int, part: str | None = None
) -> tuple[bool, str | None]:
    """Who does the task of a diarized line, from its form: (decided, owner).

    A promise is the speaker's; a request falls to the participant it names,
    else to a person it addresses by name ("민수 씨가"), else to the one who
    spoke just before or after (the listener); a proposal ("let's") is
    everyone's (no single owner). Undecided without speakers or a clear form:
    then the model's answer stands. `part` is the part of the line asked about when
    it gives several people a task (`minutes.llm.asks`); by default the whole line.
    """
    seg = doc.segments[position]
    speaker = doc.speaker_label(seg.speaker)
    text = task_text(seg.text if part is None else part)
    # a clause cut from one person's two tasks ("지터는 내일까지 배포하고요,") has the
    # form its sentence ends with
    form = form_of(text) or (form_of(task_text(seg.text)) if part is not None else None)
    if speaker is None or form is None:
        return False, None
    names = speaker_names(doc)
    # Addressed by full name, given name + 님/씨/title, or first name: "준호 님이 … 봐 주세요";
    # in the sentence that asks, where there is one: "고마워요 태양 씨. 그럼 예린 과장님이 …
    # 알려 주세요" is 예린's task, not 태양's.
    asking = " ".join(s for s in sentences(text) if has_request(s)) or text
    named = addressed_in(asking, names, speaker)
    if form == "promise" and not (named and has_request(text)):
        return True, speaker
    if form == "proposal":
        return True, None
    if named:
        return True, named[0]
    addressed = unmapped_address(asking)
    others = [n for n in names if n != speaker]
    if addressed in TITLES and len(others) == 1 and f"{addressed}께서" not in asking:
        # "과장님이 맡아 줄 수 있어요?" in a 1:1 asks the other one; "팀장님께서" is
        # someone spoken of, not to
        return True, others[0]
    spoken_to = addressed in TITLES and f"{addressed}께서" not in asking
    if spoken_to and position + 1 < len(doc.segments):
        # "과장님, … 보내 주실 수 있을까요?" - "네, 제가 정리해서 보내 드릴게요": with several
        # people present, the title is whoever answers
        answer = doc.speaker_label(doc.segments[position + 1].speaker)
        if answer and answer != speaker:
            return True, answer
    if addressed:  # a request to a named person outside the speaker list is theirs
        return True, addressed
    for other in (position - 1, position + 1):
        if 0 <= other < len(doc.segments):
            listener = doc.speaker_label(doc.segments[other].speaker)
            if listener and listener != speaker:
                return True, listener
    return False, None
