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
    "Re-checking meetings with the glossary": "용어집으로 회의 다시 확인 중",
    "glossary": "용어집", "confirmed by re-decoding": "재인식으로 확인됨",
    "language model": "언어 모델", "your edit": "직접 수정", "(hints: {terms})": "(힌트: {terms})",
    # A change's review state, and its hover (ui/models/edits.py tooltip; see EXTRA).
    "proposed": "제안됨", "accepted": "적용됨", "rejected": "거부됨",
    "source: {who}": "출처: {who}", "score: {score}": "점수: {score}",
    "first pass: {text}": "처음 인식: {text}", "with hints: {text}": "힌트로 다시 인식: {text}",
    "terms offered: {terms}": "제시한 용어: {terms}",
    "audio score change: {gain} nats": "소리 점수 변화: {gain} nats",
    # Qt's file dialog labels that Qt 6's own Korean catalogue lacks (see EXTRA).
    "&Look in:": "다음에서 찾기(&L):", "Files of &type:": "파일 형식(&T):",
    "Glossary applied to {n} other meeting(s); {c} got new changes.":
        "다른 회의 {n}개에 용어집을 적용했습니다. {c}개에 새 수정이 생겼습니다.",
    "Check glossary terms in the audio (guided re-decoding)":
        "용어집 용어를 소리로 다시 확인 (안내 재인식)",
    "Where a glossary term may have been said, decode those seconds again with the term as a "
    "hint, and keep the change only when the audio confirms it.":
        "용어집 용어가 말해졌을 수 있는 부분만 그 용어를 힌트로 다시 인식하고, "
        "소리가 뒷받침할 때만 바꿉니다.",
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
    # Minutes and the language model.
    "Minutes": "회의록", "&AI": "AI(&A)", "Generate minutes": "회의록 만들기",
    "Ask the LLM for fixes": "LLM에게 수정 제안 받기", "Writing minutes": "회의록 작성 중",
    "Asking the LLM for fixes": "LLM 수정 제안 받는 중",
    "The LLM is reading the transcript…": "LLM이 전사를 읽고 있습니다…",
    "The LLM proposed {n} fix(es), highlighted in violet: accept or reject each.":
        "LLM이 수정 {n}개를 제안했습니다(보라색 표시). 하나씩 적용하거나 거부하세요.",
    "The LLM found nothing to fix.": "LLM이 고칠 곳을 찾지 못했습니다.",
    "Cancelled; the review was not changed.": "취소했습니다. 검토 내용은 바뀌지 않았습니다.",
    "LLM proposals": "LLM 제안",
    "Double-click to show this moment in Review": "두 번 눌러 검토 화면에서 이 부분 보기",
    "Export minutes": "회의록 내보내기", "Minutes (DOCX)": "회의록 (DOCX)",
    "Markdown with a checklist": "Markdown (체크리스트 포함)", "Action items (CSV)": "할 일 (CSV)",
    "Action items (iCalendar tasks)": "할 일 (iCalendar 작업)",
    "Append the transcript to the DOCX": "DOCX 뒤에 녹취록 붙이기",
    "What the minutes cover and how they are laid out": "회의록에 담을 내용과 구성",
    "Edit template…": "양식 편집…",
    "Fast (read a sample)": "빠르게 (일부만 읽기)",
    "A model on this computer reads only the parts of a long meeting richest in tasks and decisions (about nine minutes of speech), so that an hour's minutes take minutes, not half an hour. What is said elsewhere may be missing. A recorded meeting's notes are taken while it is recorded and read everything.":
        "이 컴퓨터의 모델이 긴 회의에서 할 일과 결정이 가장 많은 부분(말로 약 9분 분량)만 읽어, 한 시간 회의의 회의록이 30분이 아니라 몇 분 안에 나옵니다. 나머지 부분에서 한 말은 빠질 수 있습니다. 녹음한 회의는 녹음하는 동안 전체를 읽어 둡니다.",
    "Copy this template into your templates folder and open it for editing":
        "이 양식을 내 양식 폴더에 복사하고 편집할 수 있게 엽니다",
    "Template": "양식", "Names, separated by commas": "이름, 쉼표로 구분",
    "What the meeting was about, in a few sentences": "회의 내용을 몇 문장으로",
    "One topic per line, its points below it starting with “- ”":
        "한 줄에 주제 하나, 그 아래에 “- ”로 시작하는 요점",
    "One decision per line": "한 줄에 결정 하나", "One open question per line": "한 줄에 미결 사항 하나",
    "Remove": "삭제", "The model's output appears here as it is written.":
        "모델이 쓰는 내용이 여기에 실시간으로 나타납니다.",
    "Attendees": "참석자", "Summary": "요약", "Discussion": "논의 내용", "Decisions": "결정 사항",
    "Open questions": "미결 사항", "Action items": "할 일",
    "Tick what is done; double-click to edit; double-click a time to see it in Review.":
        "끝난 일은 체크하세요. 두 번 눌러 편집하고, 시간을 두 번 누르면 검토 화면에서 그 부분을 봅니다.",
    "Model output (live)": "모델 출력 (실시간)",
    "No minutes yet. Pick a template and press “Generate minutes”.":
        "아직 회의록이 없습니다. 양식을 고르고 “회의록 만들기”를 누르세요.",
    "No meeting open. Open one in the library or Review.":
        "열린 회의가 없습니다. 회의 목록이나 검토 화면에서 회의를 여세요.",
    "Minutes of “{title}”": "“{title}” 회의록",
    "Cannot save the minutes: {e}": "회의록을 저장할 수 없습니다: {e}", "New task": "새 할 일",
    "Replace the minutes of this meeting, with your edits, by new ones?":
        "이 회의의 회의록을 (편집한 내용까지) 새 회의록으로 바꿀까요?",
    "Starting the language model…": "언어 모델을 시작하는 중…", "Cancelling…": "취소하는 중…",
    "Loading the language model…": "언어 모델을 불러오는 중…",
    "Notes, part {n}": "회의 내용 정리 ({n})", "Action items {n}": "할 일 찾기 ({n})",
    "Putting the minutes together…": "회의록으로 합치는 중…",
    "under a minute left": "1분 안에 끝남", "about {n} min left": "약 {n}분 남음",
    "Estimated from how fast this computer ran the model before.":
        "이 컴퓨터가 전에 모델을 실행한 속도로 추정했습니다.",
    "Written by {model} in {s} s. Check and edit them; changes are saved as you type.":
        "{model} 모델이 {s}초 만에 작성했습니다. 확인하고 고치세요. 입력하는 대로 저장됩니다.",
    "The minutes could not be written: {e}": "회의록을 작성하지 못했습니다: {e}",
    "Cancelled; the minutes were not changed.": "취소했습니다. 회의록은 바뀌지 않았습니다.",
    "Minutes so far. {reading} The complete minutes replace these when it is done; then you can edit and export them.":
        "지금까지의 회의록입니다. {reading} 다 읽으면 완성된 회의록으로 바뀌고, 그때부터 편집하고 내보낼 수 있습니다.",
    "The model is still reading the meeting from {t} on.": "모델이 아직 {t}부터의 내용을 읽고 있습니다.",
    "The model is still reading the meeting from {t} on, and {n} earlier task line(s).":
        "모델이 아직 {t}부터의 내용과 그 앞의 할 일 후보 {n}줄을 읽고 있습니다.",
    "Editing {path}. Your copy is used from the next minutes you generate.":
        "{path}을(를) 편집합니다. 다음에 만드는 회의록부터 이 사본을 씁니다.",
    "There are no minutes to export yet.": "아직 내보낼 회의록이 없습니다.",
    # AI settings.
    "General": "일반", "AI": "AI", "Embedded 1.5B (default)": "내장 1.5B (기본)",
    "Embedded 0.5B (light, faster, weaker)": "내장 0.5B (가볍고 빠르지만 품질 낮음)",
    "GGUF model file…": "GGUF 모델 파일…", "OpenAI-compatible endpoint": "OpenAI 호환 엔드포인트",
    "Path of a .gguf model file": ".gguf 모델 파일 경로",
    "Leave empty to keep the stored key": "비워 두면 저장된 키를 유지합니다",
    "Forget key": "키 삭제", "If this engine cannot start, use the other one":
        "이 엔진을 시작할 수 없으면 다른 엔진 사용",
    "The embedded model when the endpoint or the Hugging Face model cannot be used, or the endpoint when the embedded model cannot load.":
        "엔드포인트나 Hugging Face 모델을 쓸 수 없으면 내장 모델을, 내장 모델을 불러올 수 없으면 엔드포인트를 씁니다.",
    "Hugging Face model (transformers; uses a GPU if present)": "Hugging Face 모델 (transformers, GPU가 있으면 사용)",
    "Folder of a Hugging Face model, or a .gguf file": "Hugging Face 모델 폴더 또는 .gguf 파일",
    "Automatic (a GPU if torch sees one)": "자동 (torch가 GPU를 찾으면 GPU)", "CPU": "CPU",
    "NVIDIA GPU (CUDA)": "NVIDIA GPU (CUDA)", "Apple GPU (MPS)": "Apple GPU (MPS)",
    "Hugging Face model": "Hugging Face 모델", "Runs on": "실행 장치",
    "Hugging Face model folder": "Hugging Face 모델 폴더",
    "Choose the folder of a Hugging Face model (or a .gguf file).":
        "Hugging Face 모델 폴더(또는 .gguf 파일)를 고르세요.",
    "The transformers engine is not installed: install torch, then pip install 'minutes[transformers]' (see the README).":
        "transformers 엔진이 설치되어 있지 않습니다. torch를 설치한 뒤 pip install 'minutes[transformers]'를 실행하세요 (README 참고).",
    "Allow an endpoint on another computer (the meeting's text is sent there)":
        "다른 컴퓨터의 엔드포인트 허용 (회의 내용이 그곳으로 전송됩니다)",
    "Local first: the embedded model runs on this computer. Text leaves it only when an endpoint is chosen (or is the fallback), and an endpoint on another computer also needs the permission above.":
        "로컬 우선: 내장 모델은 이 컴퓨터에서 실행됩니다. 엔드포인트를 고르거나 대체 엔진으로 둘 때만 텍스트가 밖으로 나가며, 다른 컴퓨터의 엔드포인트는 위의 허용도 필요합니다.",
    "Minutes › Edit template… copies a template into {folder}; files there override the shipped ones, and new files add templates.":
        "회의록 › 양식 편집…을 누르면 양식이 {folder}에 복사됩니다. 이 폴더의 파일이 기본 양식보다 우선하고, 새 파일은 양식으로 추가됩니다.",
    "Language model": "언어 모델", "GGUF file": "GGUF 파일", "Endpoint URL": "엔드포인트 URL",
    "Endpoint model": "엔드포인트 모델", "API key": "API 키", "Templates": "양식",
    "GGUF model file": "GGUF 모델 파일", "GGUF models (*.gguf)": "GGUF 모델 (*.gguf)",
    "The key is kept in the OS keyring, never in the settings file.":
        "키는 운영체제 키링에만 보관되며 설정 파일에는 저장되지 않습니다.",
    "A key for this endpoint is stored in the OS keyring.":
        "이 엔드포인트의 키가 운영체제 키링에 저장되어 있습니다.",
    "Using the key in {var}.": "{var}의 키를 사용합니다.",
    "No key stored (a local server usually needs none). A key you type is stored in the OS keyring, never in the settings file.":
        "저장된 키가 없습니다(로컬 서버는 보통 필요 없습니다). 입력한 키는 운영체제 키링에만 저장되고 설정 파일에는 저장되지 않습니다.",
    "This endpoint is on another computer.": "이 엔드포인트는 다른 컴퓨터에 있습니다.",
    "Choose an existing .gguf model file.": "있는 .gguf 모델 파일을 고르세요.",
    "Type the endpoint's base URL (for example http://127.0.0.1:11434/v1).":
        "엔드포인트 기본 URL을 입력하세요 (예: http://127.0.0.1:11434/v1).",
    "Type the endpoint's base URL before its API key.": "API 키보다 엔드포인트 기본 URL을 먼저 입력하세요.",
    "The API key was not saved: {e}": "API 키를 저장하지 못했습니다: {e}",
    "Done": "완료", "Task": "할 일", "Owner": "담당", "Due": "기한",
    # Faults: full disk, microphone removed, saving and the language model.
    "No input device found. Connect a microphone and try again.":
        "입력 장치가 없습니다. 마이크를 연결한 뒤 다시 시도하세요.",
    "The disk is full: recording stopped. Everything recorded until then is kept in “{title}”. Free some disk space before recording again.":
        "디스크가 가득 차서 녹음을 멈췄습니다. 그때까지 녹음한 내용은 “{title}”에 모두 보존됩니다. 다시 녹음하기 전에 디스크 공간을 확보하세요.",
    "The microphone was unplugged or stopped working: recording stopped. Everything recorded until then is kept in “{title}”. Reconnect it and press Record to go on.":
        "마이크가 분리되었거나 작동을 멈춰 녹음을 멈췄습니다. 그때까지 녹음한 내용은 “{title}”에 모두 보존됩니다. 마이크를 다시 연결하고 녹음을 눌러 계속하세요.",
    "The LLM's answers could not be read (not the JSON asked for), so nothing was changed. Try again or choose another model.":
        "LLM의 답을 읽을 수 없어서(요청한 JSON 형식이 아님) 아무것도 바꾸지 않았습니다. 다시 시도하거나 다른 모델을 고르세요.",
    "the disk is full": "디스크가 가득 찼습니다", "permission denied": "권한이 없습니다",
    "Cannot save the review: {e}. Your changes stay in the window and are saved as soon as that works again.":
        "검토 내용을 저장할 수 없습니다: {e}. 변경 내용은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.",
    "Cannot save the speaker names: {e}. They stay in the window and are saved as soon as that works again.":
        "화자 이름을 저장할 수 없습니다: {e}. 이름은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.",
    "Cannot save the minutes: {e}. Your edits stay in the window and are saved as soon as that works again.":
        "회의록을 저장할 수 없습니다: {e}. 편집한 내용은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.",
    "Cannot save the glossary: {e}. Your changes stay in the table and are saved as soon as that works again.":
        "용어집을 저장할 수 없습니다: {e}. 변경 내용은 표에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.",
    "Not saved": "저장 안 됨",
    "Some changes could not be saved (is the disk full?). Quit anyway and lose them?":
        "저장하지 못한 변경 내용이 있습니다(디스크가 가득 찼나요?). 그래도 종료하고 변경 내용을 버릴까요?",
    # Settings › Transcription (ui/views/asr_settings_tab.py)
    "Transcription": "전사", "Transcribe on": "전사 위치", "Server URL": "서버 URL",
    "Server model": "서버 모델", "Wait for an answer": "응답 대기 시간", " s": " 초",
    "This computer (the speech model on the General tab)": "이 컴퓨터 (일반 탭의 음성 모델)",
    "A transcription server (OpenAI-compatible)": "전사 서버 (OpenAI 호환)",
    "How long to wait for the server's answer to one window of about 4 minutes of audio.":
        "약 4분 길이의 오디오 한 구간에 대한 서버의 응답을 기다리는 시간입니다.",
    "If the server is down or too slow, transcribe on this computer instead":
        "서버가 꺼져 있거나 너무 느리면 이 컴퓨터에서 대신 전사",
    "Allow a server on another computer (the meeting's audio is sent there)":
        "다른 컴퓨터의 서버 허용 (회의 오디오가 그곳으로 전송됩니다)",
    "Local first: by default Whisper runs on this computer. Audio leaves it only when a server is chosen here, and a server on another computer also needs the permission above. A recording is never lost when the server fails: it stays in the library and can be transcribed again.":
        "로컬 우선: 기본적으로 Whisper는 이 컴퓨터에서 실행됩니다. 여기서 서버를 고른 경우에만 오디오가 이 컴퓨터 밖으로 나가며, 다른 컴퓨터의 서버는 위의 허용도 필요합니다. 서버가 실패해도 녹음은 사라지지 않습니다. 회의 목록에 남아 있어 다시 전사할 수 있습니다.",
    "A key for this server is stored in the OS keyring.": "이 서버의 키가 OS 키링에 저장되어 있습니다.",
    "No key stored (a server on your own network usually needs none). A key you type is stored in the OS keyring, never in the settings file.":
        "저장된 키가 없습니다 (자체 네트워크의 서버는 보통 키가 필요 없습니다). 입력한 키는 설정 파일이 아니라 OS 키링에 저장됩니다.",
    "This server is on another computer.": "이 서버는 다른 컴퓨터에 있습니다.",
    "Type the transcription server's base URL (for example http://gpu-server.local:8000/v1).":
        "전사 서버의 기본 URL을 입력하세요 (예: http://gpu-server.local:8000/v1).",
    "The server URL starts with http:// or https://.": "서버 URL은 http:// 또는 https://로 시작해야 합니다.",
    "Type the server's base URL before its API key.": "API 키보다 먼저 서버의 기본 URL을 입력하세요.",
    "Server: {model} at {host}": "서버: {host}의 {model}",
    "System audio (what this computer plays): {name}": "시스템 오디오 (이 컴퓨터에서 재생되는 소리): {name}",
    "System audio: {name}": "시스템 오디오: {name}",
    "Live transcript stopped: {e}. The recording goes on and is transcribed when you stop.":
        "실시간 전사가 멈췄습니다: {e}. 녹음은 계속되며, 녹음을 멈추면 전사합니다.",
    # Two-track recording (microphone + system audio).
    "Also record what this computer plays (the other side of an online meeting)":
        "이 컴퓨터에서 재생되는 소리도 녹음 (온라인 회의의 상대방)",
    "The microphone and the system audio are recorded as two tracks and mixed for the transcript; the microphone's speech is labelled as yours.":
        "마이크와 시스템 오디오를 두 트랙으로 녹음하고, 전사에는 둘을 합쳐 씁니다. 마이크의 말은 내 말로 표시됩니다.",
    "Also record what this computer plays (online meetings)": "이 컴퓨터에서 재생되는 소리도 녹음 (온라인 회의)",
    # The final transcription during the meeting (minutes.during).
    "Transcribe during the meeting": "회의 중에 전사",
    "Take the minutes' notes during the meeting": "회의 중에 회의록 메모 작성",
    "While you record, the language model reads the parts of the meeting that are over; after Stop the minutes are written at once and only the rest is left to read. Uses the computer more during the meeting.":
        "녹음하는 동안 언어 모델이 끝난 부분을 미리 읽습니다. 중지하면 회의록을 바로 작성하고 남은 부분만 읽습니다. 회의 중 컴퓨터를 더 많이 사용합니다.",
    "While you record, the finished parts of the recording are transcribed at low priority, so less is left to do when you press Stop.":
        "녹음하는 동안 끝난 부분을 낮은 우선순위로 전사해 두어, 중지를 누른 뒤 남는 일이 줄어듭니다.",
    "Mic": "마이크", "Me": "나", "Others": "상대방",
    "Recording the microphone only: {e}": "마이크만 녹음합니다: {e}",
    "The microphone": "마이크", "The system audio": "시스템 오디오",
    "{source} has been silent for a minute while the other track has sound: is it the right device, or muted?":
        "다른 트랙에는 소리가 있는데 {source}가 1분째 조용합니다. 올바른 장치인지, 음소거되지 않았는지 확인하세요.",
    "{source} is not recorded ({e}); the other track is.": "{source}는 녹음되지 않습니다 ({e}). 다른 트랙은 녹음됩니다.",
    "{source} stopped; the other track keeps recording. ({e})": "{source}가 멈췄습니다. 다른 트랙은 계속 녹음됩니다. ({e})",
    # Review menu, multi-line segment editor, language switch, no microphone.
    "Re&view": "검토(&V)", "Previous change": "이전 변경", "Next change": "다음 변경",
    "Accept change": "변경 적용", "Reject change": "변경 거부", "Play segment": "구간 재생",
    "Undo {action}": "실행 취소: {action}", "Redo {action}": "다시 실행: {action}",
    "The new language is used from the next start.": "새 언어는 다음에 앱을 시작할 때 적용됩니다.",
    "The new language is used when the running tasks finish.": "새 언어는 진행 중인 작업이 끝나면 적용됩니다.",
    "No microphone found. Connect one, or check the sound settings; the app can still import recordings.":
        "마이크를 찾지 못했습니다. 마이크를 연결하거나 소리 설정을 확인하세요. 녹음 파일 가져오기는 계속 할 수 있습니다.",
    # Run-time table headers and labels (see EXTRA).
    "Date": "날짜", "Duration": "길이", "Language": "언어", "Time": "시간", "Speaker": "화자",
    "Recognised (raw)": "인식 결과 (원문)", "Reviewed": "검토본", "Term": "용어",
    "Variants": "변형", "Category": "분류", "Note": "메모", "System": "시스템",
}  # fmt: skip

EXTRA = {
    "LibraryModel": ("Title", "Date", "Duration", "Language"),
    "ReviewModel": ("Time", "Speaker", "Recognised (raw)", "Reviewed"),
    "GlossaryModel": ("Term", "Variants", "Category", "Note"),
    "ActionItemsModel": ("Done", "Task", "Owner", "Due", "Time"),
    "SettingsDialog": ("System",),
    # ui/models/edits.py `tooltip` words, translated by the delegate's `tr`.
    "RichTextDelegate": (
        "source: {who}", "score: {score}", "proposed", "accepted", "rejected", "glossary",
        "confirmed by re-decoding", "language model", "your edit", "first pass: {text}",
        "with hints: {text}", "terms offered: {terms}", "audio score change: {gain} nats",
    ),
    # Qt 6.11 labels these with mnemonics; its qtbase_ko.qm has them only without.
    "QFileDialog": ("&Look in:", "Files of &type:"),
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
