"""Merging the notes of several parts into one `Minutes` (near-duplicates folded)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rapidfuzz import fuzz

from minutes.llm.templates import Template
from minutes.meeting import ActionItem, Minutes, Note, Topic
from minutes.types import Document


def similar(a: str, b: str, threshold: float = 85) -> bool:
    return fuzz.token_set_ratio(a.casefold(), b.casefold()) >= threshold


def _merge_notes(items: Sequence[Note]) -> tuple[Note, ...]:
    out: list[Note] = []
    for item in items:
        for k, kept in enumerate(out):
            if similar(kept.text, item.text):
                ids = tuple(dict.fromkeys((*kept.segment_ids, *item.segment_ids)))
                out[k] = Note(kept.text, ids)
                break
        else:
            out.append(item)
    return tuple(out)


def merge_actions(items: Sequence[ActionItem]) -> tuple[ActionItem, ...]:
    out: list[ActionItem] = []
    for item in items:
        for k, kept in enumerate(out):
            if similar(kept.text, item.text) and (
                not kept.owner or not item.owner or kept.owner == item.owner
            ):
                out[k] = ActionItem(
                    kept.text,
                    kept.owner or item.owner,
                    kept.due or item.due,
                    tuple(dict.fromkeys((*kept.segment_ids, *item.segment_ids))),
                    id=kept.id,
                )
                break
        else:
            out.append(item)
    return tuple(out)


_ACK = re.compile(
    r"^(?:네|넵|예|알겠습니다|알겠어요|좋아요|그럼|yes|yeah|yep|sure|will do|okay|ok|got it)\b",
    re.IGNORECASE,
)
_DUE_ENDINGS = ("까지", "전까지", "안에", "안으로", "중으로", "중", "에")


def due_key(due: str | None) -> str:
    """A deadline without particles and spacing: "다음 주 금요일까지" -> "다음주금요일"."""
    text = (due or "").casefold().strip()
    text = re.sub(r"^(?:by|before|until|on)\s+", "", text)
    if re.match(r"그\s?때|then\b", text):  # "그때까지": the deadline just said
        return ""
    for ending in sorted(_DUE_ENDINGS, key=len, reverse=True):
        if text.endswith(ending) and len(text) > len(ending):
            text = text[: -len(ending)]
            break
    return re.sub(r"\W+", "", text)


def fold_repeats(
    items: Sequence[ActionItem],
    acknowledgements: Sequence[int] = (),
    gap: int = 2,
    dated: Sequence[int] | None = None,
) -> tuple[ActionItem, ...]:
    """Fold an action item said twice in a row into one.

    A chair's request and the owner's reply ("준호 님이 … 내일까지 파악해 주세요"
    - "네, 내일까지 확인해 볼게요") give two items of one task. Two items fold
    when they have the same owner, come from lines at most `gap` segments apart,
    and have the same deadline, or much the same words, or the later line is an
    acknowledgement (its segment id in `acknowledgements`) without another
    deadline: one it says itself, where `dated` lists the lines that say one (the model
    writes the request's deadline into a bare "네, 제가 할게요" in words of its own).
    The longer wording is kept.
    """
    ack = set(acknowledgements)
    says_due = None if dated is None else set(dated)
    out: list[ActionItem] = []
    for item in items:
        # the item just before, or the one before it when a line gave two people a task
        # each ("소윤 님이 초안 써 주시면 제가 검토해서 올릴게요" - "초안은 한 시간 안에
        # 보내 드릴게요")
        k = next((k for k in range(len(out) - 1, max(len(out) - 3, -1), -1)
                  if _repeats(out[k], item, ack, gap, says_due)), None)  # fmt: skip
        if k is not None:
            prev = out[k]
            text = prev.text if len(prev.text) >= len(item.text) else item.text
            out[k] = ActionItem(
                text,
                prev.owner,
                prev.due or item.due,
                tuple(dict.fromkeys((*prev.segment_ids, *item.segment_ids))),
                id=prev.id,
            )
        else:
            out.append(item)
    return tuple(out)


def _repeats(
    a: ActionItem, b: ActionItem, ack: set[int], gap: int, says_due: set[int] | None
) -> bool:
    if not a.owner or a.owner != b.owner or not a.segment_ids or not b.segment_ids:
        return False
    if not 0 < min(b.segment_ids) - max(a.segment_ids) <= gap:
        return False
    ka, kb = due_key(a.due), due_key(b.due)
    if ka and ka == kb:
        return True
    if similar(a.text, b.text, 60):
        return True
    # an acknowledgement repeats the request unless it names another deadline
    if not set(b.segment_ids) & ack:
        return False
    if says_due is not None and not set(b.segment_ids) & says_due:
        return True
    return not kb or not ka or ka in kb or kb in ka


def acknowledgements(doc: Document) -> list[int]:
    """Segments that open with an acknowledgement ("네, …", "Yeah, …")."""
    return [s.id for s in doc.segments if _ACK.search(s.text.strip())]


def dated(doc: Document) -> list[int]:
    """Segments that say a deadline ("네, 금요일까지 할게요", "by Friday")."""
    from minutes.llm.candidates import says_when

    return [s.id for s in doc.segments if says_when(s.text)]


def _merge_topics(items: Sequence[Topic]) -> tuple[Topic, ...]:
    out: list[Topic] = []
    for item in items:
        for k, kept in enumerate(out):
            if similar(kept.title, item.title, 90):
                points = tuple(dict.fromkeys((*kept.points, *item.points)))
                ids = tuple(dict.fromkeys((*kept.segment_ids, *item.segment_ids)))
                out[k] = Topic(kept.title, points, ids)
                break
        else:
            out.append(item)
    return tuple(out)


def _echoes(text: str, others: Sequence[str]) -> bool:
    """True if `text` mostly repeats one of `others` (or the other way round)."""
    return any(o and fuzz.partial_ratio(text.casefold(), o.casefold()) >= 85 for o in others)


def assemble(
    doc: Document,
    template: Template,
    language: str,
    notes: list[dict[str, Any]],
    title: str,
    summary: str,
    model: str,
    prompts: list[str],
    actions: list[ActionItem],
) -> Minutes:
    topics = _merge_topics([t for n in notes for t in n["topics"]])
    decisions = _merge_notes([d for n in notes for d in n["decisions"]])
    merged_actions = merge_actions([*(a for n in notes for a in n["action_items"]), *actions])
    questions = _merge_notes([q for n in notes for q in n["open_questions"]])
    # Small models fill every field, often by repeating the summary; an echo is not a
    # decision or a question, so it goes.
    said = [summary, *(p for t in topics for p in t.points)]
    decisions = tuple(d for d in decisions if not _echoes(d.text, said))
    questions = tuple(
        q for q in questions if not _echoes(q.text, [*said, *(d.text for d in decisions)])
    )
    cited = {
        i
        for group in (topics, decisions, merged_actions, questions)
        for x in group
        for i in x.segment_ids
    }
    starts = {s.id: s.start for s in doc.segments if s.id in cited}
    attendees: dict[str, None] = {}
    for s in doc.segments:
        label = doc.speaker_label(s.speaker)
        if label and s.text.strip():
            attendees.setdefault(label, None)
    return Minutes(
        title=title,
        date=doc.created,
        attendees=tuple(attendees),
        summary=summary,
        topics=topics,
        decisions=decisions,
        action_items=merged_actions,
        open_questions=questions,
        language=language,
        template=template.name,
        model=model,
        prompts=tuple(prompts),
        created=datetime.now().astimezone().isoformat(timespec="seconds"),
        source_duration=doc.duration,
        segment_starts=starts,
    )
