"""Which characters the document fonts can show: fontconfig resolves each family, fontTools reads its cmap.

WeasyPrint asks fontconfig (through Pango) for the families named in the documents' CSS, in order, and
takes the first one that has a glyph; a character none of them has falls back to whatever font happens
to be installed, or to an empty box. Validation refuses such characters before rendering, so what a
label shows never depends on the machine it was printed on.
"""

import functools
import logging
import unicodedata
from dataclasses import dataclass

from cffi import FFI
from fontTools.ttLib import TTFont

logger = logging.getLogger(__name__)

# The font stack of every document, in the order the CSS names it (templates/rma/pdf/*.css).
FONT_FAMILIES = (
    "Noto Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Noto Sans CJK KR",
    "Noto Sans CJK TC",
    "Noto Sans Arabic",
    "DejaVu Sans",
)
# Documents use these two weights (bold for names, headings and the RMA number).
WEIGHTS = ("regular", "bold")

_ffi = FFI()
_ffi.cdef(
    """
    typedef unsigned char FcChar8;
    typedef int FcBool;
    typedef struct _FcPattern FcPattern;
    typedef struct _FcConfig FcConfig;
    typedef enum { FcResultMatch, FcResultNoMatch, FcResultTypeMismatch, FcResultNoId,
                   FcResultOutOfMemory } FcResult;
    typedef enum { FcMatchPattern, FcMatchFont, FcMatchScan } FcMatchKind;
    FcPattern *FcNameParse(const FcChar8 *name);
    FcBool FcConfigSubstitute(FcConfig *config, FcPattern *p, FcMatchKind kind);
    void FcDefaultSubstitute(FcPattern *pattern);
    FcPattern *FcFontMatch(FcConfig *config, FcPattern *p, FcResult *result);
    FcResult FcPatternGetString(const FcPattern *p, const char *object, int n, FcChar8 **s);
    FcResult FcPatternGetInteger(const FcPattern *p, const char *object, int n, int *i);
    void FcPatternDestroy(FcPattern *p);
    """
)


@functools.cache
def _fontconfig():
    # The same library WeasyPrint loads (weasyprint/text/ffi.py tries these names too).
    for name in ("libfontconfig.so.1", "fontconfig", "libfontconfig-1", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            return _ffi.dlopen(name)
        except OSError:
            continue
    raise OSError("fontconfig is not installed; WeasyPrint cannot render documents without it")


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: str
    path: str
    index: int


def font_face_resolve(family: str, weight: str = "regular") -> FontFace | None:
    """The font file fontconfig gives WeasyPrint for a family, or None when the family is not installed.

    fontconfig always answers with some font; the answer counts only when it carries the family asked for.
    """
    fc = _fontconfig()
    pattern = fc.FcNameParse(f"{family}:weight={200 if weight == 'bold' else 80}".encode())
    try:
        fc.FcConfigSubstitute(_ffi.NULL, pattern, fc.FcMatchPattern)
        fc.FcDefaultSubstitute(pattern)
        result = _ffi.new("FcResult *")
        match = fc.FcFontMatch(_ffi.NULL, pattern, result)
    finally:
        fc.FcPatternDestroy(pattern)
    if match == _ffi.NULL:
        return None
    try:
        families, n = [], 0
        value = _ffi.new("FcChar8 **")
        while fc.FcPatternGetString(match, b"family", n, value) == fc.FcResultMatch:
            families.append(_ffi.string(value[0]).decode())
            n += 1
        if family.casefold() not in {f.casefold() for f in families}:
            return None
        if fc.FcPatternGetString(match, b"file", 0, value) != fc.FcResultMatch:
            return None
        path = _ffi.string(value[0]).decode()
        index = _ffi.new("int *")
        fc.FcPatternGetInteger(match, b"index", 0, index)
        return FontFace(family=family, weight=weight, path=path, index=index[0])
    finally:
        fc.FcPatternDestroy(match)


@functools.cache
def _cmap(path: str, index: int) -> frozenset[int]:
    with TTFont(path, fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap())


@functools.cache
def document_font_faces() -> tuple[FontFace, ...]:
    """The installed faces of the document font stack, in CSS order; a missing family is logged once."""
    faces = []
    for family in FONT_FAMILIES:
        for weight in WEIGHTS:
            face = font_face_resolve(family, weight)
            if face is None:
                logger.warning(
                    "Document font %r (%s) is not installed; its characters cannot be printed", family, weight
                )
            else:
                faces.append(face)
    return tuple(faces)


@functools.cache
def printable_codepoints() -> frozenset[int]:
    """Code points some family of the stack shows in every weight the documents use."""
    by_family: dict[str, list[frozenset[int]]] = {}
    for face in document_font_faces():
        by_family.setdefault(face.family, []).append(_cmap(face.path, face.index))
    covered: set[int] = set()
    for family, cmaps in by_family.items():
        if len(cmaps) == len(WEIGHTS):
            covered |= frozenset.intersection(*cmaps)
        else:
            logger.warning("Document font %r lacks a weight; it is not used for coverage", family)
    return frozenset(covered)


def _ignorable(char: str) -> bool:
    # Whitespace is laid out, not drawn; format controls (ZWJ, ZWNJ, LRM, RLM) shape text without a glyph.
    return char in " \t\n" or unicodedata.category(char) == "Cf"


def unprintable_characters(text: str) -> list[str]:
    """The distinct characters of ``text`` no document font can show, in order of appearance."""
    covered = printable_codepoints()
    missing: list[str] = []
    for char in text:
        if not _ignorable(char) and ord(char) not in covered and char not in missing:
            missing.append(char)
    return missing
