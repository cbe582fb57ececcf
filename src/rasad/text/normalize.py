"""The one normaliser for search keys and matching; stored text always stays original.

``normalize`` turns text into space-separated tokens that compare equal across the
spelling habits of Persian (Iran and Afghanistan), Pashto, Urdu and Arabic writers and
their keyboards, and across Latin case and accents. ``normalize_with_offsets`` gives the
same string plus, for every output character, the index of the original character it came
from, so a match in the key can be highlighted in the original text.

Every character is mapped on its own (NFKC, case folding, accent stripping and the
letter folds below are applied per code point, then whitespace runs are collapsed).
Because no rule looks at a neighbour, ``normalize`` can be one ``str.translate`` plus a
split/join, and the offsets version is the same table walked in a loop. Canonical
composition across characters is therefore not applied, which changes nothing for the
scripts Rasad reads: combining accents and Arabic marks are removed either way, so "é"
and "e" + U+0301 both become "e", and "آ" and "ا" + U+0653 both become "ا".

Folding table (Arabic script; "kept" letters stay distinct in the key):

=====================  ==========  ==========================================================
letter(s)              key         why
=====================  ==========  ==========================================================
ي ى ی ئ ٸ              ی U+06CC    one yeh: Arabic keyboards type ي/ى for Persian ی; ئ is yeh
                                   + hamza (hamza is dropped everywhere, see أ)
ې ۍ (Pashto)           ی           Pashto's five yehs are typed inconsistently (ی for ې/ۍ on
                                   Persian keyboards, "کې"/"کی"); ي/ی/ئ already merge, so
                                   keeping these two apart would only split one word in two
ك ڪ                    ک U+06A9    one kaf
ګ (Pashto) گ           گ U+06AF    same /g/; "ننګرهار"/"ننگرهار", "ګلبدین"/"گلبدین" must meet
ة ۃ                    ه           teh marbuta is written as heh in Persian/Urdu loans
ۀ ە ہ ۂ                ه           heh + yeh, Kurdish ae (used for heh) and Urdu heh goal
ھ (do-chashmi heh)     ه           Urdu writers type ھ for h ("ھے" for "ہے"), Arabic and
                                   Persian text often carries ھ as an initial heh; merging
                                   loses only a few Urdu pairs like پھر/پہر
أ إ آ ٱ ٲ ٳ ٵ          ا           hamza and madda on alef are dropped or added at will
ؤ ٶ                    و           as above
ټ ډ ړ (Pashto)         ٹ ڈ ڑ       same retroflex sounds as Urdu; Pakistani names such as
                                   ٹانک/ټانک, ڈیرہ/ډیره meet; never folded into ت د ر, which
                                   are different letters in both languages
ڤ                      ف           Arabic writes a foreign v either way
ے ۓ (Urdu yeh barree)  ے           kept: distinct from ی in Urdu (کے/کی, ہے)
ں (noon ghunna)        ں           kept: Urdu-only letter, no cross-language gain
ښ ږ ځ څ ڼ (Pashto)     kept        no Persian counterpart; ښ≠ش, ځ≠ج, څ≠چ are Pashto pairs
پ چ ژ                  kept        distinct from ب ج ز; folding would damage Persian
ء (lone hamza)         kept        a letter: folding it would make ماء = ما, سوء = سو
=====================  ==========  ==========================================================

Removed outright (they join, never split, a word): Arabic harakat U+064B–U+065F,
superscript alef U+0670, Quranic marks U+0610–U+061A and U+06D6–U+06ED, other Arabic
combining marks, high hamza U+0674, tatweel U+0640, ZWNJ, ZWJ, LRM/RLM/ALM, bidi
embeddings and isolates, soft hyphen, BOM and every other format (Cf) character, and
variation selectors. So "می‌گوید" and "میگوید" are one token; "می گوید" (a real space)
stays two tokens.

Digits of every script (Persian ۰–۹, Arabic-Indic ٠–٩ ...) become ASCII 0–9. Latin and
Greek: NFKC, case folding, accents removed (é -> e, ß -> ss); Cyrillic keeps its marks
(й is a letter of its own). Punctuation and symbols of every script (، ؛ ؟ « » ۔ ٪ ٫,
quotes, dashes, brackets, emoji) and control characters become a space; whitespace runs
collapse to one space.

The table is deliberately code, not YAML: every stored search key depends on it, so a
change means re-normalising the archive. Bump ``NORMALIZER_VERSION`` when it changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

__all__ = [
    "NORMALIZER_VERSION",
    "fold_letters",
    "normalize",
    "normalize_with_offsets",
    "tokenize",
]

NORMALIZER_VERSION = 1

_YEH = "\u06cc"
_KAF = "\u06a9"
_HEH = "\u0647"
_ALEF = "\u0627"
_WAW = "\u0648"

# letter -> key letter; applied after NFKC/casefold/mark stripping, and by fold_letters
_LETTER_FOLDS: dict[str, str] = {
    "\u064a": _YEH,  # ي
    "\u0649": _YEH,  # ى alef maksura
    "\u0626": _YEH,  # ئ
    "\u0678": _YEH,  # ٸ high hamza yeh
    "\u06d0": _YEH,  # ې Pashto
    "\u06cd": _YEH,  # ۍ Pashto
    "\u0643": _KAF,  # ك
    "\u06aa": _KAF,  # ڪ swash kaf
    "\u06ab": "\u06af",  # ګ -> گ
    "\u0629": _HEH,  # ة
    "\u06c3": _HEH,  # ۃ teh marbuta goal
    "\u06c0": _HEH,  # ۀ
    "\u06d5": _HEH,  # ە
    "\u06c1": _HEH,  # ہ heh goal
    "\u06c2": _HEH,  # ۂ
    "\u06be": _HEH,  # ھ do-chashmi heh
    "\u0623": _ALEF,  # أ
    "\u0625": _ALEF,  # إ
    "\u0622": _ALEF,  # آ
    "\u0671": _ALEF,  # ٱ wasla
    "\u0672": _ALEF,  # ٲ
    "\u0673": _ALEF,  # ٳ
    "\u0675": _ALEF,  # ٵ
    "\u0624": _WAW,  # ؤ
    "\u0676": _WAW,  # ٶ
    "\u067c": "\u0679",  # ټ -> ٹ
    "\u0689": "\u0688",  # ډ -> ڈ
    "\u0693": "\u0691",  # ړ -> ڑ
    "\u06a4": "\u0641",  # ڤ -> ف
    "\u06d3": "\u06d2",  # ۓ -> ے
}

# default-ignorable characters that are not Cf (Cf is removed by category)
_IGNORABLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0]
    + list(range(0xFE00, 0xFE10))
    + list(range(0xE0100, 0xE01F0))
)
# Arabic characters removed although not marks: tatweel, high hamza, small waw/yeh and
# Quranic signs U+06D6–U+06ED (some of which are So or Lm)
_ARABIC_REMOVED = frozenset([0x0640, 0x0674, *range(0x06D6, 0x06EE)])
_ARABIC_BLOCKS = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x0870, 0x08FF))
# combining accents stripped from Latin and Greek letters
_ACCENT_BLOCKS = ((0x0300, 0x036F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
_MAX_CACHED = 300_000


def _in(cp: int, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(lo <= cp <= hi for lo, hi in blocks)


def _is_removed(ch: str) -> bool:
    """Characters that vanish from the key without separating words."""
    cp = ord(ch)
    if cp in _ARABIC_REMOVED or cp in _IGNORABLE:
        return True
    category = unicodedata.category(ch)
    if category == "Cf":
        return True
    return category in ("Mn", "Me") and _in(cp, _ARABIC_BLOCKS)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    if decomposed == text and not any(_in(ord(c), _ACCENT_BLOCKS) for c in text):
        return text
    if 0x0400 <= ord(decomposed[0]) <= 0x052F:  # Cyrillic: й, ё are letters of their own
        return text
    kept = "".join(c for c in decomposed if not _in(ord(c), _ACCENT_BLOCKS) and not _is_removed(c))
    return unicodedata.normalize("NFC", kept)


def _key_of_char(ch: str) -> str:
    """The key text for one output character of NFKC/casefold (no further expansion)."""
    if _is_removed(ch):
        return ""
    if ch.isspace():
        return " "
    folded = _LETTER_FOLDS.get(ch)
    if folded is not None:
        return folded
    category = unicodedata.category(ch)
    if category == "Nd":
        return str(unicodedata.decimal(ch))
    if category[0] in "PS" or category in ("Cc", "Cs"):
        return " "
    return ch


def _normalize_once(text: str) -> str:
    out = []
    for ch in text:
        if 0xD800 <= ord(ch) <= 0xDFFF:  # a lone surrogate is not text
            out.append(" ")
            continue
        if _is_removed(ch):
            continue
        expanded = unicodedata.normalize("NFKC", ch).casefold()
        expanded = unicodedata.normalize("NFKC", expanded)
        expanded = _strip_accents(expanded) if expanded else expanded
        out.extend(_key_of_char(c) for c in expanded)
    return "".join(out)


def _fold_once(text: str) -> str:
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xD800 <= cp <= 0xDFFF:
            out.append(ch)
            continue
        if _is_removed(ch):
            continue
        # Arabic presentation forms (ﻻ, ﷲ, ﭖ ...) are letters in disguise
        if (0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF) and unicodedata.category(ch) == "Lo":
            expanded = unicodedata.normalize("NFKC", ch)
        else:
            expanded = ch
        for c in expanded:
            if _is_removed(c):
                continue
            folded = _LETTER_FOLDS.get(c)
            if folded is not None:
                out.append(folded)
            elif unicodedata.category(c) == "Nd":
                out.append(str(unicodedata.decimal(c)))
            else:
                out.append(c)
    return "".join(out)


def _fixed_point(step: Callable[[str], str], ch: str) -> str:
    """Apply ``step`` until it stops changing, so that keys are idempotent."""
    result = step(ch)
    for _ in range(4):
        again = step(result)
        if again == result:
            break
        result = again
    return result


class _LazyTable(dict):
    """A ``str.translate`` table computed per code point on first sight and cached."""

    def __init__(self, step: Callable[[str], str]) -> None:
        super().__init__()
        self._step = step

    def __missing__(self, cp: int) -> int | str | None:
        ch = chr(cp)
        result = _fixed_point(self._step, ch)
        value: int | str | None
        if result == ch:
            value = cp
        elif result == "":
            value = None
        elif len(result) == 1:
            value = ord(result)
        else:
            value = result
        if len(self) < _MAX_CACHED:  # an adversarial text cannot grow it without bound
            self[cp] = value
        return value


# Blocks nearly every text stays within. For them a plain dict is filled in advance:
# str.translate is about a third faster with a plain dict than with a dict subclass.
_COMMON_BLOCKS = ((0x0000, 0x036F), (0x0600, 0x06FF), (0x0750, 0x077F), (0x2000, 0x206F), (0xFE70, 0xFEFF))
_UNCOMMON = re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in _COMMON_BLOCKS) + "]")


class _Table:
    def __init__(self, step: Callable[[str], str]) -> None:
        self.lazy = _LazyTable(step)
        self._common: dict[int, int | str | None] | None = None

    def common(self) -> dict[int, int | str | None]:
        if self._common is None:
            lazy = self.lazy
            self._common = {cp: lazy[cp] for lo, hi in _COMMON_BLOCKS for cp in range(lo, hi + 1)}
        return self._common

    def translate(self, text: str) -> str:
        if _UNCOMMON.search(text) is None:
            return text.translate(self.common())
        return text.translate(self.lazy)


_KEY_TABLE = _Table(_normalize_once)
_FOLD_TABLE = _Table(_fold_once)


def normalize(text: str) -> str:
    """The search key of ``text``: folded tokens separated by single spaces."""
    return " ".join(_KEY_TABLE.translate(text).split())


def tokenize(text: str) -> list[str]:
    """The tokens of the search key, as the index and the query parser see them."""
    return _KEY_TABLE.translate(text).split()


def fold_letters(text: str) -> str:
    """Letter, digit and invisible-character folding only.

    Keeps case, punctuation and spacing, so a name can be compared across Arabic and
    Persian spellings ("علي" / "علی", "ذبیح‌الله" / "ذبيح الله" up to the space) while
    offsets into the result still line up word by word with the original.
    """
    return _FOLD_TABLE.translate(text)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """``normalize(text)`` and, per output character, the index of its source character.

    A space standing for a run of separators points at the first separator of the run.
    """
    table = _KEY_TABLE.lazy
    chars: list[str] = []
    offsets: list[int] = []
    space_at = -1  # index of the separator that opened the pending space, or -1
    for index, ch in enumerate(text):
        value = table[ord(ch)]
        if value is None:
            continue
        piece = chr(value) if isinstance(value, int) else value
        for out in piece:
            if out == " ":
                if chars and space_at < 0:
                    space_at = index
                continue
            if space_at >= 0:
                chars.append(" ")
                offsets.append(space_at)
                space_at = -1
            chars.append(out)
            offsets.append(index)
    return "".join(chars), offsets


_ZWNJ_WORD = re.compile(r"\S*\u200c\S*")


def compound_parts(text: str) -> list[str]:
    """Normalised parts of words joined with ZWNJ ("ذبیح‌الله" -> ["ذبیح", "الله"]), each once.

    The search key joins such words ("ذبیحالله"), as Persian readers do; the same name is
    often typed with a space instead (Pashto "ذبیح الله"). Indexing the parts as well lets
    a query typed either way find both.
    """
    parts: dict[str, None] = {}
    for word in _ZWNJ_WORD.findall(text):
        for piece in word.split("\u200c"):
            for token in tokenize(piece):
                parts[token] = None
    return list(parts)
