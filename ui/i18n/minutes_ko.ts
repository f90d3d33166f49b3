<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="ko_KR">
<context>
    <name>ActionItemsModel</name>
    <message>
        <source>Double-click to show this moment in Review</source>
        <translation>두 번 눌러 검토 화면에서 이 부분 보기</translation>
    </message>
<message><source>Done</source><translation>완료</translation></message><message><source>Task</source><translation>할 일</translation></message><message><source>Owner</source><translation>담당</translation></message><message><source>Due</source><translation>기한</translation></message><message><source>Time</source><translation>시간</translation></message></context>
<context>
    <name>ApiKeyField</name>
    <message>
        <source>Leave empty to keep the stored key</source>
        <translation>비워 두면 저장된 키를 유지합니다</translation>
    </message>
    <message>
        <source>Forget key</source>
        <translation>키 삭제</translation>
    </message>
    <message>
        <source>The key is kept in the OS keyring, never in the settings file.</source>
        <translation>키는 운영체제 키링에만 보관되며 설정 파일에는 저장되지 않습니다.</translation>
    </message>
    <message>
        <source>A key for this server is stored in the OS keyring.</source>
        <translation>이 서버의 키가 OS 키링에 저장되어 있습니다.</translation>
    </message>
    <message>
        <source>Using the key in {var}.</source>
        <translation>{var}의 키를 사용합니다.</translation>
    </message>
    <message>
        <source>No key stored (a server on your own network usually needs none). A key you type is stored in the OS keyring, never in the settings file.</source>
        <translation>저장된 키가 없습니다 (자체 네트워크의 서버는 보통 키가 필요 없습니다). 입력한 키는 설정 파일이 아니라 OS 키링에 저장됩니다.</translation>
    </message>
    <message>
        <source>Type the server's base URL before its API key.</source>
        <translation>API 키보다 먼저 서버의 기본 URL을 입력하세요.</translation>
    </message>
    <message>
        <source>The API key was not saved: {e}</source>
        <translation>API 키를 저장하지 못했습니다: {e}</translation>
    </message>
