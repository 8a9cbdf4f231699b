"""The values in CSV cells: a parser for each kind of cell, and the normalisation they apply.

There is one parser for each of: unified social credit codes and lists of them, yes/no, counts,
dates, grounds of recusal, resident identity numbers, and the combined certificate-or-identity
column. The classes and enforcement lines a cell may name are the profile's
(:class:`~randcheck.profiles.Profile`), so their parsers are built from it: :func:`_class_parser`
for the primary classification scheme, :func:`_lines_parser` for the lines.

Each parser takes the stripped cell text and returns the value or raises
:class:`~randcheck.errors.ValidationError` whose ``expected`` says what the cell should hold; the
CSV reader (:mod:`randcheck.io.csv_read`) records it at the cell's line and column. Coded values
(identifiers, grades, yes/no, dates, lines, grounds) are read after NFKC normalisation, so that
full-width forms typed with a Chinese input method (``Ａ``, ``１２０１``,
``２０２４－０１－０１``) read as their ASCII forms; free text (names, notes) is kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date

from randcheck.domain import ConflictGround
from randcheck.errors import ValidationError
from randcheck.ids import compact_resident_id, mask_resident_id, validate_resident_id, validate_uscc
from randcheck.ids.uscc import _is_compact_uscc
from randcheck.profiles import ClassScheme, District, LineDef, Profile
from randcheck.profiles.districts import DistrictMatch, match_district, uscc_area_code

# The parsers serve the CSV reader and writer of this package; their names are not an interface.
__all__: list[str] = []

_LIST_SEPARATORS = re.compile(r"[;；、,，]")
_USCC_SEPARATORS = re.compile(r"[;；、,，\s]+")


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection,
# ``=cmd|' /C calc'!A0``). Such a cell is written behind an apostrophe, which spreadsheets
# show as text and do not display; one apostrophe before these is removed on reading, so every
# value reads back as it was written, an apostrophe of its own included.
_FORMULA = re.compile(r"'*[=+\-@]")
_ESCAPED = re.compile(r"'+[=+\-@]")


def _escape_formula(text: str) -> str:
    """``text`` as written to a CSV cell: behind an apostrophe if a spreadsheet would run it."""
    return "'" + text if _FORMULA.match(text) else text


def _unescape_formula(text: str) -> str:
    """The value of a CSV cell written by :func:`_escape_formula`."""
    return text[1:] if _ESCAPED.match(text) else text


def _nfkc(raw: str) -> str:
    return unicodedata.normalize("NFKC", raw)


# How a spreadsheet shows a long number it stored as a number: ``9.11201E+17``. The digits
# after the sixth are gone, so an identifier in this form cannot be recovered from the file.
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]+")

_AS_TEXT = (
    "Excel stored the number as a number and shows it in scientific notation, which keeps "
    "only its first digits; in the source spreadsheet set the column's format to Text "
    "(设置单元格格式 → 文本), re-enter or re-import the codes, and save as CSV UTF-8 — or pass "
    "the .xlsx file itself"
)


# How a sheet is told to keep a long number as text: ="911..." or a leading apostrophe. A CSV
# written by hand or by another program keeps the mark as part of the cell.
_TEXT_MARK = re.compile(r'="[^"]*"|\'.+')


def _refuse_mangled(raw: str, what: str) -> None:
    """Raise :class:`ValidationError` when ``raw`` is an identifier a spreadsheet turned into
    scientific notation (``9.11201E+17``), or one still wrapped in a spreadsheet's keep-as-text
    mark (``="911..."``, ``'911...``), saying so and how to export it as text."""
    cell = _nfkc(raw).strip()
    if _SCIENTIFIC.fullmatch(cell):
        raise ValidationError(
            f"{what} {raw!r} 已被 Excel 改写为科学计数法 / Excel mangled this {what}: {_AS_TEXT}",
            expected=f"the {what} as text (18 characters)",
            got=raw,
        )
    if _TEXT_MARK.fullmatch(cell):
        raise ValidationError(
            f"{what} {raw!r} 带有表格软件的文本标记 / this {what} still carries a spreadsheet's "
            'keep-as-text mark (="..." or a leading \'), which is not part of it: remove '
            "the mark, or set the column's format to Text (设置单元格格式 → 文本) and save as "
            "CSV UTF-8",
            expected=f'the {what} alone, without ="..." or \'',
            got=raw,
        )


def _parse_uscc(raw: str) -> str:
    _refuse_mangled(raw, "unified social credit code")
    return validate_uscc(_nfkc(raw))


def _parse_certificate(raw: str) -> str | None:
    """A certificate number (kept as written); ``None`` for a blank cell."""
    _refuse_mangled(raw, "certificate number")
    return raw or None


def _parse_key(raw: str) -> str:
    """An inspector's key in a conflicts file (certificate or identity number, as written)."""
    _refuse_mangled(raw, "inspector key")
    return raw


_TRUE = frozenset({"是", "true", "yes", "1"})
_FALSE = frozenset({"否", "false", "no", "0", ""})


def _parse_bool(raw: str) -> bool:
    key = _nfkc(raw).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValidationError(expected="是/否, true/false, yes/no or 1/0", got=raw)


_COUNT = re.compile(r"[0-9]{1,18}")


def _parse_count(raw: str) -> int:
    if raw == "":
        return 0
    # At most 18 digits: no count comes near, and a longer string of digits is a pasted
    # identifier or garbage (and past 4,300 digits Python refuses to convert it at all).
    if not _COUNT.fullmatch(_nfkc(raw)):
        raise ValidationError(expected="a whole number >= 0 of at most 18 digits", got=raw)
    return int(_nfkc(raw))


def _key(text: str) -> str:
    """How a coded cell is matched: NFKC, ignoring case."""
    return _nfkc(text).casefold()


def _listing(values: Iterable[str]) -> list[str]:
    """``values`` once each, in their first order."""
    return list(dict.fromkeys(values))


# How exports write "not (yet) rated": where a scheme calls its unrated class by one of these
# words, the others mean it too (a grade 未评价 is 未评级). A scheme whose unrated class has
# another name (未分类) keeps to its own words.
_UNRATED = ("未评级", "未评价", "未评定")


def _class_parser(scheme: ClassScheme) -> Callable[[str], str]:
    """The parser of a class cell of ``scheme``: its class code, from the code (``A``), the
    code followed by 级 (``A级``) or the class's Chinese name (``守法诚信``), ignoring case;
    a blank cell is the scheme's ``unrated`` class, and so are 未评级, 未评价 and 未评定 where
    the unrated class is called by one of them.

    Where two spellings collide, a code wins over a Chinese name and a name over a 级 form.
    The parser raises :class:`ValidationError` listing the accepted values.
    """
    table: dict[str, str] = {"": scheme.unrated}
    for cls in scheme.classes:
        table.setdefault(_key(cls.code), cls.code)
    for cls in scheme.classes:
        table.setdefault(_key(cls.name.zh), cls.code)
    for cls in scheme.classes:
        if cls.code != scheme.unrated:
            table.setdefault(_key(f"{cls.code}级"), cls.code)
    unrated = scheme.get(scheme.unrated)
    if unrated is not None and unrated.name.zh in _UNRATED:
        for spelling in _UNRATED:
            table.setdefault(_key(spelling), scheme.unrated)
    rated = [cls.code for cls in scheme.classes if cls.code != scheme.unrated]
    names = [cls.name.zh for cls in scheme.classes]
    expected = ", ".join(_listing([*rated, *names, scheme.unrated])) + " or blank"

    def parse(raw: str) -> str:
        try:
            return table[_key(raw)]
        except KeyError:
            raise ValidationError(expected=expected, got=raw) from None

    return parse


_DATE_FORMS = (
    re.compile(r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"),
    re.compile(r"([0-9]{4})(年)([0-9]{1,2})月([0-9]{1,2})日"),
    re.compile(r"([0-9]{4})()([0-9]{2})([0-9]{2})"),
)
_DATE_EXPECTED = "a date YYYY-MM-DD (or YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, YYYY年M月D日)"


def _parse_date(raw: str) -> date | None:
    if raw == "":
        return None
    text = _nfkc(raw)
    for form in _DATE_FORMS:
        match = form.fullmatch(text)
        if match is not None:
            try:
                return date(int(match[1]), int(match[3]), int(match[4]))
            except ValueError:
                raise ValidationError(expected="a date that exists", got=raw) from None
    raise ValidationError(expected=_DATE_EXPECTED, got=raw)


def _lines_parser(lines: Iterable[LineDef]) -> Callable[[str], frozenset[str]]:
    """The parser of a lines cell: line ids, from the ids or the lines' Chinese names, ignoring
    case, separated by ``;`` ``；`` ``、`` ``,`` or ``，``; a blank cell is no line.

    Every part that names no line is reported in one :class:`ValidationError` that lists the
    accepted values.
    """
    known = tuple(lines)
    table: dict[str, str] = {}
    for line in known:
        table.setdefault(_key(line.id), line.id)
    for line in known:
        table.setdefault(_key(line.name.zh), line.id)
    choices = ", ".join(_listing([*(line.name.zh for line in known), *(line.id for line in known)]))

    def parse(raw: str) -> frozenset[str]:
        found: set[str] = set()
        unknown: list[str] = []
        for part in _LIST_SEPARATORS.split(_nfkc(raw)):
            part = part.strip()
            if not part:
                continue
            line = table.get(part.casefold())
            if line is None:
                unknown.append(part)
            else:
                found.add(line)
        if unknown:
            raise ValidationError(
                f"unknown enforcement line {', '.join(unknown)}; expected {choices} "
                "separated by ; or 、",
                expected=f"{choices}, separated by ; or 、",
                got=unknown[0] if len(unknown) == 1 else unknown,
            )
        return frozenset(found)

    return parse


def _parse_uscc_list(raw: str) -> tuple[str, ...]:
    for code in _USCC_SEPARATORS.split(_nfkc(raw)):
        _refuse_mangled(code, "unified social credit code")
    return tuple(validate_uscc(code) for code in _USCC_SEPARATORS.split(_nfkc(raw)) if code)


_GROUNDS = {
    **{ground.value: ground for ground in ConflictGround},
    "曾任职": ConflictGround.FORMER_EMPLOYMENT,
    "曾任职单位": ConflictGround.FORMER_EMPLOYMENT,
    "曾在该企业任职": ConflictGround.FORMER_EMPLOYMENT,
    "亲属": ConflictGround.RELATIVE,
    "亲属任职": ConflictGround.RELATIVE,
    "近亲属": ConflictGround.RELATIVE,
    "近亲属任职": ConflictGround.RELATIVE,
    "持股": ConflictGround.SHAREHOLDING,
    "持有股份": ConflictGround.SHAREHOLDING,
    "本人": ConflictGround.SAME_PERSON,
    "其他": ConflictGround.OTHER,
}
_GROUND_ZH = {
    ConflictGround.FORMER_EMPLOYMENT: "曾任职",
    ConflictGround.RELATIVE: "亲属",
    ConflictGround.SHAREHOLDING: "持股",
    ConflictGround.SAME_PERSON: "本人",
    ConflictGround.OTHER: "其他",
}


def _parse_ground(raw: str) -> ConflictGround:
    found = _GROUNDS.get(_nfkc(raw).casefold().replace("_", "-"))
    if found is None:
        raise ValidationError(
            expected="曾任职, 亲属, 持股, 本人, 其他 or "
            + ", ".join(ground.value for ground in ConflictGround),
            got=raw,
        )
    return found


def _parse_resident_id(raw: str) -> str | None:
    _refuse_mangled(raw, "resident identity number")
    return None if raw == "" else validate_resident_id(_nfkc(raw))


_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]")
_OLD_ID_SHAPE = re.compile(r"[0-9]{15}")


def _parse_certificate_or_id(raw: str) -> tuple[str | None, str | None]:
    """``(certificate_no, resident_id)`` from a combined column, told apart by format."""
    if raw == "":
        return None, None
    _refuse_mangled(raw, "certificate or identity number")
    compact = compact_resident_id(_nfkc(raw))
    # A number shaped like an identity number must *be* one: read as a certificate number,
    # a mistyped identity number would be published unmasked.
    if _ID_SHAPE.fullmatch(compact):
        return None, validate_resident_id(compact)
    if _OLD_ID_SHAPE.fullmatch(compact):
        raise ValidationError(
            "a 15-digit number looks like an old-format identity number "
            f"{mask_resident_id(compact)!r}; give the 18-character number (GB 11643-1999) "
            "or a certificate number",
            expected="an 18-character resident identity number or a certificate number",
            got=raw,
        )
    return raw, None


def _district_parser(profile: Profile) -> Callable[[str], DistrictMatch] | None:
    """The parser of a district cell: the profile's district it names
    (:func:`~randcheck.profiles.districts.match_district`: the name, the area code, or the name
    behind the province's or city's), or :class:`ValidationError` listing the known districts.
    ``None`` where the profile lists no districts: any text is then a district.
    """
    if not profile.districts:
        return None
    known = "、".join(district.name for district in profile.districts)

    def parse(raw: str) -> DistrictMatch:
        found = match_district(profile, raw)
        if found is None:
            raise ValidationError(
                f"未知的区 / unknown district {raw!r}; the profile {profile.name} knows: {known}",
                expected=f"a district of {profile.name}: {known}",
                got=raw,
            )
        return found

    return parse


def _area_disagrees(uscc: str, district: District) -> bool:
    """Whether ``uscc`` was registered in another division than ``district``'s.

    The code's division (GB 32100-2015 characters 3–8) agrees when it is the district's own
    code or a code of a level above it that contains it (``120000`` or ``120100`` for
    ``120101``: registered by the city); a code that is not six digits says nothing.
    """
    area = uscc_area_code(uscc)
    if area is None or area == district.code:
        return False
    prefix = area.rstrip("0")
    return not (len(prefix) < len(area) and district.code.startswith(prefix))


def _canonical_uscc(raw: str) -> bool:
    """Whether :func:`_parse_uscc` returns ``raw`` itself: a valid code in compact form that
    does not read as a spreadsheet's scientific notation (``911201054970001E62``, which the
    parser refuses) — the fast test of :mod:`randcheck.io.streaming`."""
    return _is_compact_uscc(raw) and _SCIENTIFIC.fullmatch(raw) is None


# A code in compact form that reads as scientific notation (digits, one E, digits), each line
# preceded by its line break: a search that jumps from line break to line break, quicker than
# ``^…$`` tried at every byte.
_SCIENTIFIC_AFTER_BREAK = re.compile(rb"\n[0-9]+E[0-9]+(?=\n)")


_USCC_BYTES = b"0123456789ABCDEFGHJKLMNPQRTUWXY"
_STRIDE = 19  # a code and its line break


def _column_table(weight: int) -> bytes:
    """The byte table taking a code character to ``weight · value (mod 31)``."""
    table = bytearray(256)
    for value, char in enumerate(_USCC_BYTES):
        table[char] = weight * value % 31
    return bytes(table)


# GB 32100: weight 3^i (mod 31) for the i-th character, 1 for the check character, the
# weighted sum ≡ 0 (mod 31).
_COLUMN_TABLES = [_column_table(pow(3, i, 31)) for i in range(17)] + [_column_table(1)]
_MOD_31 = bytes(b % 31 for b in range(256))


def _canonical_usccs(lines: str) -> bool:
    """Whether every line of ``lines`` (codes, each followed by ``"\n"``) passes
    :func:`_canonical_uscc`.

    The same test over a batch, by columns: the i-th characters of all codes are one byte
    string, translated to their weighted values mod 31 and added as one big integer whose
    bytes are the codes' running sums (reduced mod 31 every seven columns, so that no byte
    carries into the next). A few C-level operations per column, none per code.
    """
    if not lines.isascii():
        return False
    data = lines.encode("ascii")
    count, rest = divmod(len(data), _STRIDE)
    if rest or data[_STRIDE - 1 :: _STRIDE] != b"\n" * count or data.count(b"\n") != count:
        return False
    if data.translate(None, _USCC_BYTES + b"\n"):
        return False
    if not all(data[i::_STRIDE].isdigit() for i in range(2, 8)) and count:
        return False
    if b"E" in data and _SCIENTIFIC_AFTER_BREAK.search(b"\n" + data):
        return False
    total = 0
    for i, table in enumerate(_COLUMN_TABLES):
        total += int.from_bytes(data[i::_STRIDE].translate(table), "big")
        if i % 7 == 6:
            total = int.from_bytes(total.to_bytes(count, "big").translate(_MOD_31), "big")
    return not total.to_bytes(count, "big").translate(_MOD_31).strip(b"\0")
