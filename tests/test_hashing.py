"""SHA-256 numbers over length-prefixed fields."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from randcheck.hashing import HASH_MODULUS, HashPrefix, encode_fields, hash_fields


def test_encoding_is_length_prefixed_utf8() -> None:
    assert encode_fields(["ab", "天"]) == b"\x00\x00\x00\x02ab\x00\x00\x00\x03\xe5\xa4\xa9"
    assert encode_fields([]) == b""


def test_published_vector() -> None:
    # Anyone re-implementing the encoding can check themselves against this value.
    expected = hashlib.sha256(b"\x00\x00\x00\x02v1\x00\x00\x00\x04draw\x00\x00\x00\x011").digest()
    assert hash_fields("v1", "draw", "1") == int.from_bytes(expected, "big")


@given(st.lists(st.text(), max_size=4), st.lists(st.text(), max_size=4))
def test_different_field_sequences_never_share_an_encoding(a: list[str], b: list[str]) -> None:
    if a != b:
        assert encode_fields(a) != encode_fields(b)


@given(st.lists(st.text(), max_size=3), st.lists(st.text(), max_size=3))
def test_prefix_equals_full_hash(prefix: list[str], tail: list[str]) -> None:
    state = HashPrefix(prefix)
    number = state.number(*tail)
    assert number == hash_fields(*prefix, *tail)
    assert 0 <= number < HASH_MODULUS
    if tail:
        assert state.extend(*tail[:1]).number(*tail[1:]) == number
