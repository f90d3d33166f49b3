"""Meeting minutes core: transcription, correction, sessions and exports.

Importing this package is cheap: heavy libraries (faster-whisper, CTranslate2,
python-docx) are imported lazily inside the modules that need them.
"""

__version__ = "0.1.0"
