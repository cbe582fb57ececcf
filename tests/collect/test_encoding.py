"""Bytes to text: BOMs, UTF-16, windows-1256, wrong labels and binary junk."""

import random

import pytest

from rasad.collect.encoding import decode_bytes, sniff_declared_charset
from rasad.errors import BadInput

FA = "سخنگوی وزارت امور خارجه ایران روز دوشنبه گفت که تهران به تعهدات خود پایبند است. وی افزود که مذاکرات ادامه خواهد داشت."
PRS = "شاروالی کابل از آغاز کار سرک‌سازی در ناحیه دهم شهر خبر داد. محصلان پوهنتون از این تصمیم استقبال کردند."
AR = "قال المتحدث باسم الجيش إن القوات تمكنت من إحباط هجوم على نقطة عسكرية قرب الحدود، وأسفرت الاشتباكات عن مقتل ثلاثة مسلحين."
UR = "پاکستان کے وزیر داخلہ نے کہا ہے کہ دہشت گردوں کے خلاف کارروائی جاری رہے گی۔ انہوں نے یہ بات اسلام آباد میں کہی۔"
PS = "د ننګرهار والي وویل چې د سیلابونو له امله سلګونه کورونه ویجاړ شوي دي. زیانمنو کورنیو ته بیړنۍ مرستې ورسول شوې."
EN = "The Taliban spokesman said on Tuesday that the group would not allow foreign fighters to use Afghan soil."
ALL = {"fa": FA, "prs": PRS, "ar": AR, "ur": UR, "ps": PS, "en": EN}


def legacy(text: str) -> str:
    """``text`` as a windows-1256 page would hold it: Persian ی as Arabic ي, Urdu ۔ as '.'."""
    return text.replace("ی", "ي").replace("۔", ".")


def page(body: str, charset: str, encoding: str) -> bytes:
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body><p>{body}</p></body></html>'
    return html.encode(encoding)


@pytest.mark.parametrize("language", ALL)
def test_utf8_without_bom(language):
    assert decode_bytes(ALL[language].encode("utf-8")) == (ALL[language], "utf-8")


@pytest.mark.parametrize("language", ALL)
def test_utf8_with_bom_loses_the_bom(language):
    assert decode_bytes(b"\xef\xbb\xbf" + ALL[language].encode("utf-8")) == (ALL[language], "utf-8")


