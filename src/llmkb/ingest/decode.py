"""Bytes → text: encoding detection, binary sniffing, line endings, traditional → simplified."""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from charset_normalizer import from_bytes

# Magic numbers of files people drop into a notes folder by mistake.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (e.g. .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0", "Microsoft Office document"),
    (b"\x7fELF", "executable"),
    (b"\x1f\x8b", "gzip archive"),
    (b"RIFF", "RIFF media file"),
)
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never belong in a note (tab, LF, CR, FF are fine).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Zero-width characters pasted from web pages: invisible, and a line of nothing else must
# count as blank (Zhihu separates its button bar with such lines).
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Radicals that text copied out of a PDF uses for the ideographs they look like ("输⼊" with
# U+2F0A for 入): readers see the same word, but search, anchors and matching do not. Kangxi
# radicals decompose to their ideograph (NFKC); the CJK Radicals Supplement has no
# decomposition, so its equivalents (Unicode's EquivalentUnifiedIdeograph data) are listed:
# each pair is a radical and its ideograph.
_SUPPLEMENT_RADICALS = (
    "⺀丶⺁厂⺂乛⺃乚⺄乙⺅亻⺆冂⺇几⺈刀⺉刂⺊卜⺋卩⺌小⺍小⺎尢⺏尣⺐尢⺑尣⺒巳⺓幺⺔彑⺕彐⺖忄⺗心⺘扌"
    "⺙攵⺛旡⺜日⺝月⺞歺⺟母⺠民⺡氵⺢氺⺣灬⺤爫⺥爫⺦丬⺧牛⺨犭⺩王⺪疋⺫目⺬示⺭礻⺮竹⺯糹⺰纟⺱罓"
    "⺲罒⺳罓⺴罓⺵罒⺶羊⺷羊⺸羋⺹耂⺺肀⺻聿⺼肉⺽臼⺾艹⺿艹⻀艹⻁虎⻂衤⻃覀⻄西⻅见⻆角⻇角⻈讠⻉贝"
    "⻊足⻋车⻌辶⻍辶⻎辶⻏邑⻐钅⻑長⻒镸⻓长⻔门⻕阜⻖阝⻗雨⻘青⻙韦⻚页⻛风⻜飞⻝食⻞飠⻟飠⻠饣"
    "⻡首⻢马⻣骨⻤鬼⻥鱼⻦鸟⻧鹵⻨麦⻩黄⻪黾⻫齊⻬齐⻭齒⻮齿⻯龍⻰龙⻱龜⻲龜⻳龟"
)
_RADICALS = {
    **{cp: unicodedata.normalize("NFKC", chr(cp)) for cp in range(0x2F00, 0x2FD6)},
    **{ord(r): i for r, i in zip(_SUPPLEMENT_RADICALS[::2], _SUPPLEMENT_RADICALS[1::2], strict=True)},
}
_PREFERRED_SINGLE_BYTE = ("cp1252", "latin_1")
_LONE_CJK = re.compile(r"(?<![\u4e00-\u9fff])(?:(?<=[A-Za-z])[\u4e00-\u9fff](?![\u4e00-\u9fff])"
                       r"|[\u4e00-\u9fff](?=[A-Za-z]))")


class UnreadableNote(Exception):
    """The file is not text we can read; str() says why in a few words."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    converted_traditional: bool
    stripped_controls: int


def sniff_binary(data: bytes) -> str | None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            return what
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode note bytes; raise UnreadableNote for binary or undecodable input."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec), codec.removesuffix("-sig") + " with BOM"
            except UnicodeDecodeError as exc:
                raise UnreadableNote(f"has a {codec} byte-order mark but invalid bytes") from exc
    what = sniff_binary(data)
    if what:
        raise UnreadableNote(f"is a binary file ({what}), not a text note")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        raise UnreadableNote("is a binary file (contains NUL bytes), not a text note")
    # Chinese notes that are not UTF-8 are almost always GB18030/GBK or Big5; charset-normalizer
    # decides, but a strict GB18030 decode that yields mostly CJK is the common case and
    # short GBK texts are where detectors guess wrong.
    results = from_bytes(data)
    best = results.best()
    candidates: list[tuple[str, str]] = []
    if best is not None:
        # Single-byte code pages often tie (a Latin-1 "naïve" is just as coherent read as
        # cp1250 "naďve"); charset-normalizer then picks alphabetically. The Western
        # cp1252 (a superset of Latin-1's printable range) is the likely origin of a
        # pasted note, so it wins ties.
        tied = [m for m in results if (m.chaos, m.coherence) == (best.chaos, best.coherence)]
        best = next((m for m in tied if m.encoding in _PREFERRED_SINGLE_BYTE), best)
        candidates.append((str(best), best.encoding))
    for codec in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(codec), codec))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise UnreadableNote("is not text in any encoding we can detect")
    text, encoding = max(candidates, key=lambda c: _plausibility(c[0]))
    if _plausibility(text) < 0.5:
        raise UnreadableNote("does not decode to readable text (binary or unknown encoding)")
    return text, encoding


def _plausibility(text: str) -> float:
    """Share of characters that are ordinary letters, CJK, digits, punctuation or spaces."""
    if not text:
        return 0.0
    # Private-use, unassigned and control code points are typical of a wrong guess.
    good = 0
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\n\r\t " or cat[0] in "LNPZ" or cat in ("Sm", "Sc"):
            good += 1
    cjk = len(_CJK.findall(text))
    # A wrong single-byte guess yields Latin-1 letters where a CJK guess yields hanzi.
    score = good / len(text) + 0.1 * (cjk / len(text))
    if cjk:
        # ...and a wrong GB18030/Big5 guess of Western text yields lone hanzi glued to Latin
        # letters ("tr鑣 cher" for "très cher"), where real Chinese has runs of hanzi.
        score -= 0.5 * len(_LONE_CJK.findall(text)) / cjk
    return score


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _t2s().convert(text)


def decode_note(data: bytes, *, simplify: bool = True) -> Decoded:
    text, encoding = decode_bytes(data)
    text = text.lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, n_controls = _CONTROL.subn("", text)
    text = _ZERO_WIDTH.sub("", text)
    text = text.translate(_RADICALS)
    converted = False
    if simplify and _CJK.search(text):
        simplified = to_simplified(text)
        converted = simplified != text
        text = simplified
    return Decoded(text, encoding, converted, n_controls)
