#!/usr/bin/env python3
"""Render a sample Korean+English transcript to DOCX, PDF and PNG for eyeballing.

Usage:
    python scripts/docx_preview.py [OUT_DIR]     # default /tmp/minutes-docx-preview

Needs LibreOffice (``soffice``) and poppler-utils (``pdftoppm``) on PATH; on
Debian/Ubuntu: ``apt-get install --no-install-recommends libreoffice-writer
fonts-noto-cjk poppler-utils``. Prints the paths of the files it wrote.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from minutes.export import export_document
from minutes.types import (
    Correction,
    CorrectionSource,
    CorrectionStatus,
    Document,
    Segment,
    Transcript,
)

_LINES = [
    ("SPEAKER_00", "좋습니다, 그럼 주간 회의 시작하겠습니다. 오늘 안건은 세 가지입니다."),
    ("SPEAKER_00", "첫째 쿠버네티스 클러스터 이전, 둘째 3분기 로드맵, 셋째 채용 현황입니다."),
    ("SPEAKER_01", "클러스터 이전은 계획대로 진행 중이고, 스테이징 환경은 지난주에 끝났습니다."),
    ("SPEAKER_01", "프로덕션은 다음 주 화요일 새벽 두 시에 전환할 예정입니다."),
    ("SPEAKER_02", "Sounds good. Do we have a rollback plan if the ingress controller misbehaves?"),
    ("SPEAKER_01", "네, 롤백 절차는 런북에 정리해 두었고 리허설도 한 번 했습니다."),
    ("SPEAKER_02", "Great. Please share the runbook link in the channel after the meeting."),
    ("SPEAKER_00", "로드맵은 검색 개선과 온보딩 개편이 핵심입니다. 일정은 9월 말까지입니다."),
    ("SPEAKER_02", "For onboarding, the design team will send the first mock-ups by Friday."),
    (
        "SPEAKER_00",
        "채용은 백엔드 두 명, 데이터 엔지니어 한 명 진행 중이고 최종 면접이 남았습니다.",
    ),
]


def sample_document() -> Document:
    """A short bilingual meeting with speakers and one accepted glossary fix."""
    segments = []
    t = 3.0
    for i, (speaker, text) in enumerate(_LINES * 3):
        length = 2.0 + len(text) / 12
        segments.append(Segment(i, round(t, 3), round(t + length, 3), text, (), speaker))
        t += length + 0.6
    transcript = Transcript("ko", round(t + 5, 3), tuple(segments), model="large-v3-turbo")
    raw = _LINES[1][1]
    at = raw.index("쿠버네티스")
    fix = Correction(
        segment_id=1,
        start_char=at,
        end_char=at + len("쿠버네티스"),
        before="쿠버네티스",
        after="Kubernetes",
        source=CorrectionSource.GLOSSARY,
        status=CorrectionStatus.ACCEPTED,
    )
    return Document.build(
        transcript,
        [fix],
        title="주간 엔지니어링 회의 — Weekly Engineering Sync",
        speaker_names={"SPEAKER_00": "김민수", "SPEAKER_01": "이서연", "SPEAKER_02": "Jane Park"},
        created="2024-05-14T10:00:00+09:00",
    )


def convert(docx: Path, out_dir: Path) -> tuple[Path, list[Path]]:
    """Convert a DOCX to PDF with LibreOffice, then the PDF to 80 dpi PNG pages."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        sys.exit("needs soffice (libreoffice-writer) and pdftoppm (poppler-utils) on PATH")
    # A private profile: a running LibreOffice (or a parallel test) would block the default one.
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", "pdf", "--outdir", str(out_dir), str(docx)],
            check=True, capture_output=True, timeout=240,
        )  # fmt: skip
    pdf = out_dir / f"{docx.stem}.pdf"
    prefix = out_dir / docx.stem
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(prefix)], check=True)
    return pdf, sorted(out_dir.glob(f"{docx.stem}-*.png"))


def main() -> None:
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/minutes-docx-preview")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("preview*"):
        old.unlink()
    docx = export_document(sample_document(), "docx", out_dir / "preview.docx")
    pdf, pngs = convert(docx, out_dir)
    print(docx)
    print(pdf)
    for png in pngs:
        print(png)


if __name__ == "__main__":
    main()
