"""crcmath.updated: the CRC-32 after some pages changed, from the CRC-32 before, against zlib's of the whole."""

from __future__ import annotations

import random
import zlib

import pytest

from deckgen import crcmath


def changed(data: bytearray, changes: list[tuple[int, bytes, bytes]]) -> bytes:
    for offset, _, new in changes:
        data[offset:offset + len(new)] = new
    return bytes(data)


@pytest.mark.parametrize("seed", range(40))
def test_the_crc_of_the_changed_message_is_zlib_s(seed):
    rng = random.Random(seed)
    size = rng.choice([1, 7, 4096, 4096 * 3 + 5, rng.randrange(1, 300_000)])
    data = bytearray(rng.randbytes(size))
    changes, taken = [], set()
    for _ in range(rng.randrange(0, 6)):
        offset = rng.randrange(size)
        length = rng.randrange(1, min(5000, size - offset) + 1)
        if taken.isdisjoint(range(offset, offset + length)):
            taken.update(range(offset, offset + length))
            changes.append((offset, bytes(data[offset:offset + length]), rng.randbytes(length)))
    before = zlib.crc32(data)
    assert crcmath.updated(before, size, changes) == zlib.crc32(changed(data, changes))


def test_changes_at_the_ends_and_a_change_that_changes_nothing():
    data = bytearray(random.Random(1).randbytes(10_000))
    before = zlib.crc32(data)
    changes = [(0, bytes(data[:3]), b"abc"), (9_990, bytes(data[9_990:]), bytes(10)), (500, bytes(data[500:600]),
                                                                                       bytes(data[500:600]))]
    assert crcmath.updated(before, len(data), changes) == zlib.crc32(changed(data, changes))
    assert crcmath.updated(before, len(data), []) == before


def test_a_change_far_from_the_end():
    """The zeros after a change are counted by powers of x: here 64 MiB of them, against zlib over every byte."""
    zeros, chunk = 64 * (1 << 20) + 3, bytes(1 << 20)
    old = zlib.crc32(b"\x07")
    new = zlib.crc32(b"\x5a")
    for _ in range(zeros >> 20):
        old, new = zlib.crc32(chunk, old), zlib.crc32(chunk, new)
    old, new = zlib.crc32(bytes(zeros & 0xFFFFF), old), zlib.crc32(bytes(zeros & 0xFFFFF), new)
    assert crcmath.updated(old, zeros + 1, [(0, b"\x07", b"\x5a")]) == new


@pytest.mark.parametrize("change", [(0, b"ab", b"a"), (-1, b"a", b"b"), (9, b"ab", b"cd")])
def test_a_change_that_does_not_fit_is_refused(change):
    with pytest.raises(ValueError):
        crcmath.updated(0, 10, [change])
