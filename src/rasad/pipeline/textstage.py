"""The text stage: language, dialect, script and the normalised search key of a draft."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rasad.model import DocumentDraft, LanguageGuess
from rasad.text.langid import detect
from rasad.text.normalize import compound_parts, normalize

STAGE = "text"
VERSION = 1


@dataclass
class TextResult:
    guess: LanguageGuess
    text_norm: str
    title_norm: str
    content_hash: str
    extra_norm: str = ""  # parts of ZWNJ compounds, indexed besides the key


def content_hash(title: str, text: str) -> str:
    return hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()


def run_text_stage(draft: DocumentDraft, hint: str | None = None) -> TextResult:
    sample = f"{draft.title}\n{draft.text}" if draft.title else draft.text
    guess = detect(sample, hint=hint or draft.language_hint or None)
    return TextResult(guess=guess, text_norm=normalize(draft.text), title_norm=normalize(draft.title),
                      content_hash=content_hash(draft.title, draft.text),
                      extra_norm=" ".join(compound_parts(f"{draft.title}\n{draft.text}")))