</context>
<context>
    <name>AsrSettingsTab</name>
    <message>
        <source>This computer (the speech model on the General tab)</source>
        <translation>이 컴퓨터 (일반 탭의 음성 모델)</translation>
    </message>
    <message>
        <source>A transcription server (OpenAI-compatible)</source>
        <translation>전사 서버 (OpenAI 호환)</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 초</translation>
    </message>
    <message>
        <source>How long to wait for the server's answer to one window of about 4 minutes of audio.</source>
        <translation>약 4분 길이의 오디오 한 구간에 대한 서버의 응답을 기다리는 시간입니다.</translation>
    </message>
    <message>
        <source>If the server is down or too slow, transcribe on this computer instead</source>
        <translation>서버가 꺼져 있거나 너무 느리면 이 컴퓨터에서 대신 전사</translation>
    </message>
    <message>
        <source>Allow a server on another computer (the meeting's audio is sent there)</source>
        <translation>다른 컴퓨터의 서버 허용 (회의 오디오가 그곳으로 전송됩니다)</translation>
    </message>
    <message>
        <source>Local first: by default Whisper runs on this computer. Audio leaves it only when a server is chosen here, and a server on another computer also needs the permission above. A recording is never lost when the server fails: it stays in the library and can be transcribed again.</source>
        <translation>로컬 우선: 기본적으로 Whisper는 이 컴퓨터에서 실행됩니다. 여기서 서버를 고른 경우에만 오디오가 이 컴퓨터 밖으로 나가며, 다른 컴퓨터의 서버는 위의 허용도 필요합니다. 서버가 실패해도 녹음은 사라지지 않습니다. 회의 목록에 남아 있어 다시 전사할 수 있습니다.</translation>
    </message>
    <message>
        <source>Transcribe on</source>
        <translation>전사 위치</translation>
    </message>
    <message>
        <source>Server URL</source>
        <translation>서버 URL</translation>
    </message>
    <message>
        <source>Server model</source>
        <translation>서버 모델</translation>
    </message>
    <message>
        <source>Wait for an answer</source>
        <translation>응답 대기 시간</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>This server is on another computer.</source>
        <translation>이 서버는 다른 컴퓨터에 있습니다.</translation>
    </message>
    <message>
        <source>Type the transcription server's base URL (for example http://gpu-server.local:8000/v1).</source>
        <translation>전사 서버의 기본 URL을 입력하세요 (예: http://gpu-server.local:8000/v1).</translation>
    </message>
    <message>
        <source>The server URL starts with http:// or https://.</source>
        <translation>서버 URL은 http:// 또는 https://로 시작해야 합니다.</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
</context>
<context>
    <name>ExportDialogBase</name>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Formats</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>폴더</translation>
    </message>
    <message>
        <source>File name</source>
        <translation>파일 이름</translation>
    </message>
    <message>
        <source>Export folder</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>내보내는 중…</translation>
    </message>
    <message>
        <source>Wrote {n} file(s) to {folder}</source>
        <translation>{folder}에 파일 {n}개를 저장했습니다</translation>
    </message>
</context>
<context>
    <name>GlossaryView</name>
    <message>
        <source>Search terms, variants, notes…</source>
        <translation>용어, 변형, 메모 검색…</translation>
    </message>
    <message>
        <source>New term, e.g. Kubernetes</source>
        <translation>새 용어, 예: Kubernetes</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Import CSV/JSON…</source>
        <translation>CSV/JSON 가져오기…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Double-click a cell to edit. Separate variants with |.</source>
        <translation>셀을 두 번 눌러 편집합니다. 변형은 |로 구분합니다.</translation>
    </message>
    <message>
        <source>Your glossary file cannot be read: {e}</source>
        <translation>용어집 파일을 읽을 수 없습니다: {e}</translation>
    </message>
    <message>
        <source>{n} terms</source>
        <translation>용어 {n}개</translation>
    </message>
    <message>
        <source>Cannot save the glossary: {e}. Your changes stay in the table and are saved as soon as that works again.</source>
        <translation>용어집을 저장할 수 없습니다: {e}. 변경 내용은 표에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.</translation>
    </message>
    <message>
        <source>Delete terms</source>
        <translation>용어 삭제</translation>
    </message>
    <message>
        <source>Delete {n} term(s): {names}?</source>
        <translation>용어 {n}개를 삭제할까요: {names}?</translation>
    </message>
    <message>
        <source>Cannot import {file}: {e}</source>
        <translation>{file}을(를) 가져올 수 없습니다: {e}</translation>
    </message>
    <message>
        <source>Cannot export: {e}</source>
        <translation>내보낼 수 없습니다: {e}</translation>
    </message>
    <message>
        <source>Import glossary</source>
        <translation>용어집 가져오기</translation>
    </message>
    <message>
        <source>Glossary (*.csv *.tsv *.txt *.json)</source>
        <translation>용어집 (*.csv *.tsv *.txt *.json)</translation>
    </message>
    <message>
        <source>Export glossary</source>
        <translation>용어집 내보내기</translation>
    </message>
    <message>
        <source>CSV (*.csv);;JSON (*.json)</source>
        <translation>CSV (*.csv);;JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>LibraryView</name>
    <message>
        <source>Search titles and transcripts…</source>
        <translation>제목과 전사 내용 검색…</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>열기</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>이름 바꾸기</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Import recording…</source>
        <translation>녹음 파일 가져오기…</translation>
    </message>
    <message>
        <source>Delete meeting</source>
        <translation>회의 삭제</translation>
    </message>
    <message>
        <source>Delete “{title}” with its audio and transcript? This cannot be undone.</source>
        <translation>“{title}”의 녹음과 전사를 삭제할까요? 되돌릴 수 없습니다.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Library</source>
        <translation>회의 목록</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>녹음</translation>
    </message>
    <message>
        <source>Review</source>
        <translation>검토</translation>
    </message>
    <message>
        <source>Glossary</source>
        <translation>용어집</translation>
    </message>
    <message>
        <source>Minutes</source>
        <translation>회의록</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Import recording…</source>
        <translation>녹음 파일 가져오기…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>설정…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>종료</translation>
    </message>
    <message>
        <source>&amp;Record</source>
        <translation>녹음(&amp;R)</translation>
    </message>
    <message>
        <source>Start/stop recording</source>
        <translation>녹음 시작/정지</translation>
    </message>
    <message>
        <source>Pause/resume</source>
        <translation>일시 정지/계속</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>Re&amp;view</source>
        <translation>검토(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Speakers</source>
        <translation>화자(&amp;S)</translation>
    </message>
    <message>
        <source>Speakers of this meeting…</source>
        <translation>이 회의의 화자…</translation>
    </message>
    <message>
        <source>Find speakers in this meeting</source>
        <translation>이 회의에서 화자 찾기</translation>
    </message>
    <message>
        <source>Saved voices…</source>
        <translation>저장된 목소리…</translation>
    </message>
    <message>
        <source>&amp;AI</source>
        <translation>AI(&amp;A)</translation>
    </message>
    <message>
        <source>Generate minutes</source>
        <translation>회의록 만들기</translation>
    </message>
    <message>
        <source>Ask the LLM for fixes</source>
        <translation>LLM에게 수정 제안 받기</translation>
    </message>
    <message>
        <source>Server: {model} at {host}</source>
        <translation>서버: {host}의 {model}</translation>
    </message>
    <message>
        <source>Model: {model}</source>
        <translation>모델: {model}</translation>
    </message>
    <message>
        <source>Loading model</source>
        <translation>모델 불러오는 중</translation>
    </message>
    <message>
        <source>Transcribing</source>
        <translation>전사 중</translation>
    </message>
    <message>
        <source>Applying glossary</source>
        <translation>용어집 적용 중</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>내보내는 중</translation>
    </message>
    <message>
        <source>Live transcript</source>
        <translation>실시간 전사</translation>
    </message>
    <message>
        <source>Saving voice</source>
        <translation>목소리 저장 중</translation>
    </message>
    <message>
        <source>Writing minutes</source>
        <translation>회의록 작성 중</translation>
    </message>
    <message>
        <source>Asking the LLM for fixes</source>
        <translation>LLM 수정 제안 받는 중</translation>
    </message>
    <message>
        <source>Re-checking meetings with the glossary</source>
        <translation>용어집으로 회의 다시 확인 중</translation>
    </message>
    <message>
        <source>minutes</source>
        <translation>minutes</translation>
    </message>
    <message>
        <source>Not transcribed</source>
        <translation>전사 안 됨</translation>
    </message>
    <message>
        <source>“{t}” has no transcript yet. Transcribe it now?</source>
        <translation>“{t}”에는 아직 전사가 없습니다. 지금 전사할까요?</translation>
    </message>
    <message>
        <source>Cancelled; finished work is kept.</source>
        <translation>취소했습니다. 끝난 작업은 보존됩니다.</translation>
    </message>
    <message>
        <source>Import recording</source>
        <translation>녹음 파일 가져오기</translation>
    </message>
    <message>
        <source>Audio/video ({p})</source>
        <translation>오디오/비디오 ({p})</translation>
    </message>
    <message>
        <source>Glossary applied to {n} other meeting(s); {c} got new changes.</source>
        <translation>다른 회의 {n}개에 용어집을 적용했습니다. {c}개에 새 수정이 생겼습니다.</translation>
    </message>
    <message>
        <source>Open a transcribed meeting in Review first.</source>
        <translation>먼저 검토 화면에서 전사된 회의를 여세요.</translation>
    </message>
    <message>
        <source>The LLM is reading the transcript…</source>
        <translation>LLM이 전사를 읽고 있습니다…</translation>
    </message>
    <message>
        <source>The LLM proposed {n} fix(es), highlighted in violet: accept or reject each.</source>
        <translation>LLM이 수정 {n}개를 제안했습니다(보라색 표시). 하나씩 적용하거나 거부하세요.</translation>
    </message>
    <message>
        <source>The LLM found nothing to fix.</source>
        <translation>LLM이 고칠 곳을 찾지 못했습니다.</translation>
    </message>
    <message>
        <source>The LLM's answers could not be read (not the JSON asked for), so nothing was changed. Try again or choose another model.</source>
        <translation>LLM의 답을 읽을 수 없어서(요청한 JSON 형식이 아님) 아무것도 바꾸지 않았습니다. 다시 시도하거나 다른 모델을 고르세요.</translation>
    </message>
    <message>
        <source>Cancelled; the review was not changed.</source>
        <translation>취소했습니다. 검토 내용은 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Open a meeting with its audio in Review first.</source>
        <translation>먼저 검토 화면에서 녹음이 있는 회의를 여세요.</translation>
    </message>
    <message>
        <source>Saved the voice of {name}.</source>
        <translation>{name}의 목소리를 저장했습니다.</translation>
    </message>
    <message>
        <source>Recover recording</source>
        <translation>녹음 복구</translation>
    </message>
    <message>
        <source>The recording “{t}” was not stopped properly (crash or power loss). Recover it and transcribe it?</source>
        <translation>녹음 “{t}”이(가) 제대로 끝나지 않았습니다(비정상 종료 또는 정전). 복구해서 전사할까요?</translation>
    </message>
    <message>
        <source>Not saved</source>
        <translation>저장 안 됨</translation>
    </message>
    <message>
        <source>Some changes could not be saved (is the disk full?). Quit anyway and lose them?</source>
        <translation>저장하지 못한 변경 내용이 있습니다(디스크가 가득 찼나요?). 그래도 종료하고 변경 내용을 버릴까요?</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>녹음</translation>
    </message>
    <message>
        <source>A recording is running. Stop it and quit?</source>
        <translation>녹음 중입니다. 녹음을 멈추고 종료할까요?</translation>
    </message>
</context>
<context>
    <name>MinutesExportDialog</name>
    <message>
        <source>Export minutes</source>
        <translation>회의록 내보내기</translation>
    </message>
    <message>
        <source>Minutes (DOCX)</source>
        <translation>회의록 (DOCX)</translation>
    </message>
    <message>
        <source>Markdown with a checklist</source>
        <translation>Markdown (체크리스트 포함)</translation>
    </message>
    <message>
        <source>Action items (CSV)</source>
        <translation>할 일 (CSV)</translation>
    </message>
    <message>
        <source>Action items (iCalendar tasks)</source>
        <translation>할 일 (iCalendar 작업)</translation>
    </message>
    <message>
        <source>Append the transcript to the DOCX</source>
        <translation>DOCX 뒤에 녹취록 붙이기</translation>
    </message>
</context>
<context>
    <name>MinutesView</name>
    <message>
        <source>What the minutes cover and how they are laid out</source>
        <translation>회의록에 담을 내용과 구성</translation>
    </message>
    <message>
        <source>Edit template…</source>
        <translation>양식 편집…</translation>
    </message>
    <message>
        <source>Copy this template into your templates folder and open it for editing</source>
        <translation>이 양식을 내 양식 폴더에 복사하고 편집할 수 있게 엽니다</translation>
    </message>
    <message>
        <source>Fast (read a sample)</source>
        <translation>빠르게 (일부만 읽기)</translation>
    </message>
    <message>
        <source>A model on this computer reads only the parts of a long meeting richest in tasks and decisions (about nine minutes of speech), so that an hour's minutes take minutes, not half an hour. What is said elsewhere may be missing. A recorded meeting's notes are taken while it is recorded and read everything.</source>
        <translation>이 컴퓨터의 모델이 긴 회의에서 할 일과 결정이 가장 많은 부분(말로 약 9분 분량)만 읽어, 한 시간 회의의 회의록이 30분이 아니라 몇 분 안에 나옵니다. 나머지 부분에서 한 말은 빠질 수 있습니다. 녹음한 회의는 녹음하는 동안 전체를 읽어 둡니다.</translation>
    </message>
    <message>
        <source>Generate minutes</source>
        <translation>회의록 만들기</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Template</source>
        <translation>양식</translation>
    </message>
    <message>
        <source>Names, separated by commas</source>
        <translation>이름, 쉼표로 구분</translation>
    </message>
    <message>
        <source>What the meeting was about, in a few sentences</source>
        <translation>회의 내용을 몇 문장으로</translation>
    </message>
    <message>
        <source>One topic per line, its points below it starting with “- ”</source>
        <translation>한 줄에 주제 하나, 그 아래에 “- ”로 시작하는 요점</translation>
    </message>
    <message>
        <source>One decision per line</source>
        <translation>한 줄에 결정 하나</translation>
    </message>
    <message>
        <source>One open question per line</source>
        <translation>한 줄에 미결 사항 하나</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>추가</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>The model's output appears here as it is written.</source>
        <translation>모델이 쓰는 내용이 여기에 실시간으로 나타납니다.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>날짜</translation>
    </message>
    <message>
        <source>Attendees</source>
        <translation>참석자</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>요약</translation>
    </message>
    <message>
        <source>Discussion</source>
        <translation>논의 내용</translation>
    </message>
    <message>
        <source>Decisions</source>
        <translation>결정 사항</translation>
    </message>
    <message>
        <source>Open questions</source>
        <translation>미결 사항</translation>
    </message>
    <message>
        <source>Action items</source>
        <translation>할 일</translation>
    </message>
    <message>
        <source>Tick what is done; double-click to edit; double-click a time to see it in Review.</source>
        <translation>끝난 일은 체크하세요. 두 번 눌러 편집하고, 시간을 두 번 누르면 검토 화면에서 그 부분을 봅니다.</translation>
    </message>
    <message>
        <source>Model output (live)</source>
        <translation>모델 출력 (실시간)</translation>
    </message>
    <message>
        <source>No minutes yet. Pick a template and press “Generate minutes”.</source>
        <translation>아직 회의록이 없습니다. 양식을 고르고 “회의록 만들기”를 누르세요.</translation>
    </message>
    <message>
        <source>No meeting open. Open one in the library or Review.</source>
        <translation>열린 회의가 없습니다. 회의 목록이나 검토 화면에서 회의를 여세요.</translation>
    </message>
    <message>
        <source>Minutes of “{title}”</source>
        <translation>“{title}” 회의록</translation>
    </message>
    <message>
        <source>Cannot save the minutes: {e}. Your edits stay in the window and are saved as soon as that works again.</source>
        <translation>회의록을 저장할 수 없습니다: {e}. 편집한 내용은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.</translation>
    </message>
    <message>
        <source>New task</source>
        <translation>새 할 일</translation>
    </message>
    <message>
        <source>Open a transcribed meeting in Review first.</source>
        <translation>먼저 검토 화면에서 전사된 회의를 여세요.</translation>
    </message>
    <message>
        <source>Replace the minutes of this meeting, with your edits, by new ones?</source>
        <translation>이 회의의 회의록을 (편집한 내용까지) 새 회의록으로 바꿀까요?</translation>
    </message>
    <message>
        <source>Starting the language model…</source>
        <translation>언어 모델을 시작하는 중…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>under a minute left</source>
        <translation>1분 안에 끝남</translation>
    </message>
    <message>
        <source>about {n} min left</source>
        <translation>약 {n}분 남음</translation>
    </message>
    <message>
        <source>Estimated from how fast this computer ran the model before.</source>
        <translation>이 컴퓨터가 전에 모델을 실행한 속도로 추정했습니다.</translation>
    </message>
    <message>
        <source>Loading the language model…</source>
        <translation>언어 모델을 불러오는 중…</translation>
    </message>
    <message>
        <source>Notes, part {n}</source>
        <translation>회의 내용 정리 ({n})</translation>
    </message>
    <message>
        <source>Action items {n}</source>
        <translation>할 일 찾기 ({n})</translation>
    </message>
    <message>
        <source>Putting the minutes together…</source>
        <translation>회의록으로 합치는 중…</translation>
    </message>
    <message>
        <source>The model is still reading the meeting from {t} on, and {n} earlier task line(s).</source>
        <translation>모델이 아직 {t}부터의 내용과 그 앞의 할 일 후보 {n}줄을 읽고 있습니다.</translation>
    </message>
    <message>
        <source>The model is still reading the meeting from {t} on.</source>
        <translation>모델이 아직 {t}부터의 내용을 읽고 있습니다.</translation>
    </message>
    <message>
        <source>Minutes so far. {reading} The complete minutes replace these when it is done; then you can edit and export them.</source>
        <translation>지금까지의 회의록입니다. {reading} 다 읽으면 완성된 회의록으로 바뀌고, 그때부터 편집하고 내보낼 수 있습니다.</translation>
    </message>
    <message>
        <source>Written by {model} in {s} s. Check and edit them; changes are saved as you type.</source>
        <translation>{model} 모델이 {s}초 만에 작성했습니다. 확인하고 고치세요. 입력하는 대로 저장됩니다.</translation>
    </message>
    <message>
        <source>The minutes could not be written: {e}</source>
        <translation>회의록을 작성하지 못했습니다: {e}</translation>
    </message>
    <message>
        <source>Cancelled; the minutes were not changed.</source>
        <translation>취소했습니다. 회의록은 바뀌지 않았습니다.</translation>
    </message>
    <message>
        <source>Editing {path}. Your copy is used from the next minutes you generate.</source>
        <translation>{path}을(를) 편집합니다. 다음에 만드는 회의록부터 이 사본을 씁니다.</translation>
    </message>
    <message>
        <source>There are no minutes to export yet.</source>
        <translation>아직 내보낼 회의록이 없습니다.</translation>
    </message>
</context>
<context>
    <name>PendingSaves</name>
    <message>
        <source>the disk is full</source>
        <translation>디스크가 가득 찼습니다</translation>
    </message>
    <message>
        <source>permission denied</source>
        <translation>권한이 없습니다</translation>
    </message>
</context>
<context>
    <name>RecordView</name>
    <message>
        <source>Meeting title (optional)</source>
        <translation>회의 제목 (선택)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>새로 고침</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● 녹음</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ 정지</translation>
    </message>
    <message>
        <source>Also record what this computer plays (the other side of an online meeting)</source>
        <translation>이 컴퓨터에서 재생되는 소리도 녹음 (온라인 회의의 상대방)</translation>
    </message>
    <message>
        <source>The microphone and the system audio are recorded as two tracks and mixed for the transcript; the microphone's speech is labelled as yours.</source>
        <translation>마이크와 시스템 오디오를 두 트랙으로 녹음하고, 전사에는 둘을 합쳐 씁니다. 마이크의 말은 내 말로 표시됩니다.</translation>
    </message>
    <message>
        <source>Mic</source>
        <translation>마이크</translation>
    </message>
    <message>
        <source>System</source>
        <translation>시스템</translation>
    </message>
    <message>
        <source>Ready. Press Record or Ctrl+R.</source>
        <translation>준비됨. 녹음 또는 Ctrl+R을 누르세요.</translation>
    </message>
    <message>
        <source>The live transcript appears here while you record.</source>
        <translation>녹음하는 동안 실시간 전사가 여기에 나타납니다.</translation>
    </message>
    <message>
        <source>Title</source>
        <translation>제목</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>입력</translation>
    </message>
    <message>
        <source>Live transcript</source>
        <translation>실시간 전사</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>System audio (what this computer plays): {name}</source>
        <translation>시스템 오디오 (이 컴퓨터에서 재생되는 소리): {name}</translation>
    </message>
    <message>
        <source>No input device found. Connect a microphone.</source>
        <translation>입력 장치가 없습니다. 마이크를 연결하세요.</translation>
    </message>
    <message>
        <source>Me</source>
        <translation>나</translation>
    </message>
    <message>
        <source>Others</source>
        <translation>상대방</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>계속</translation>
    </message>
    <message>
        <source>Recording… audio is saved to disk as it is captured.</source>
        <translation>녹음 중… 소리는 녹음되는 즉시 디스크에 저장됩니다.</translation>
    </message>
    <message>
        <source>Paused.</source>
        <translation>일시 정지됨.</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>마무리하는 중…</translation>
    </message>
</context>
<context>
    <name>RecordingController</name>
    <message>
        <source>No input device found. Connect a microphone and try again.</source>
        <translation>입력 장치가 없습니다. 마이크를 연결한 뒤 다시 시도하세요.</translation>
    </message>
    <message>
        <source>Recording the microphone only: {e}</source>
        <translation>마이크만 녹음합니다: {e}</translation>
    </message>
    <message>
        <source>Live transcript stopped: {e}. The recording goes on and is transcribed when you stop.</source>
        <translation>실시간 전사가 멈췄습니다: {e}. 녹음은 계속되며, 녹음을 멈추면 전사합니다.</translation>
    </message>
    <message>
        <source>The microphone</source>
        <translation>마이크</translation>
    </message>
    <message>
        <source>The system audio</source>
        <translation>시스템 오디오</translation>
    </message>
    <message>
        <source>{source} has been silent for a minute while the other track has sound: is it the right device, or muted?</source>
        <translation>다른 트랙에는 소리가 있는데 {source}가 1분째 조용합니다. 올바른 장치인지, 음소거되지 않았는지 확인하세요.</translation>
    </message>
    <message>
        <source>{source} is not recorded ({e}); the other track is.</source>
        <translation>{source}는 녹음되지 않습니다 ({e}). 다른 트랙은 녹음됩니다.</translation>
    </message>
    <message>
        <source>{source} stopped; the other track keeps recording. ({e})</source>
        <translation>{source}가 멈췄습니다. 다른 트랙은 계속 녹음됩니다. ({e})</translation>
    </message>
    <message>
        <source>The disk is full: recording stopped. Everything recorded until then is kept in “{title}”. Free some disk space before recording again.</source>
        <translation>디스크가 가득 차서 녹음을 멈췄습니다. 그때까지 녹음한 내용은 “{title}”에 모두 보존됩니다. 다시 녹음하기 전에 디스크 공간을 확보하세요.</translation>
    </message>
    <message>
        <source>The microphone was unplugged or stopped working: recording stopped. Everything recorded until then is kept in “{title}”. Reconnect it and press Record to go on.</source>
        <translation>마이크가 분리되었거나 작동을 멈춰 녹음을 멈췄습니다. 그때까지 녹음한 내용은 “{title}”에 모두 보존됩니다. 마이크를 다시 연결하고 녹음을 눌러 계속하세요.</translation>
    </message>
</context>
<context>
    <name>ReviewView</name>
    <message>
        <source>No meeting open. Pick one in the library.</source>
        <translation>열린 회의가 없습니다. 회의 목록에서 고르세요.</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 이전</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>다음 ▶</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>적용</translation>
    </message>
    <message>
        <source>Reject</source>
        <translation>거부</translation>
    </message>
    <message>
        <source>Accept all of term</source>
        <translation>이 용어 모두 적용</translation>
    </message>
    <message>
        <source>Reject all of term</source>
        <translation>이 용어 모두 거부</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <source>Speakers…</source>
        <translation>화자…</translation>
    </message>
    <message>
        <source>Ask the LLM for fixes</source>
        <translation>LLM에게 수정 제안 받기</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Previous change</source>
        <translation>이전 변경</translation>
    </message>
    <message>
        <source>Next change</source>
        <translation>다음 변경</translation>
    </message>
    <message>
        <source>Accept change</source>
        <translation>변경 적용</translation>
    </message>
    <message>
        <source>Reject change</source>
        <translation>변경 거부</translation>
    </message>
    <message>
        <source>Play segment</source>
        <translation>구간 재생</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>실행 취소</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>다시 실행</translation>
    </message>
    <message>
        <source>Add to glossary</source>
        <translation>용어집에 추가</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>Teach glossary this change</source>
        <translation>이 변경을 용어집에 학습</translation>
    </message>
    <message>
        <source>Undo {action}</source>
        <translation>실행 취소: {action}</translation>
    </message>
    <message>
        <source>Redo {action}</source>
        <translation>다시 실행: {action}</translation>
    </message>
    <message>
        <source>{title} — {n} segments, {c} changes</source>
        <translation>{title} — 구간 {n}개, 변경 {c}개</translation>
    </message>
    <message>
        <source>{title} — not transcribed yet</source>
        <translation>{title} — 아직 전사 안 됨</translation>
    </message>
    <message>
        <source>proposed</source>
        <translation>제안됨</translation>
    </message>
    <message>
        <source>accepted</source>
        <translation>적용됨</translation>
    </message>
    <message>
        <source>rejected</source>
        <translation>거부됨</translation>
    </message>
    <message>
        <source>glossary</source>
        <translation>용어집</translation>
    </message>
    <message>
        <source>confirmed by re-decoding</source>
        <translation>재인식으로 확인됨</translation>
    </message>
    <message>
        <source>language model</source>
        <translation>언어 모델</translation>
    </message>
    <message>
        <source>your edit</source>
        <translation>직접 수정</translation>
    </message>
    <message>
        <source>(hints: {terms})</source>
        <translation>(힌트: {terms})</translation>
    </message>
    <message>
        <source>Name {speaker} “{name}”</source>
        <translation>{speaker}의 이름을 “{name}”(으)로 지정</translation>
    </message>
    <message>
        <source>Remove the name of {speaker}</source>
        <translation>{speaker}의 이름 지우기</translation>
    </message>
    <message>
        <source>Cannot save the speaker names: {e}. They stay in the window and are saved as soon as that works again.</source>
        <translation>화자 이름을 저장할 수 없습니다: {e}. 이름은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.</translation>
    </message>
    <message>
        <source>Cannot save the review: {e}. Your changes stay in the window and are saved as soon as that works again.</source>
        <translation>검토 내용을 저장할 수 없습니다: {e}. 변경 내용은 창에 남아 있고, 저장할 수 있게 되면 바로 저장됩니다.</translation>
    </message>
    <message>
        <source>Rename speaker…</source>
        <translation>화자 이름 바꾸기…</translation>
    </message>
    <message>
        <source>LLM proposals</source>
        <translation>LLM 제안</translation>
    </message>
    <message>
        <source>Edit segment</source>
        <translation>구간 편집</translation>
    </message>
    <message>
        <source>Add “{before}” as a variant of the glossary term “{after}”?</source>
        <translation>“{before}”을(를) 용어 “{after}”의 변형으로 용어집에 추가할까요?</translation>
    </message>
    <message>
        <source>Glossary update</source>
        <translation>용어집 갱신</translation>
    </message>
    <message>
        <source>No changes in this meeting.</source>
        <translation>이 회의에는 변경 사항이 없습니다.</translation>
    </message>
    <message>
        <source>Change {n} of {total}: “{before}” → “{after}” · {source} · score {score} · {status}</source>
        <translation>변경 {n}/{total}: “{before}” → “{after}” · {source} · 점수 {score} · {status}</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>설정</translation>
    </message>
    <message>
        <source>base (embedded, multilingual)</source>
        <translation>base (내장, 다국어)</translation>
    </message>
    <message>
        <source>tiny.en (embedded, English, faster)</source>
        <translation>tiny.en (내장, 영어, 더 빠름)</translation>
    </message>
    <message>
        <source>Local folder…</source>
        <translation>로컬 폴더…</translation>
    </message>
    <message>
        <source>Detect</source>
        <translation>자동 감지</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>시스템 기본값</translation>
    </message>
    <message>
        <source>System audio: {name}</source>
        <translation>시스템 오디오: {name}</translation>
    </message>
    <message>
        <source>No microphone found. Connect one, or check the sound settings; the app can still import recordings.</source>
        <translation>마이크를 찾지 못했습니다. 마이크를 연결하거나 소리 설정을 확인하세요. 녹음 파일 가져오기는 계속 할 수 있습니다.</translation>
    </message>
    <message>
        <source>Also record what this computer plays (online meetings)</source>
        <translation>이 컴퓨터에서 재생되는 소리도 녹음 (온라인 회의)</translation>
    </message>
    <message>
        <source>Transcribe during the meeting</source>
        <translation>회의 중에 전사</translation>
    </message>
    <message>
        <source>While you record, the finished parts of the recording are transcribed at low priority, so less is left to do when you press Stop.</source>
        <translation>녹음하는 동안 끝난 부분을 낮은 우선순위로 전사해 두어, 중지를 누른 뒤 남는 일이 줄어듭니다.</translation>
    </message>
    <message>
        <source>Take the minutes' notes during the meeting</source>
        <translation>회의 중에 회의록 메모 작성</translation>
    </message>
    <message>
        <source>While you record, the language model reads the parts of the meeting that are over; after Stop the minutes are written at once and only the rest is left to read. Uses the computer more during the meeting.</source>
        <translation>녹음하는 동안 언어 모델이 끝난 부분을 미리 읽습니다. 중지하면 회의록을 바로 작성하고 남은 부분만 읽습니다. 회의 중 컴퓨터를 더 많이 사용합니다.</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Pass glossary terms to Whisper as hints</source>
        <translation>용어집 용어를 Whisper 힌트로 전달</translation>
    </message>
    <message>
        <source>Check glossary terms in the audio (guided re-decoding)</source>
        <translation>용어집 용어를 소리로 다시 확인 (안내 재인식)</translation>
    </message>
    <message>
        <source>Where a glossary term may have been said, decode those seconds again with the term as a hint, and keep the change only when the audio confirms it.</source>
        <translation>용어집 용어가 말해졌을 수 있는 부분만 그 용어를 힌트로 다시 인식하고, 소리가 뒷받침할 때만 바꿉니다.</translation>
    </message>
    <message>
        <source>Find speakers (diarization)</source>
        <translation>화자 찾기 (화자 분리)</translation>
    </message>
    <message>
        <source>After transcribing, find who spoke when, on this computer. Saved voices are named automatically.</source>
        <translation>전사한 뒤 누가 언제 말했는지 이 컴퓨터에서 찾습니다. 저장된 목소리는 자동으로 이름이 붙습니다.</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>Speech model</source>
        <translation>음성 인식 모델</translation>
    </message>
    <message>
        <source>Meeting language</source>
        <translation>회의 언어</translation>
    </message>
    <message>
        <source>Input device</source>
        <translation>입력 장치</translation>
    </message>
    <message>
        <source>Meetings folder</source>
        <translation>회의 폴더</translation>
    </message>
    <message>
        <source>Speakers</source>
        <translation>화자</translation>
    </message>
    <message>
        <source>Number of speakers</source>
        <translation>화자 수</translation>
    </message>
    <message>
        <source>App language</source>
        <translation>앱 언어</translation>
    </message>
    <message>
        <source>General</source>
        <translation>일반</translation>
    </message>
    <message>
        <source>Transcription</source>
        <translation>전사</translation>
    </message>
    <message>
        <source>AI</source>
        <translation>AI</translation>
    </message>
    <message>
        <source>Embedded 1.5B (default)</source>
        <translation>내장 1.5B (기본)</translation>
    </message>
    <message>
        <source>Embedded 0.5B (light, faster, weaker)</source>
        <translation>내장 0.5B (가볍고 빠르지만 품질 낮음)</translation>
    </message>
    <message>
        <source>GGUF model file…</source>
        <translation>GGUF 모델 파일…</translation>
    </message>
    <message>
        <source>OpenAI-compatible endpoint</source>
        <translation>OpenAI 호환 엔드포인트</translation>
    </message>
    <message>
        <source>Hugging Face model (transformers; uses a GPU if present)</source>
        <translation>Hugging Face 모델 (transformers, GPU가 있으면 사용)</translation>
    </message>
    <message>
        <source>Path of a .gguf model file</source>
        <translation>.gguf 모델 파일 경로</translation>
    </message>
    <message>
        <source>Folder of a Hugging Face model, or a .gguf file</source>
        <translation>Hugging Face 모델 폴더 또는 .gguf 파일</translation>
    </message>
    <message>
        <source>Automatic (a GPU if torch sees one)</source>
        <translation>자동 (torch가 GPU를 찾으면 GPU)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>NVIDIA GPU (CUDA)</source>
        <translation>NVIDIA GPU (CUDA)</translation>
    </message>
    <message>
        <source>Apple GPU (MPS)</source>
        <translation>Apple GPU (MPS)</translation>
    </message>
    <message>
        <source>If this engine cannot start, use the other one</source>
        <translation>이 엔진을 시작할 수 없으면 다른 엔진 사용</translation>
    </message>
    <message>
        <source>The embedded model when the endpoint or the Hugging Face model cannot be used, or the endpoint when the embedded model cannot load.</source>
        <translation>엔드포인트나 Hugging Face 모델을 쓸 수 없으면 내장 모델을, 내장 모델을 불러올 수 없으면 엔드포인트를 씁니다.</translation>
    </message>
    <message>
        <source>Allow an endpoint on another computer (the meeting's text is sent there)</source>
        <translation>다른 컴퓨터의 엔드포인트 허용 (회의 내용이 그곳으로 전송됩니다)</translation>
    </message>
    <message>
        <source>Local first: the embedded model runs on this computer. Text leaves it only when an endpoint is chosen (or is the fallback), and an endpoint on another computer also needs the permission above.</source>
        <translation>로컬 우선: 내장 모델은 이 컴퓨터에서 실행됩니다. 엔드포인트를 고르거나 대체 엔진으로 둘 때만 텍스트가 밖으로 나가며, 다른 컴퓨터의 엔드포인트는 위의 허용도 필요합니다.</translation>
    </message>
    <message>
        <source>Minutes › Edit template… copies a template into {folder}; files there override the shipped ones, and new files add templates.</source>
        <translation>회의록 › 양식 편집…을 누르면 양식이 {folder}에 복사됩니다. 이 폴더의 파일이 기본 양식보다 우선하고, 새 파일은 양식으로 추가됩니다.</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>폴더 열기</translation>
    </message>
    <message>
        <source>Language model</source>
        <translation>언어 모델</translation>
    </message>
    <message>
        <source>GGUF file</source>
        <translation>GGUF 파일</translation>
    </message>
    <message>
        <source>Hugging Face model</source>
        <translation>Hugging Face 모델</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>실행 장치</translation>
    </message>
    <message>
        <source>Endpoint URL</source>
        <translation>엔드포인트 URL</translation>
    </message>
    <message>
        <source>Endpoint model</source>
        <translation>엔드포인트 모델</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 키</translation>
    </message>
    <message>
        <source>Templates</source>
        <translation>양식</translation>
    </message>
    <message>
        <source>Hugging Face model folder</source>
        <translation>Hugging Face 모델 폴더</translation>
    </message>
    <message>
        <source>GGUF model file</source>
        <translation>GGUF 모델 파일</translation>
    </message>
    <message>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 모델 (*.gguf)</translation>
    </message>
    <message>
        <source>This endpoint is on another computer.</source>
        <translation>이 엔드포인트는 다른 컴퓨터에 있습니다.</translation>
    </message>
    <message>
        <source>Choose an existing .gguf model file.</source>
        <translation>있는 .gguf 모델 파일을 고르세요.</translation>
    </message>
    <message>
        <source>Choose the folder of a Hugging Face model (or a .gguf file).</source>
        <translation>Hugging Face 모델 폴더(또는 .gguf 파일)를 고르세요.</translation>
    </message>
    <message>
        <source>The transformers engine is not installed: install torch, then pip install 'minutes[transformers]' (see the README).</source>
        <translation>transformers 엔진이 설치되어 있지 않습니다. torch를 설치한 뒤 pip install 'minutes[transformers]'를 실행하세요 (README 참고).</translation>
    </message>
    <message>
        <source>Type the endpoint's base URL (for example http://127.0.0.1:11434/v1).</source>
        <translation>엔드포인트 기본 URL을 입력하세요 (예: http://127.0.0.1:11434/v1).</translation>
    </message>
    <message>
        <source>CTranslate2 Whisper model folder</source>
        <translation>CTranslate2 Whisper 모델 폴더</translation>
    </message>
<message><source>System</source><translation>시스템</translation></message></context>
<context>
    <name>SpeakersDialog</name>
    <message>
        <source>Speakers</source>
        <translation>화자</translation>
    </message>
    <message>
        <source>Name each speaker: the names show in the review and in every export. “Remember voice” saves the voice on this computer, so later meetings name this person automatically.</source>
        <translation>화자마다 이름을 붙이세요. 이름은 검토 화면과 모든 내보내기에 나타납니다. “목소리 기억”을 누르면 목소리를 이 컴퓨터에 저장해서 다음 회의부터 이 사람의 이름을 자동으로 붙입니다.</translation>
    </message>
    <message>
        <source>This meeting has no speakers yet. Find speakers tells who spoke when (it reuses the transcript).</source>
        <translation>이 회의에는 아직 화자 정보가 없습니다. 화자 찾기로 누가 언제 말했는지 알아냅니다 (전사는 다시 하지 않습니다).</translation>
    </message>
    <message>
        <source>Find speakers</source>
        <translation>화자 찾기</translation>
    </message>
    <message>
        <source>Saved voices…</source>
        <translation>저장된 목소리…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>&lt;b&gt;{title}&lt;/b&gt; — {n} speakers</source>
        <translation>&lt;b&gt;{title}&lt;/b&gt; — 화자 {n}명</translation>
    </message>
    <message>
        <source>{time} ({share}%)</source>
        <translation>{time} ({share}%)</translation>
    </message>
    <message>
        <source>Talk time</source>
        <translation>말한 시간</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>화자</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Name, e.g. 김민수</source>
        <translation>이름, 예: 김민수</translation>
    </message>
    <message>
        <source>Play a sample of this speaker</source>
        <translation>이 화자의 목소리 들어 보기</translation>
    </message>
    <message>
        <source>Remember voice</source>
        <translation>목소리 기억</translation>
    </message>
    <message>
        <source>Save this voice under the name, so later meetings name it automatically</source>
        <translation>이 목소리를 이름과 함께 저장해서 다음 회의부터 자동으로 이름을 붙입니다</translation>
    </message>
    <message>
        <source>Type a name first.</source>
        <translation>먼저 이름을 입력하세요.</translation>
    </message>
    <message>
        <source>Saving the voice…</source>
        <translation>목소리 저장 중…</translation>
    </message>
    <message>
        <source>Voice of {name} saved ({s} s of speech).</source>
        <translation>{name}의 목소리를 저장했습니다 (음성 {s}초).</translation>
    </message>
    <message>
        <source>Not saved: {e}</source>
        <translation>저장하지 못했습니다: {e}</translation>
    </message>
</context>
<context>
    <name>VoicesDialog</name>
    <message>
        <source>Saved voices</source>
        <translation>저장된 목소리</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>이름</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>음성 길이</translation>
    </message>
    <message>
        <source>Meetings</source>
        <translation>회의 수</translation>
    </message>
    <message>
        <source>Last saved</source>
        <translation>마지막 저장</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>삭제…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <source>{n} saved voices. A meeting's speaker whose voice matches one is named automatically; unknown voices stay numbered.</source>
        <translation>저장된 목소리 {n}개. 회의에서 목소리가 일치하는 화자는 자동으로 이름이 붙고, 모르는 목소리는 번호로 남습니다.</translation>
    </message>
    <message>
        <source>No saved voices yet. In a meeting's Speakers panel, name a speaker and press “Remember voice”.</source>
        <translation>저장된 목소리가 없습니다. 회의의 화자 창에서 화자 이름을 입력하고 “목소리 기억”을 누르세요.</translation>
    </message>
    <message>
        <source>Delete voice</source>
        <translation>목소리 삭제</translation>
    </message>
    <message>
        <source>Delete the saved voice of “{name}”? Later meetings will no longer name this person automatically; names already given stay.</source>
        <translation>“{name}”의 저장된 목소리를 삭제할까요? 다음 회의부터 이 사람의 이름이 자동으로 붙지 않습니다. 이미 붙인 이름은 그대로 남습니다.</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>The new language is used from the next start.</source>
        <translation>새 언어는 다음에 앱을 시작할 때 적용됩니다.</translation>
    </message>
    <message>
        <source>The new language is used when the running tasks finish.</source>
        <translation>새 언어는 진행 중인 작업이 끝나면 적용됩니다.</translation>
    </message>
</context>
<context><name>LibraryModel</name><message><source>Title</source><translation>제목</translation></message><message><source>Date</source><translation>날짜</translation></message><message><source>Duration</source><translation>길이</translation></message><message><source>Language</source><translation>언어</translation></message></context><context><name>ReviewModel</name><message><source>Time</source><translation>시간</translation></message><message><source>Speaker</source><translation>화자</translation></message><message><source>Recognised (raw)</source><translation>인식 결과 (원문)</translation></message><message><source>Reviewed</source><translation>검토본</translation></message></context><context><name>GlossaryModel</name><message><source>Term</source><translation>용어</translation></message><message><source>Variants</source><translation>변형</translation></message><message><source>Category</source><translation>분류</translation></message><message><source>Note</source><translation>메모</translation></message></context><context><name>RichTextDelegate</name><message><source>source: {who}</source><translation>출처: {who}</translation></message><message><source>score: {score}</source><translation>점수: {score}</translation></message><message><source>proposed</source><translation>제안됨</translation></message><message><source>accepted</source><translation>적용됨</translation></message><message><source>rejected</source><translation>거부됨</translation></message><message><source>glossary</source><translation>용어집</translation></message><message><source>confirmed by re-decoding</source><translation>재인식으로 확인됨</translation></message><message><source>language model</source><translation>언어 모델</translation></message><message><source>your edit</source><translation>직접 수정</translation></message><message><source>first pass: {text}</source><translation>처음 인식: {text}</translation></message><message><source>with hints: {text}</source><translation>힌트로 다시 인식: {text}</translation></message><message><source>terms offered: {terms}</source><translation>제시한 용어: {terms}</translation></message><message><source>audio score change: {gain} nats</source><translation>소리 점수 변화: {gain} nats</translation></message></context><context><name>QFileDialog</name><message><source>&amp;Look in:</source><translation>다음에서 찾기(&amp;L):</translation></message><message><source>Files of &amp;type:</source><translation>파일 형식(&amp;T):</translation></message></context></TS>