"""A seedable synthetic corpus recombining the demo corpus's sentences, in every language.

Each generated document takes ~300 words of sentences from demo documents of one
language (in the demo's language proportions), plus two "rare" name-like tokens drawn
from a large vocabulary so that benchmarks can query words that match a handful of
documents, not only frequent ones.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rasad.collect.feeds import parse_feed
from rasad.collect.files import parse_json_records
from rasad.collect.html import extract_html
from rasad.demo import demo_dirs

_SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+|\n+")
ARABIC_SYLLABLES = ["ba", "ra", "za", "ka", "ma", "na", "sa", "da", "ta", "ha", "la", "fa", "qa", "ja"]
ARABIC_LETTERS = "بتثجحخدذرزسشصضطظعغفقکگلمنهوی"


@dataclass
class GeneratedDoc:
    id: str
    language: str
    title: str
    text: str
    published: str
    rare: list[str]


def demo_sentences(root: Path | None = None) -> dict[str, list[str]]:
    """Sentences of the demo corpus per language (records carry their language; HTML pages
    and feed entries are identified with Rasad's own language identification)."""
    from rasad.collect.encoding import decode_bytes, sniff_declared_charset
    from rasad.text.langid import detect

    texts: list[tuple[str, str]] = []
    for folder in demo_dirs(root):
        for path in sorted((folder / "html").rglob("*.html")):
            raw = path.read_bytes()
            text, _ = decode_bytes(raw, sniff_declared_charset(raw))
            texts.append(("", extract_html(text).text))
        for path in sorted((folder / "feeds").glob("*.xml")):
            _info, drafts = parse_feed(path.read_bytes())
            texts.extend(("", d.text) for d in drafts)
        for path in sorted(folder.rglob("*.json*")):
            if path.suffix not in (".json", ".jsonl"):
                continue
            drafts, _ = parse_json_records(path.read_text(encoding="utf-8"), "",
                                           jsonl=path.suffix == ".jsonl")
            texts.extend((d.language_hint, d.text) for d in drafts)
    by_lang: dict[str, list[str]] = defaultdict(list)
    for lang, text in texts:
        if not lang:
            guess = detect(text)
            lang = "prs" if guess.dialect == "prs" else guess.language
        for sentence in _SENTENCE_END.split(text):
            if len(sentence.split()) >= 4:
                by_lang[lang].append(sentence.strip())
    return dict(by_lang)


def rare_vocabulary(rng: random.Random, size: int) -> list[str]:
    words = set()
    while len(words) < size:
        if rng.random() < 0.5:
            words.add("".join(rng.choice(ARABIC_LETTERS) for _ in range(rng.randint(5, 8))))
        else:
            words.add("".join(rng.choice(ARABIC_SYLLABLES) for _ in range(rng.randint(3, 4))) + "i")
    return sorted(words)


def generate(n: int, seed: int = 7, words: int = 300, root: Path | None = None):
    """Yield n GeneratedDoc, deterministic for a seed."""
    rng = random.Random(seed)
    sentences = demo_sentences(root)
    langs = sorted(sentences)
    weights = [len(sentences[lang]) for lang in langs]
    vocab = rare_vocabulary(rng, max(1000, n // 2))
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for i in range(n):
        lang = rng.choices(langs, weights)[0]
        pool = sentences[lang]
        parts, count = [], 0
        while count < words:
            s = rng.choice(pool)
            parts.append(s)
            count += len(s.split())
        rare = [rng.choice(vocab), rng.choice(vocab)]
        parts.insert(rng.randrange(len(parts)), " ".join(rare))
        title = parts[0][:120]
        published = (start + timedelta(minutes=rng.randrange(60 * 24 * 330))).isoformat()
        yield GeneratedDoc(f"gen/{seed}/{i}", lang, title, " ".join(parts[1:]), published, rare)


def write_text_files(folder: Path, docs) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, d in enumerate(docs):
        path = folder / f"{i:07d}.txt"
        path.write_text(f"{d.title}\n\n{d.text}\n", encoding="utf-8")
        paths.append(path)
    return paths


PAGE = """<!doctype html><html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<title>{title} | Bench News</title><meta name="author" content="Bench Desk">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="https://bench.example/{id}"></head>
<body><header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/politics">Politics</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">Bench Desk</p>{paras}</article>
<aside><h3>Most read</h3><ul><li><a href="/a">Another story</a></li><li><a href="/b">Yet another story</a></li></ul></aside></main>
<footer><p>© Bench News. All rights reserved.</p><a href="/about">About</a> <a href="/contact">Contact</a></footer></body></html>"""


def write_html_files(folder: Path, docs) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, d in enumerate(docs):
        sentences = _SENTENCE_END.split(d.text)
        paras = "".join(f"<p>{' '.join(sentences[j:j + 3])}</p>" for j in range(0, len(sentences), 3))
        page = PAGE.format(lang="fa" if d.language == "prs" else d.language,
                           dir="ltr" if d.language == "en" else "rtl", title=d.title,
                           published=d.published, id=d.id, paras=paras)
        path = folder / f"{i:07d}.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
    return paths


def write_jsonl(path: Path, docs) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for d in docs:
            handle.write(json.dumps({"id": d.id, "title": d.title, "text": d.text,
                                     "published": d.published}, ensure_ascii=False) + "\n")
            n += 1
    return n
