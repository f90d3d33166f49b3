# ruff: noqa: E501  (a translation table reads best one entry a line)
"""Rebuild the Korean translation: `python -m ui.i18n.build`.

Runs pyside6-lupdate over ui/ (source strings in English), fills in the
Korean below, adds strings that are translated at run time from tables
(column headers), and compiles minutes_ko.qm with pyside6-lrelease.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
UI = FOLDER.parent

KO = {
    "&Edit": "편집(&E)", "&File": "파일(&F)", "&Record": "녹음(&R)",
    "A recording is running. Stop it and quit?": "녹음 중입니다. 녹음을 멈추고 종료할까요?",
    "Accept": "적용", "Accept all of term": "이 용어 모두 적용", "Add": "추가",
    "Add to glossary": "용어집에 추가",
    "Add “{before}” as a variant of the glossary term “{after}”?":
        "“{before}”을(를) 용어 “{after}”의 변형으로 용어집에 추가할까요?",
    "App language": "앱 언어", "Applying glossary": "용어집 적용 중",
    "Audio/video ({p})": "오디오/비디오 ({p})", "CSV (*.csv);;JSON (*.json)": "CSV (*.csv);;JSON (*.json)",
    "CTranslate2 Whisper model folder": "CTranslate2 Whisper 모델 폴더", "Cancel": "취소",
    "Cancelled; finished work is kept.": "취소했습니다. 끝난 작업은 보존됩니다.",
    "Cannot export: {e}": "내보낼 수 없습니다: {e}",
    "Cannot import {file}: {e}": "{file}을(를) 가져올 수 없습니다: {e}",
    "Cannot save the review: {e}": "검토 내용을 저장할 수 없습니다: {e}",
    "Change {n} of {total}: “{before}” → “{after}” · {source} · score {score} · {status}":
        "변경 {n}/{total}: “{before}” → “{after}” · {source} · 점수 {score} · {status}",
    "Choose…": "선택…", "Close": "닫기", "Delete": "삭제", "Delete meeting": "회의 삭제",
    "Delete terms": "용어 삭제", "Delete {n} term(s): {names}?": "용어 {n}개를 삭제할까요: {names}?",
    "Delete “{title}” with its audio and transcript? This cannot be undone.":
        "“{title}”의 녹음과 전사를 삭제할까요? 되돌릴 수 없습니다.",
    "Detect": "자동 감지", "Dismiss": "닫기",
    "Double-click a cell to edit. Separate variants with |.":
        "셀을 두 번 눌러 편집합니다. 변형은 |로 구분합니다.",
    "Edit segment": "구간 편집", "Export": "내보내기", "Export folder": "내보낼 폴더",
    "Export glossary": "용어집 내보내기", "Exporting": "내보내는 중", "Exporting…": "내보내는 중…",
    "Export…": "내보내기…", "File name": "파일 이름", "Finishing…": "마무리하는 중…",
    "Folder": "폴더", "Formats": "형식", "Glossary": "용어집",
    "Glossary (*.csv *.tsv *.txt *.json)": "용어집 (*.csv *.tsv *.txt *.json)",
    "Glossary update": "용어집 갱신", "Import CSV/JSON…": "CSV/JSON 가져오기…",
    "Import glossary": "용어집 가져오기", "Import recording": "녹음 파일 가져오기",
    "Import recording…": "녹음 파일 가져오기…", "Input": "입력", "Input device": "입력 장치",
    "Library": "회의 목록", "Live transcript": "실시간 전사", "Loading model": "모델 불러오는 중",
    "Local folder…": "로컬 폴더…", "Meeting language": "회의 언어",
    "Meeting title (optional)": "회의 제목 (선택)", "Meetings folder": "회의 폴더",
    "Model: {model}": "모델: {model}", "New term, e.g. Kubernetes": "새 용어, 예: Kubernetes",
    "Next ▶": "다음 ▶", "No changes in this meeting.": "이 회의에는 변경 사항이 없습니다.",
    "No input device found. Connect a microphone.": "입력 장치가 없습니다. 마이크를 연결하세요.",
    "No meeting open. Pick one in the library.": "열린 회의가 없습니다. 회의 목록에서 고르세요.",
    "Not transcribed": "전사 안 됨", "Open": "열기",
    "Open a transcribed meeting in Review first.": "먼저 검토 화면에서 전사된 회의를 여세요.",
    "Open folder": "폴더 열기",
    "Pass glossary terms to Whisper as hints": "용어집 용어를 Whisper 힌트로 전달",
    "Pause": "일시 정지", "Pause/resume": "일시 정지/계속", "Paused.": "일시 정지됨.",
    "Play": "재생", "Quit": "종료", "Ready. Press Record or Ctrl+R.": "준비됨. 녹음 또는 Ctrl+R을 누르세요.",
    "Record": "녹음", "Recording": "녹음",
    "Recording… audio is saved to disk as it is captured.": "녹음 중… 소리는 녹음되는 즉시 디스크에 저장됩니다.",
    "Recover recording": "녹음 복구", "Redo": "다시 실행", "Refresh": "새로 고침",
    "Reject": "거부", "Reject all of term": "이 용어 모두 거부", "Rename": "이름 바꾸기",
    "Resume": "계속", "Review": "검토", "Search terms, variants, notes…": "용어, 변형, 메모 검색…",
    "Search titles and transcripts…": "제목과 전사 내용 검색…", "Settings": "설정",
    "Settings…": "설정…", "Speech model": "음성 인식 모델", "Start/stop recording": "녹음 시작/정지",
    "System default": "시스템 기본값", "Teach glossary this change": "이 변경을 용어집에 학습",
    "The live transcript appears here while you record.": "녹음하는 동안 실시간 전사가 여기에 나타납니다.",
    "The recording “{t}” was not stopped properly (crash or power loss). Recover it and transcribe it?":
        "녹음 “{t}”이(가) 제대로 끝나지 않았습니다(비정상 종료 또는 정전). 복구해서 전사할까요?",
    "Title": "제목", "Transcribing": "전사 중", "Undo": "실행 취소",
    "Wrote {n} file(s) to {folder}": "{folder}에 파일 {n}개를 저장했습니다",
    "Your glossary file cannot be read: {e}": "용어집 파일을 읽을 수 없습니다: {e}",
    "base (embedded, multilingual)": "base (내장, 다국어)", "minutes": "minutes",
    "tiny.en (embedded, English, faster)": "tiny.en (내장, 영어, 더 빠름)",
    "{n} terms": "용어 {n}개", "{title} — not transcribed yet": "{title} — 아직 전사 안 됨",
    "{title} — {n} segments, {c} changes": "{title} — 구간 {n}개, 변경 {c}개",
    "“{t}” has no transcript yet. Transcribe it now?": "“{t}”에는 아직 전사가 없습니다. 지금 전사할까요?",
    "■ Stop": "■ 정지", "◀ Previous": "◀ 이전", "● Record": "● 녹음",
    # Speakers and saved voices.
    "&Speakers": "화자(&S)", "Speakers": "화자", "Speakers…": "화자…",
    "Speakers of this meeting…": "이 회의의 화자…", "Find speakers": "화자 찾기",
    "Find speakers in this meeting": "이 회의에서 화자 찾기",
    "Find speakers (diarization)": "화자 찾기 (화자 분리)",
    "After transcribing, find who spoke when, on this computer. Saved voices are named automatically.":
        "전사한 뒤 누가 언제 말했는지 이 컴퓨터에서 찾습니다. 저장된 목소리는 자동으로 이름이 붙습니다.",
    "Automatic": "자동", "Number of speakers": "화자 수",
    "Saved voices…": "저장된 목소리…", "Saved voices": "저장된 목소리", "Saving voice": "목소리 저장 중",
    "Open a meeting with its audio in Review first.": "먼저 검토 화면에서 녹음이 있는 회의를 여세요.",
    "Saved the voice of {name}.": "{name}의 목소리를 저장했습니다.",
    "Name {speaker} “{name}”": "{speaker}의 이름을 “{name}”(으)로 지정",
    "Remove the name of {speaker}": "{speaker}의 이름 지우기",
    "Cannot save the speaker names: {e}": "화자 이름을 저장할 수 없습니다: {e}",
    "Rename speaker…": "화자 이름 바꾸기…",
    "Name each speaker: the names show in the review and in every export. “Remember voice” saves the voice on this computer, so later meetings name this person automatically.":
        "화자마다 이름을 붙이세요. 이름은 검토 화면과 모든 내보내기에 나타납니다. “목소리 기억”을 누르면 목소리를 이 컴퓨터에 저장해서 다음 회의부터 이 사람의 이름을 자동으로 붙입니다.",
    "This meeting has no speakers yet. Find speakers tells who spoke when (it reuses the transcript).":
        "이 회의에는 아직 화자 정보가 없습니다. 화자 찾기로 누가 언제 말했는지 알아냅니다 (전사는 다시 하지 않습니다).",
    "<b>{title}</b> — {n} speakers": "<b>{title}</b> — 화자 {n}명", "{time} ({share}%)": "{time} ({share}%)",
    "Talk time": "말한 시간", "Name, e.g. 김민수": "이름, 예: 김민수",
    "Play a sample of this speaker": "이 화자의 목소리 들어 보기", "Remember voice": "목소리 기억",
    "Save this voice under the name, so later meetings name it automatically":
        "이 목소리를 이름과 함께 저장해서 다음 회의부터 자동으로 이름을 붙입니다",
    "Type a name first.": "먼저 이름을 입력하세요.", "Saving the voice…": "목소리 저장 중…",
    "Voice of {name} saved ({s} s of speech).": "{name}의 목소리를 저장했습니다 (음성 {s}초).",
    "Not saved: {e}": "저장하지 못했습니다: {e}",
    "Name": "이름", "Speech": "음성 길이", "Meetings": "회의 수", "Last saved": "마지막 저장",
    "Delete…": "삭제…", "Delete voice": "목소리 삭제",
    "{n} saved voices. A meeting's speaker whose voice matches one is named automatically; unknown voices stay numbered.":
        "저장된 목소리 {n}개. 회의에서 목소리가 일치하는 화자는 자동으로 이름이 붙고, 모르는 목소리는 번호로 남습니다.",
    "No saved voices yet. In a meeting's Speakers panel, name a speaker and press “Remember voice”.":
        "저장된 목소리가 없습니다. 회의의 화자 창에서 화자 이름을 입력하고 “목소리 기억”을 누르세요.",
    "Delete the saved voice of “{name}”? Later meetings will no longer name this person automatically; names already given stay.":
        "“{name}”의 저장된 목소리를 삭제할까요? 다음 회의부터 이 사람의 이름이 자동으로 붙지 않습니다. 이미 붙인 이름은 그대로 남습니다.",
    # Run-time table headers and labels (see EXTRA).
    "Date": "날짜", "Duration": "길이", "Language": "언어", "Time": "시간", "Speaker": "화자",
    "Recognised (raw)": "인식 결과 (원문)", "Reviewed": "검토본", "Term": "용어",
    "Variants": "변형", "Category": "분류", "Note": "메모", "System": "시스템",
}  # fmt: skip

EXTRA = {
    "LibraryModel": ("Title", "Date", "Duration", "Language"),
    "ReviewModel": ("Time", "Speaker", "Recognised (raw)", "Reviewed"),
    "GlossaryModel": ("Term", "Variants", "Category", "Note"),
    "SettingsDialog": ("System",),
}


def main() -> int:
    ts = FOLDER / "minutes_ko.ts"
    sources = sorted(str(p) for p in UI.rglob("*.py") if "i18n" not in p.parts)
    subprocess.run(["pyside6-lupdate", *sources, "-ts", str(ts), "-target-language", "ko_KR",
                    "-no-obsolete", "-locations", "none"], check=True)  # fmt: skip
    tree = ET.parse(ts)
    root = tree.getroot()
    contexts = {c.findtext("name"): c for c in root.iter("context")}
    for name, texts in EXTRA.items():
        ctx = contexts.get(name)
        if ctx is None:
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = name
        have = {m.findtext("source") for m in ctx.iter("message")}
        for text in texts:
            if text not in have:
                msg = ET.SubElement(ctx, "message")
                ET.SubElement(msg, "source").text = text
                ET.SubElement(msg, "translation")
    missing = []
    for msg in root.iter("message"):
        source = msg.findtext("source") or ""
        tr = msg.find("translation")
        if tr is None:
            tr = ET.SubElement(msg, "translation")
        if source in KO:
            tr.text = KO[source]
            tr.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(ts, encoding="utf-8", xml_declaration=True)
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(FOLDER / "minutes_ko.qm")], check=True)
    if missing:
        print("untranslated:", *missing, sep="\n  ", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
