"""Small helpers shared by tests (texts are the team's own)."""

from __future__ import annotations

from pathlib import Path

from rasad.config import Settings
from rasad.pipeline.ingest import Ingester
from rasad.search.service import open_backend
from rasad.store.db import Database

# one short news-like text per language, written for these tests
TEXTS = {
    "fa": (
        "سخنگوی وزارت امور خارجه: به هر تجاوزی پاسخ می‌دهیم",
        "سخنگوی وزارت امور خارجه ایران روز دوشنبه ۱۲ آذر ۱۴۰۳ در نشست خبری هفتگی گفت که "
        "تهران به هرگونه تجاوز علیه خاک کشور پاسخی قاطع و پشیمان‌کننده خواهد داد. "
        "وی افزود که دانشگاه‌ها و شهرداری‌های استان تهران نیز در برنامه‌های دفاع مدنی شرکت می‌کنند.",
    ),
    "prs": (
        "مجاهد: امارت اسلامی به هیچ کشوری اجازه مداخله نمی‌دهد",
        "ذبیح‌الله مجاهد، سخنگوی امارت اسلامی، روز سه‌شنبه ۱۵ عقرب ۱۴۰۳ در کابل به خبرنگاران گفت که "
        "امارت اسلامی به هیچ کشوری اجازه نمی‌دهد در امور داخلی افغانستان مداخله کند. "
        "او افزود که کار بازسازی سرک‌ها در چندین ولسوالی ولایت ننگرهار ادامه دارد و شاروالی کابل "
        "نیز پروژه‌های تازه را آغاز کرده است.",
    ),
    "ps": (
        "ذبیح الله مجاهد: اسلامي امارت به د هېواد له خاورې د بل چا پر ضد د کار اجازه ورنکړي",
        "د اسلامي امارت ویاند ذبیح الله مجاهد پرون په کابل کې خبریالانو ته وویل چې اسلامي امارت "
        "به هېچا ته اجازه ورنکړي چې د افغانستان له خاورې د ګاونډیو هېوادونو پر ضد کار واخلي. "
        "هغه زیاته کړه چې د ننګرهار ولایت په ولسوالیو کې د سړکونو جوړول روان دي.",
    ),
    "ar": (
        "المتحدث باسم الحركة: المقاومة ستواصل عملياتها",
        "قال المتحدث باسم الحركة في بيان نُشر مساء الأربعاء إن المقاومة ستواصل عملياتها حتى "
        "تحقيق أهدافها، مؤكداً أن أيّ عدوان جديد سيُقابَل بردّ حاسم. وأضاف أن الحركة تدعو "
        "الدول العربية والإسلامية إلى تحمّل مسؤولياتها تجاه ما يجري في المنطقة.",
    ),
    "ur": (
        "ترجمان: حکومت دہشت گردی کے خلاف کارروائی جاری رکھے گی",
        "وزارت داخلہ کے ترجمان نے منگل کے روز اسلام آباد میں صحافیوں سے بات کرتے ہوئے کہا کہ "
        "حکومت دہشت گردی کے خلاف کارروائی جاری رکھے گی اور سرحدی علاقوں میں سیکیورٹی مزید سخت کر دی گئی ہے۔ "
        "انہوں نے بتایا کہ خیبر پختونخوا میں کئی مشتبہ افراد کو گرفتار کیا گیا ہے۔",
    ),
    "en": (
        "Spokesman says the group will respond to any attack",
        "The group's spokesman said on Thursday that it would respond to any attack on its "
        "positions, and called on neighbouring states to stay out of the conflict. He added that "
        "the movement's leadership had met in Kabul to discuss the security situation.",
    ),
}


def write_texts(folder: Path, texts: dict[str, tuple[str, str]] = TEXTS) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for lang, (title, body) in texts.items():
        path = folder / f"{lang}.txt"
        path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
        paths[lang] = path
    return paths


def make_ingester(settings: Settings) -> tuple[Database, Ingester]:
    db = Database(settings.db_url)
    backend = open_backend(settings, db)
    return db, Ingester(settings, db, backend)