@pytest.mark.parametrize("language", ALL)
@pytest.mark.parametrize(("bom", "codec"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_with_bom(language, bom, codec):
    assert decode_bytes(bom + ALL[language].encode(codec)) == (ALL[language], codec)


@pytest.mark.parametrize("language", ALL)
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_recognised_by_its_byte_pattern(language, codec):
    assert decode_bytes(ALL[language].encode(codec)) == (ALL[language], codec)


def test_utf32_with_bom():
    assert decode_bytes(b"\xff\xfe\x00\x00" + FA.encode("utf-32-le")) == (FA, "utf-32-le")


@pytest.mark.parametrize("language", ["fa", "ar", "ur"])
@pytest.mark.parametrize("declared", [None, "windows-1256", "cp1256"])
def test_windows_1256_decodes(language, declared):
    text = legacy(ALL[language])
    assert decode_bytes(text.encode("cp1256"), declared) == (text, "windows-1256")


@pytest.mark.parametrize("language", ["fa", "ar", "ur"])
@pytest.mark.parametrize("wrong", ["iso-8859-1", "windows-1252", "utf-8", "koi8-r", "no-such-charset"])
def test_windows_1256_page_with_a_wrong_label_still_decodes(language, wrong):
    text = legacy(ALL[language])
    assert decode_bytes(text.encode("cp1256"), wrong) == (text, "windows-1256")


def test_windows_1256_persian_labelled_latin1_in_meta_is_not_read_as_mojibake():
    data = page(legacy(FA), "iso-8859-1", "cp1256")
    text, encoding = decode_bytes(data)
    assert encoding == "windows-1256"
    assert legacy(FA) in text
    assert "Ç" not in text


def test_windows_1256_keeps_persian_letters_and_takes_arabic_yeh():
    text, encoding = decode_bytes(legacy(FA).encode("cp1256"))
    assert encoding == "windows-1256"
    assert {"گ", "پ", "ک"} <= set(text) and "ي" in text and "ی" not in text


def test_pashto_letters_do_not_exist_in_windows_1256():
    with pytest.raises(UnicodeEncodeError):
        PS.encode("cp1256")


@pytest.mark.parametrize("wrong", [None, "windows-1256", "iso-8859-1", "iso-8859-6"])
def test_pashto_utf8_page_decodes_whatever_its_label(wrong):
    assert decode_bytes(page(PS, wrong or "utf-8", "utf-8"), wrong)[1] == "utf-8"
    assert PS in decode_bytes(page(PS, wrong or "utf-8", "utf-8"), wrong)[0]


@pytest.mark.parametrize("language", ALL)
def test_utf8_page_declaring_latin1_is_read_as_utf8(language):
    data = page(ALL[language], "iso-8859-1", "utf-8")
    assert sniff_declared_charset(data) == "iso-8859-1"
    text, encoding = decode_bytes(data, "iso-8859-1")
    assert encoding == "utf-8"
    assert ALL[language] in text
    assert "Ø" not in text


def test_declared_charset_is_used_when_it_fits():
    russian = "Президент заявил, что переговоры продолжатся на следующей неделе."
    assert decode_bytes(russian.encode("cp1251"), "windows-1251") == (russian, "windows-1251")
    french = "L'attaque a été condamnée par le gouvernement."
    assert decode_bytes(french.encode("cp1252"), "windows-1252") == (french, "windows-1252")


def test_latin1_label_is_read_as_windows_1252_like_browsers_do():
    text = "“Quoted” — naïve café"
    assert decode_bytes(text.encode("cp1252"), "iso-8859-1") == (text, "windows-1252")


def test_cyrillic_legacy_page_without_label_is_not_taken_for_windows_1256():
    russian = "Президент России заявил, что переговоры продолжатся на следующей неделе в Москве."
    assert decode_bytes(russian.encode("cp1251")) == (russian, "windows-1251")


def test_truncated_last_character_is_tolerated():
    # a size cap may cut the last character in half
    assert decode_bytes((FA + " سلام").encode("utf-8")[:-1]) == (FA + " سلا\ufffd", "utf-8")
    assert decode_bytes("سلام".encode()[:-1]) == ("سلا\ufffd", "utf-8")


def test_a_few_bad_bytes_in_utf8_are_replaced():
    good = (FA + " ") * 20
    data = good.encode("utf-8")
    data = data[:100] + b"\xff" + data[100:]
    text, encoding = decode_bytes(data, "windows-1256")
    assert encoding == "utf-8"
    assert text.count("\ufffd") == 1
    assert text.replace("\ufffd", "") == good


def test_pure_ascii_is_utf8():
    assert decode_bytes(b"plain text", "windows-1256") == ("plain text", "utf-8")


def test_empty_bytes_are_empty_text():
    assert decode_bytes(b"") == ("", "utf-8")


@pytest.mark.parametrize(
    "data",
    [
        random.Random(1).randbytes(4000),
        random.Random(2).randbytes(100),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Filter /FlateDecode >>\nstream\nx\x9c\x03\x00\x00\x00\x00\x01",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        b"PK\x03\x04\x14\x00\x00\x00",
        b"ab\x00\x00\x00cd\x00\x01\x00\x00\x00\x00\xff\x00" * 50,
        b"GIF89a\x01\x00\x01\x00",
    ],
    ids=["random", "random-short", "png", "pdf", "gzip", "zip", "nuls", "gif"],
)
def test_binary_content_is_refused_with_a_one_line_message(data):
    with pytest.raises(BadInput) as error:
        decode_bytes(data)
    message = str(error.value)
    assert "binary" in message and "\n" not in message


def test_sniff_finds_meta_charset():
    assert sniff_declared_charset(b'<!doctype html><html><head><meta charset="windows-1256">') == "windows-1256"
    assert sniff_declared_charset(b"<meta charset=UTF-8>") == "utf-8"
    assert sniff_declared_charset(b'<meta http-equiv="content-type" content="text/html; charset=ISO-8859-6">') == "iso-8859-6"


def test_sniff_finds_xml_declaration():
    assert sniff_declared_charset(b'<?xml version="1.0" encoding="windows-1256"?>\n<rss/>') == "windows-1256"
    assert sniff_declared_charset(b"\xef\xbb\xbf<?xml version='1.0' encoding='utf-8'?><feed/>") == "utf-8"


def test_sniff_ignores_unknown_missing_and_late_declarations():
    assert sniff_declared_charset(b'<meta charset="klingon-8">') is None
    assert sniff_declared_charset(b"<html><body>no declaration</body></html>") is None
    assert sniff_declared_charset(b" " * 5000 + b'<meta charset="windows-1256">') is None
    assert sniff_declared_charset(b"") is None


def test_meta_charset_decides_a_legacy_page_without_header():
    russian = "Президент заявил, что переговоры продолжатся."
    data = page(russian, "windows-1251", "cp1251")
    text, encoding = decode_bytes(data)
    assert encoding == "windows-1251" and russian in text
