"""SHA-256 derived random numbers: the only source of randomness randcheck uses.

Every random number is SHA-256 over a canonical byte string. The string is a sequence of text
fields; each field is encoded as its UTF-8 bytes preceded by their length as a 4-byte
big-endian unsigned integer, so no two different field sequences share an encoding (no
separator ambiguity). The first fields are always the algorithm version tag and the purpose
tag, then the seed, then stable real-world identifiers. The digest, read as a big-endian
unsigned integer, is a uniform number in ``[0, 2**256)``.

Anyone can recompute these numbers in any language from the published record: see
``docs/algorithm.md``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["HASH_BITS", "HASH_MODULUS", "HashPrefix", "encode_fields", "hash_fields"]

HASH_BITS = 256
HASH_MODULUS = 1 << HASH_BITS


def _field(text: str) -> bytes:
    data = text.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def encode_fields(fields: Iterable[str]) -> bytes:
    """The canonical byte string of a sequence of text fields (length-prefixed UTF-8)."""
    return b"".join(_field(text) for text in fields)


def hash_fields(*fields: str) -> int:
    """SHA-256 of the canonical encoding of ``fields``, as an integer in ``[0, 2**256)``."""
    return int.from_bytes(hashlib.sha256(encode_fields(fields)).digest(), "big")


class HashPrefix:
    """A SHA-256 state over fixed leading fields, to hash many units cheaply.

    ``HashPrefix(["v1", "draw", seed]).number("91120101...")`` equals
    ``hash_fields("v1", "draw", seed, "91120101...")``, but the common prefix is hashed once.
    """

    __slots__ = ("_state",)

    def __init__(self, fields: Iterable[str]) -> None:
        self._state = hashlib.sha256(encode_fields(fields))

    def number(self, *fields: str) -> int:
        """The hash number of the prefix followed by ``fields``."""
        state = self._state.copy()
        state.update(encode_fields(fields))
        return int.from_bytes(state.digest(), "big")

    def extend(self, *fields: str) -> HashPrefix:
        """A new prefix with ``fields`` appended."""
        new = HashPrefix(())
        new._state = self._state.copy()
        new._state.update(encode_fields(fields))
        return new
