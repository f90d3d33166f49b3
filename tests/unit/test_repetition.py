import pytest

from minutes.repetition import cut_repetitions, is_hallucination


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("네 네 네 네", "네 네 네 네"),  # natural back-channel
        ("네 " * 12, "네 네"),
        ("그래서 저희가 " * 6 + "배포를 했어요", "그래서 저희가 배포를 했어요"),
        ("ㅋ" * 30 + " 좋아요", "ㅋㅋ 좋아요"),
        ("I think we should I think we should go", "I think we should I think we should go"),
        ("We need the GPU GPU budget", "We need the GPU GPU budget"),
    ],
)
def test_cut_repetitions(text: str, expected: str) -> None:
    assert cut_repetitions(text.strip()) == expected


def test_hallucinations() -> None:
    assert is_hallucination("자막 제공 및 자막 편집: 배달의 민족")
    assert is_hallucination("시청해주셔서 감사합니다.", no_speech_prob=0.5)
    assert not is_hallucination("시청해주셔서 감사합니다.", no_speech_prob=0.01, avg_logprob=-0.2)
    assert not is_hallucination("쿠버네티스 클러스터를 올렸습니다")
    assert is_hallucination("...")
