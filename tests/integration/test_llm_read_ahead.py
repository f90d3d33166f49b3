"""Prompts read ahead of their call (`Engine.prefill`, real 0.5B model, llama.cpp).

During a meeting the notes of its last part are read as the transcript grows; the call
after Stop, made after other calls that overwrote llama.cpp's own cache, must read only
what came after, and answer exactly as an engine that read the whole prompt at once.

Exactly: these engines use llama.cpp's unfused attention. With flash attention (the
app's default, faster) llama.cpp's sums depend on how a prompt was cut into batches, so a
prompt read partly ahead, then finished, can differ from one read at once in the last
digits, and greedy decoding of the 0.5B then in a word (measured: a summary that began
otherwise after a cancelled read-ahead). The state kept and restored is the same code
either way, and exact equality is what shows it is neither torn nor stale.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from minutes.llm.engines.base import ChatMessage, Completion, Engine, GenerationOptions
from minutes.progress import Cancelled, CancelToken

pytestmark = [pytest.mark.integration, pytest.mark.slow]

SYSTEM = "You take meeting minutes. Answer in JSON with the keys title and summary."
LINES = [
    "[1] 김지은: 오늘은 다음 주 배포 일정부터 정리하겠습니다.",
    "[2] 박민수: QA는 수요일까지 끝낼 수 있을 것 같아요.",
    "[3] 김지은: 그럼 목요일에 staging 배포하고 금요일에 production으로 가죠.",
    "[4] 이준호: 모니터링 대시보드는 제가 목요일 오전까지 준비하겠습니다.",
    "[5] 박민수: 롤백 절차도 문서로 한번 더 확인해 주세요.",
    "[6] 김지은: 네, 그건 제가 오늘 중으로 공유할게요.",
]
OPTIONS = GenerationOptions(max_tokens=60)


def _notes(lines: list[str]) -> list[ChatMessage]:
    transcript = "\n".join(lines)
    user = f"<transcript>\n{transcript}\n</transcript>\nReply in JSON."
    return [ChatMessage("system", SYSTEM), ChatMessage("user", user)]


def _other(n: int) -> list[ChatMessage]:
    return [ChatMessage("system", "Write the task of this line in JSON."),
            ChatMessage("user", LINES[n])]  # fmt: skip


@pytest.fixture(scope="module")
def engine(gguf_05b: Path) -> Iterator[Engine]:
    from minutes.llm.engines.llamacpp import LlamaCppEngine

    with LlamaCppEngine(gguf_05b, context_size=2048, flash_attention=False) as e:
        yield e


def _fresh(gguf: Path, messages: list[ChatMessage]) -> Completion:
    from minutes.llm.engines.llamacpp import LlamaCppEngine

    with LlamaCppEngine(gguf, context_size=2048, flash_attention=False) as e:
        return e.complete(messages, OPTIONS)


def test_a_prompt_read_ahead_is_read_only_past_what_was_read(
    engine: Engine, gguf_05b: Path
) -> None:
    first = engine.prefill(_notes(LINES[:3]))
    assert first > 0
    grown = engine.prefill(_notes(LINES[:5]))  # the transcript grew: only the new lines
    assert 0 < grown < first
    engine.complete(_other(0), OPTIONS)  # calls between overwrite llama.cpp's own cache
    engine.complete(_other(1), OPTIONS)

    at_stop = engine.complete(_notes(LINES), OPTIONS)
    unread = at_stop.prompt_tokens - at_stop.cached_tokens
    whole = engine.count_tokens(LINES[5])
    assert at_stop.cached_tokens > first, "the read-ahead state was restored"
    assert unread <= whole + 20, "only the last line and the closing words are read"
    assert at_stop.text == _fresh(gguf_05b, _notes(LINES)).text


def test_a_cancelled_read_ahead_keeps_what_it_read_and_nothing_wrong(
    engine: Engine, gguf_05b: Path
) -> None:
    long = _notes([*LINES[:4], "[9] 정리: " + "배포 일정 " * 400])
    held_before = engine.held_tokens(long)
    cancel = CancelToken()
    timer = threading.Timer(1.5, cancel.cancel)  # Stop, while a long prompt is read
    timer.start()
    with pytest.raises(Cancelled):
        engine.prefill(long, cancel=cancel)
    timer.join()
    held = engine.held_tokens(long)
    assert held_before < held < engine.count_tokens(long[1].content), "read until Stop: kept"
    other = [ChatMessage("system", SYSTEM), ChatMessage("user", "\n".join(LINES[2:]))]
    assert engine.complete(other, OPTIONS).text == _fresh(gguf_05b, other).text
