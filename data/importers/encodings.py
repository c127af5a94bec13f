"""The text encoding of a file: UTF-8 (with or without a BOM), UTF-16 (with a BOM, or without one when every other
byte of an ASCII-heavy file is zero) or CP932, Japanese Excel's Shift_JIS; or the one the person importing names.

Detection decodes the whole stream with incremental decoders, so a multi-byte character cut by a read boundary is
never mistaken for a broken one, and a file whose first megabytes are ASCII is not judged by them alone. UTF-8 is
tried first: CP932 text is almost never valid UTF-8, while ASCII and UTF-8 text is often valid CP932. A file that is
neither is refused with the byte where each failed; ``--encoding`` (the Import page's Encoding box) reads it anyway.
"""

from __future__ import annotations

import codecs
import contextlib
import contextvars
from collections.abc import Iterator
from pathlib import Path

from data.importers.errors import ImportFailed

READ = 1 << 20
# What --encoding accepts: Python codec names, and the names people use for them.
ALIASES = {
    "utf8": "utf-8-sig",
    "utf-8": "utf-8-sig",
    "utf-8-sig": "utf-8-sig",
    "utf16": "utf-16",
    "utf-16": "utf-16",
    "utf-16le": "utf-16-le",
    "utf-16be": "utf-16-be",
    "sjis": "cp932",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "cp932": "cp932",
    "ms932": "cp932",
    "windows-31j": "cp932",
}
ENCODING_FIX = {
    "cli": "name the file's encoding with --encoding (e.g. --encoding cp1252), or save it as UTF-8 CSV",
    "page": "choose the file's encoding in Encoding, or save it as UTF-8 CSV, and import again",
}

_override: contextvars.ContextVar[tuple[Path, str] | None] = contextvars.ContextVar("encoding_override", default=None)
_detected: dict[tuple[str, int, int], str] = {}


def normalize(name: str) -> str:
    """The codec for a name given on the command line or the page; :class:`ImportFailed` for an unknown one."""
    key = name.strip().lower()
    if key in ALIASES:
        return ALIASES[key]
    try:
        return codecs.lookup(key).name
    except LookupError:
        raise ImportFailed(
            "{name!r} is not a text encoding Python knows",
            fix="use utf-8, utf-16, cp932 (Shift_JIS) or another Python codec name",
            name=name,
        ) from None


@contextlib.contextmanager
def using(path: Path, encoding: str | None) -> Iterator[None]:
    """Within the block, :func:`encoding_of` ``path`` is ``encoding`` (when given) instead of the detected one."""
    token = _override.set((path.resolve(), normalize(encoding)) if encoding else None)
    try:
        yield
    finally:
        _override.reset(token)


def encoding_of(path: Path) -> str:
    """The codec to read ``path`` with: the one named for this import, else the detected one (remembered per file
    content: size and modification time)."""
    given = _override.get()
    if given is not None and given[0] == path.resolve():
        return given[1]
    stat = path.stat()
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns)
    if key not in _detected:
        if len(_detected) > 64:
            _detected.clear()
        _detected[key] = detect(path)
    return _detected[key]


def _bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _bomless_utf16(head: bytes) -> str | None:
    # A CSV header is ASCII: in UTF-16 every other byte of it is zero; no UTF-8 or CP932 text has NULs.
    sample = head[:4096]
    if len(sample) < 4 or sample.count(0) < len(sample) // 4:
        return None
    zeros_even = sample[0::2].count(0)
    zeros_odd = sample[1::2].count(0)
    return "utf-16-le" if zeros_odd > zeros_even else "utf-16-be"


def _fails_at(path: Path, encoding: str) -> int | None:
    """The byte offset where decoding the whole file as ``encoding`` fails, or None when all of it decodes."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(READ):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset + exc.start
            offset += len(chunk)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return offset
    return None


def detect(path: Path) -> str:
    """The encoding of the whole of ``path`` (see the module docstring), or :class:`ImportFailed`."""
    with path.open("rb") as fh:
        head = fh.read(READ)
    named = _bom(head) or _bomless_utf16(head)
    candidates = [named] if named else ["utf-8-sig", "cp932"]
    failures = []
    for encoding in candidates:
        at = _fails_at(path, encoding)
        if at is None:
            return encoding
        failures.append(f"{encoding} at byte {at:,}")
    raise ImportFailed(
        "{file}: the text is not {tried} ({where})",
        fix=ENCODING_FIX,
        file=path.name,
        tried=" or ".join("UTF-8" if c == "utf-8-sig" else c.upper() for c in candidates),
        where="; ".join(failures),
    )
