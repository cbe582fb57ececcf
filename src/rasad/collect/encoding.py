"""Bytes from the web to text, in the face of missing, wrong and lying charset labels.

The order of trust, and why:

1. A byte-order mark (UTF-8, UTF-16, UTF-32) - nothing else produces one.
2. Known binary signatures (PNG, PDF, ZIP ...) are refused outright.
3. Strict UTF-8. Legacy bytes almost never form valid UTF-8 by accident, so a page that
   decodes as UTF-8 *is* UTF-8 whatever its label says ("iso-8859-1" on a UTF-8 page is
   common). A truncated last character and a handful of bad bytes in otherwise valid
   UTF-8 are tolerated (replaced by U+FFFD).
4. UTF-16 without a BOM, recognised by one byte of each pair being nearly constant
   (00 for Latin text, 06 for Arabic-script text).
5. Legacy readings, in order of preference: the declared charset (the ``declared``
   argument, e.g. from the HTTP header, else ``<meta charset>`` or the XML declaration)
   read the way browsers read it (iso-8859-1 and us-ascii mean windows-1252), then
   windows-1256; only if neither reads cleanly, charset-normalizer's best guess among
   encodings a web page may plausibly use. The reading with the least mojibake wins, the
   earlier one on a tie. Mojibake is what a wrong code page shows where the right one
   has letters: runs of accented Latin letters ("ÇÝÛÇäÓÊÇä" for افغانستان read as
   windows-1252), UTF-8 lead bytes shown as Ø Ù Ú Û followed by punctuation ("Ø§Ù„"),
   Arabic letters inside Latin or Cyrillic words, C1 controls, box drawing and Latin-1
   signs (¤ ± ² ¾ ...).

Text with many control characters under every reading is binary: ``BadInput``.

Windows-1256 has Persian پ چ ژ گ ک but not Persian ی (legacy Persian pages used Arabic
ي/ى) nor the Pashto letters ټ ډ ړ ښ ږ ځ څ ۍ ې ڼ ګ, nor Urdu ۔ and ۓ: Pashto pages are
Unicode, and Persian text decoded from windows-1256 carries ي, which the normaliser folds.
"""

from __future__ import annotations

import codecs
import re

from rasad.errors import BadInput

__all__ = ["decode_bytes", "sniff_declared_charset"]

_SNIFF_BYTES = 4096
_SAMPLE_BYTES = 65536  # enough to judge; whole-document checks would cost time on big pages
_MAX_CONTROL_SHARE = 0.05  # more control characters than this: binary
_MAX_NUL_SHARE = 0.005
_MAX_BAD_UTF8_SHARE = 0.01  # invalid sequences per non-ASCII character still read as UTF-8
_ACCEPTABLE_MOJIBAKE = 0.05  # per non-ASCII character; below it charset-normalizer is not asked

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"), (b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"\xff\xd8\xff", "JPEG"),
    (b"%PDF-", "PDF"), (b"PK\x03\x04", "ZIP"), (b"\x1f\x8b", "gzip"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "RAR"), (b"\x7fELF", "ELF"), (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE"),
    (b"OggS", "Ogg"), (b"fLaC", "FLAC"), (b"ID3", "MP3"), (b"wOFF", "WOFF"), (b"wOF2", "WOFF2"),
    (b"\x28\xb5\x2f\xfd", "zstd"), (b"SQLite format 3\x00", "SQLite"), (b"RIFF", "RIFF"),
)
# encodings charset-normalizer may choose from: what web pages in Rasad's languages use
# (and their neighbours in the world of single-byte and CJK code pages)
_PLAUSIBLE = [
    "cp1256", "iso8859_6", "cp1252", "cp1250", "cp1251", "koi8_r", "cp1253", "cp1254",
    "cp1255", "gb18030", "big5", "shift_jis", "euc_jp", "euc_kr",
]
# labels browsers read as another encoding (WHATWG Encoding Standard)
_BROWSER_READS = {
    "iso8859-1": "cp1252", "ascii": "cp1252", "iso8859-9": "cp1254", "gb2312": "gb18030",
    "gbk": "gb18030", "tis-620": "cp874", "iso8859-11": "cp874",
}

_DECLARATION = re.compile(
    rb"""<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})["']"""
    rb"""|<meta[^>]{0,500}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""",
    re.IGNORECASE,
)
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
# C1 controls, box drawing and Latin-1 signs: what a wrong single-byte code page shows
# where the right one has letters
_ODD_SIGNS = re.compile("[\x80-\x9f\u00a4\u00a6\u00a8\u00ac\u00af\u00b1-\u00b6\u00b8-\u00ba\u00bc-\u00bf\u2500-\u25ff]")
_MOJIBAKE = re.compile(
    "[\u00c0-\u00ff]{3,}"  # runs of accented Latin letters: single-byte Arabic read as Latin
    "|[\u00d8\u00d9\u00da\u00db][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
    # Arabic letters inside Latin words: Latin or Cyrillic single-byte text read as windows-1256
    "|[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff][\u0600-\u06ff]"
    "|[\u0600-\u06ff][A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]"
)


