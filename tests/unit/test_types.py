from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
    apply_corrections,
    corrected_text,
)

RAW = "쿠버네티스를 깃허브에 올렸어요"


def corr(
    start: int, end: int, after: str, status: CorrectionStatus = CorrectionStatus.ACCEPTED
) -> Correction:
    return Correction(
        0, start, end, RAW[start:end], after, CorrectionSource.GLOSSARY, status=status
    )


def test_accepted_corrections_apply_and_keep_particles() -> None:
    text = corrected_text(RAW, [corr(0, 5, "Kubernetes"), corr(7, 10, "GitHub")])
    assert text == "Kubernetes를 GitHub에 올렸어요"


def test_proposed_and_rejected_do_not_change_text() -> None:
    cs = [
        corr(0, 5, "Kubernetes", CorrectionStatus.PROPOSED),
        corr(7, 10, "GitHub", CorrectionStatus.REJECTED),
    ]
    assert corrected_text(RAW, cs) == RAW


def test_overlapping_and_stale_corrections_are_ignored() -> None:
    long = corr(0, 5, "Kubernetes")
    inner = corr(2, 4, "XX")
    stale = Correction(
        0, 7, 10, "다른말", "GitHub", CorrectionSource.USER, status=CorrectionStatus.ACCEPTED
    )
    assert corrected_text(RAW, [inner, long, stale]) == "Kubernetes를 깃허브에 올렸어요"


def test_apply_corrections_is_pure() -> None:
    seg = Segment(0, 0.0, 1.0, RAW)
    t = Transcript("ko", 1.0, (seg,))
    cs = [corr(0, 5, "Kubernetes")]
    before = (t.to_dict(), [c.to_dict() for c in cs])
    assert apply_corrections(t, cs) == {0: "Kubernetes를 깃허브에 올렸어요"}
    assert (t.to_dict(), [c.to_dict() for c in cs]) == before


def test_correction_round_trip_and_decide() -> None:
    c = corr(0, 5, "Kubernetes", CorrectionStatus.PROPOSED)
    d = c.decide(CorrectionStatus.REJECTED)
    assert d.decided and d.status is CorrectionStatus.REJECTED and not c.decided
    assert Correction.from_dict(d.to_dict()) == d


def test_document_contract_has_required_fields() -> None:
    seg = Segment(3, 1.0, 2.5, RAW, speaker="SPEAKER_1")
    t = Transcript("ko", 2.5, (seg,), model="base")
    doc = Document.build(
        t,
        [
            Correction(
                3,
                0,
                5,
                "쿠버네티스",
                "Kubernetes",
                CorrectionSource.GLOSSARY,
                status=CorrectionStatus.ACCEPTED,
            )
        ],
        title="회의",
    )
    data = doc.to_contract()
    assert {"language", "duration", "segments", "corrections"} <= data.keys()
    s = data["segments"][0]
    assert {"id", "start", "end", "speaker", "text_raw", "text", "words"} <= s.keys()
    assert s["text_raw"] == RAW and s["text"].startswith("Kubernetes를")
    c = data["corrections"][0]
    assert {
        "segment_id",
        "start_char",
        "end_char",
        "before",
        "after",
        "source",
        "term",
        "score",
        "status",
    } <= c.keys()
    assert Transcript.from_dict({"segments": data["segments"]}).segments[0].text == RAW
