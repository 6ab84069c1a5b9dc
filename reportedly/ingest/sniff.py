"""Bytes in, text out (or a one-line reason why not).

Everything that can be decided from the raw bytes lives here: size, emptiness,
binary content, character encoding and language. Each check raises
:class:`~reportedly.errors.UnsupportedInput` with a reason short enough for a
run summary, so callers turn problems into skipped documents uniformly.
"""

from __future__ import annotations

import gzip
import hashlib
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import charset_normalizer
import py3langid

from reportedly.errors import UnsupportedInput
from reportedly.settings import MAX_FILE_BYTES

__all__ = [
    "Decoded",
    "check_language",
    "check_size",
    "decode_bytes",
    "detect_language",
    "file_id",
    "inner_name",
    "looks_binary",
    "open_binary",
    "raw_id",
    "read_limited",
]

#: Leading bytes of common non-text formats, with a name for the reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP archive (or Office document)"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"7z\xbc\xaf", "7z archive"),
    (b"\x7fELF", "executable"),
    (b"MZ", "executable"),
    (b"\xd0\xcf\x11\xe0", "OLE document"),
    (b"RIFF", "RIFF media"),
    (b"ID3", "MP3 audio"),
    (b"\x00\x00\x00\x18ftyp", "MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "MP4 video"),
)
#: How much of a file the binary check looks at.
_SNIFF_BYTES = 8192
#: Share of control characters above which bytes are not text.
_MAX_CONTROL_SHARE = 0.10
_TEXT_CONTROLS = {9, 10, 12, 13, 27}
#: Relative score gap under which the preferred language wins a close call.
_CLOSE_CALL = 0.02
#: Legacy encodings tried before full detection (see decode_bytes).
_WESTERN = ("cp1252", "latin_1", "iso8859_15")


@dataclass(frozen=True, slots=True)
class Decoded:
    """Decoded text and how it was decoded (``note`` is None for plain UTF-8)."""

    text: str
    encoding: str
    note: str | None = None


def raw_id(data: bytes) -> str:
    """Id of unreadable content: the same 16-hex-digit form as ``content_id``."""
    return hashlib.sha1(data).hexdigest()[:16]


def file_id(path: Path) -> str:
    """``raw_id`` of a file's bytes, read in chunks so huge files cost no memory."""
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def inner_name(path: Path) -> str:
    """The file name without a ``.gz`` ending, lower-cased: what the content is."""
    name = path.name.casefold()
    return name[: -len(".gz")] if name.endswith(".gz") else name


def open_binary(path: Path) -> BinaryIO:
    """``path`` opened for reading bytes, decompressed on the fly when it ends in ``.gz``."""
    if path.name.casefold().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def read_limited(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The (decompressed) bytes of ``path``, refusing anything over ``limit`` before or while reading."""
    if not path.name.casefold().endswith(".gz"):
        check_size(path, limit)
        return path.read_bytes()
    if path.stat().st_size == 0:
        raise UnsupportedInput(str(path), "empty file")
    try:
        with open_binary(path) as handle:
            data = handle.read(limit + 1)
    except (OSError, EOFError, zlib.error) as err:
        raise UnsupportedInput(str(path), f"broken gzip file: {type(err).__name__}") from err
    if len(data) > limit:
        raise UnsupportedInput(str(path), f"file too large once decompressed (> {limit / 2**20:.1f} MiB limit)")
    return data


def check_size(path: Path, limit: int = MAX_FILE_BYTES) -> int:
    """Return the file size; raise before anything is read when it is too big or empty."""
    size = path.stat().st_size
    if size > limit:
        raise UnsupportedInput(
            str(path), f"file too large ({size / 2**20:.1f} MiB > {limit / 2**20:.1f} MiB limit)"
        )
    if size == 0:
        raise UnsupportedInput(str(path), "empty file")
    return size


def looks_binary(data: bytes) -> str | None:
    """Name of the binary format ``data`` looks like, or None for text."""
    head = data[:_SNIFF_BYTES]
    for magic, name in _MAGIC:
        if head.startswith(magic):
            return name
    # UTF-16/32 text has NUL bytes but announces itself with a BOM.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if b"\x00" in head:
        return "binary data (NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    if head and controls / len(head) > _MAX_CONTROL_SHARE:
        return "binary data (control characters)"
    return None


def decode_bytes(data: bytes, path: str = "<bytes>") -> Decoded:
    """Decode article bytes: UTF-8 when valid, else the encoding charset-normalizer finds.

    Raises :class:`UnsupportedInput` for empty, binary or undecodable input.
    """
    if not data.strip():
        raise UnsupportedInput(path, "empty file")
    kind = looks_binary(data)
    if kind is not None:
        raise UnsupportedInput(path, f"not text: {kind}")
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        pass
    # English text in a legacy encoding is nearly always Windows-1252 or
    # Latin-1; short texts make the full detector guess exotic code pages
    # (cp775, cp1250) that decode the same letters differently, so the
    # Western ones are tried first and kept when they decode without mess.
    best = charset_normalizer.from_bytes(data, cp_isolation=list(_WESTERN)).best()
    if best is None:
        best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise UnsupportedInput(path, "undecodable: no text encoding fits the bytes")
    return Decoded(str(best), best.encoding, f"decoded as {best.encoding}")


def detect_language(text: str, prefer: str = "en") -> str:
    """ISO 639 code of the language ``text`` is written in (py3langid, first 5,000 characters).

    On short texts py3langid often ranks a close relative first (Nigerian
    Pidgin "pcm" for a one-line English body); ``prefer`` wins when it is the
    runner-up within a small share of the winner's score.
    """
    ranked = py3langid.rank(text[:5000])
    (top, top_score), (second, second_score) = ranked[0], ranked[1]
    if top != prefer and second == prefer and abs(top_score - second_score) <= _CLOSE_CALL * abs(top_score):
        return prefer
    return str(top)


def check_language(text: str, path: str = "<text>", expected: str = "en") -> str:
    """Return the language code of ``text``; raise when it is not ``expected``."""
    lang = detect_language(text)
    if lang != expected:
        raise UnsupportedInput(path, f"language {lang}, not English")
    return lang