def sniff_declared_charset(data: bytes) -> str | None:
    """The charset a document declares in its first 4 KB (XML declaration or <meta>)."""
    match = _DECLARATION.search(data[:_SNIFF_BYTES])
    if match is None:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii")
    codec = _codec(label)
    return _label(codec) if codec else None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """``data`` as text and the name of the encoding it was read with.

    Raises ``BadInput`` for binary content.
    """
    if not data:
        return "", "utf-8"
    for bom, codec in _BOMS:
        if data.startswith(bom):
            text = data[len(bom):].decode(codec, errors="replace")
            _refuse_binary(text)
            return text, codec
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            raise BadInput(f"content is binary ({kind}), not text")
    if data[4:8] == b"ftyp":
        raise BadInput("content is binary (MP4), not text")

    sample = data[:_SAMPLE_BYTES]
    text = _as_utf8(data)
    if text is not None and _control_share(text[:_SAMPLE_BYTES]) <= _MAX_CONTROL_SHARE:
        return text, "utf-8"
    utf16 = _as_bomless_utf16(data)
    if utf16 is not None:
        return utf16
    if sample.count(0) > _MAX_NUL_SHARE * len(sample):
        raise BadInput("content is binary (NUL bytes), not text")

    # legacy encodings, in order of preference; the one with the least mojibake wins
    readings: list[tuple[float, str, str]] = []
    for codec in (_legacy_declared(declared, data), "cp1256"):
        _add_reading(readings, data, codec)
    if not any(share <= _ACCEPTABLE_MOJIBAKE for share, _, _ in readings):
        _add_reading(readings, data, _charset_normalizer_guess(sample))
    if not readings:
        raise BadInput("content is binary, not text")
    _, codec, text = min(readings, key=lambda reading: reading[0])  # the first of equals
    return text, _label(codec)


def _legacy_declared(declared: str | None, data: bytes) -> str | None:
    """The declared charset as browsers read it, unless it is a UTF (already ruled out)."""
    codec = _codec(declared) or _codec(sniff_declared_charset(data))
    if codec is None or codec.startswith("utf"):
        return None
    return _BROWSER_READS.get(codec, codec)


def _add_reading(readings: list[tuple[float, str, str]], data: bytes, codec: str | None) -> None:
    if not codec or any(codec == seen for _, seen, _ in readings):
        return
    text = _strict(data, codec)
    if text is not None and not _is_binary(text):
        readings.append((_mojibake_share(text[:_SAMPLE_BYTES]), codec, text))


def _codec(label: str | None) -> str | None:
    """Python's name for a charset label, or None if Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").strip()
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _label(codec: str) -> str:
    """The usual web name of a Python codec: cp1256 -> windows-1256."""
    if re.fullmatch(r"cp125\d", codec):
        return "windows-" + codec[2:]
    if codec == "cp874":
        return "windows-874"
    match = re.fullmatch(r"iso8859-(\d+)", codec)
    if match:
        return f"iso-8859-{match.group(1)}"
    return codec.replace("_", "-")


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _as_utf8(data: bytes) -> str | None:
    """UTF-8, allowing a character cut off at the end and rare invalid bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= len(data) - 3 and error.reason == "unexpected end of data":
            return data[:error.start].decode("utf-8", errors="replace") + "\ufffd"
    text = data.decode("utf-8", errors="replace")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    bad = text.count("\ufffd")
    if bad <= _MAX_BAD_UTF8_SHARE * max(non_ascii - bad, 0):
        return text
    return None


def _as_bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text has one nearly constant byte per pair: 00 for Latin, 06 for Arabic."""
    sample = data[:_SAMPLE_BYTES]
    if len(sample) < 8:
        return None
    sample = sample[: len(sample) // 2 * 2]
    for codec, high, low in (("utf-16-le", sample[1::2], sample[0::2]), ("utf-16-be", sample[0::2], sample[1::2])):
        counts = sorted((high.count(b) for b in set(high)), reverse=True)
        if sum(counts[:3]) < 0.9 * len(high) or low.count(0) > 0.02 * len(low):
            continue
        even = data[: len(data) // 2 * 2]
        text = _strict(even, codec)
        if text is not None and not _is_binary(text):
            return text, codec
    return None


def _control_share(text: str) -> float:
    return len(_CONTROL.findall(text)) / max(1, len(text))


def _is_binary(text: str) -> bool:
    return _control_share(text[:_SAMPLE_BYTES]) > _MAX_CONTROL_SHARE


def _refuse_binary(text: str) -> None:
    sample = text[:_SAMPLE_BYTES]
    if _is_binary(sample) or sample.count("\ufffd") > _MAX_CONTROL_SHARE * len(sample):
        raise BadInput("content is binary, not text")


def _mojibake_share(text: str) -> float:
    """Suspicious characters per non-ASCII character (0 for clean text)."""
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    if not non_ascii:
        return 0.0
    suspicious = sum(len(match) for match in _MOJIBAKE.findall(text)) + 2 * len(_ODD_SIGNS.findall(text))
    return suspicious / non_ascii


def _charset_normalizer_guess(sample: bytes) -> str | None:
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=_PLAUSIBLE).best()
    return _codec(best.encoding) if best is not None else None
