"""Frequent Korean words that must never be fuzzy-matched or read as a term.

Sound-alike folding makes short everyday words collide with readings
("그러나" with Grafana, "창고" with Django). These words are so frequent in
speech that even a proposal would be noise, so the matcher skips them unless
the user listed them as a variant explicitly.
"""

from __future__ import annotations

_WORDS = """
    그리고 그러나 그런데 그래서 그러면 그러니까 하지만 그렇지만 그래도 그럼 그냥 근데 아니 아니면
    이제 지금 오늘 내일 어제 이번 다음 지난 먼저 나중 항상 계속 다시 정말 진짜 너무 아주 조금
    많이 제일 가장 같이 함께 혹시 일단 우선 아마 물론 사실 결국 바로 거의 약간 별로 전혀
    우리 저희 여러분 제가 저는 나는 너는 당신 그분 이분 저분 누가 무엇 뭐가 어디 언제 어떻게 왜
    이것 그것 저것 여기 거기 저기 이런 그런 저런 어떤 무슨 모든 다른 이거 그거 저거
    있다 없다 하다 되다 같다 보다 주다 오다 가다 알다 모르다 싶다 네 예 응 아 어 음 그
    사람 사람들 생각 문제 이야기 얘기 시간 부분 경우 정도 때문 다음 회의 일정 자료 내용 결과
    회사 고객 팀장 팀원 담당 작업 업무 확인 진행 준비 공유 검토 정리 요청 의견 질문 답변
    그러나 창고 가지 나라 거리 머리 다리 소리 자리 우리 차이 사이 아이 이유 오이 바다
    """

COMMON_KOREAN: frozenset[str] = frozenset(_WORDS.split())
