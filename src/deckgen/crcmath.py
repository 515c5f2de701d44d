"""The CRC-32 of a file after some of its pages changed, from its CRC-32 before and those pages alone.

A zip entry carries the CRC-32 (zlib's, ISO-HDLC) of its data. A rebuild that writes a few pages of a 39 MB
stored database into its package in place (inplace.py) would otherwise read all 39 MB again to make it.

The CRC is affine in the message: crc(M) = lin(M) ^ k(len(M)), where lin is linear over GF(2) and k depends only
on the length. So for two messages of the same length, crc(A) ^ crc(B) = lin(A ^ B). A ^ B is zero but where pages
differ, and lin of a piece followed by z zero bytes is lin(piece) multiplied by x^(8z) modulo the CRC's
polynomial; lin(old piece ^ new piece) is crc(old piece) ^ crc(new piece), their k cancelling. The arithmetic is
on bit-reflected 32-bit values, as zlib keeps them: the polynomial is 0xEDB88320, and x^0 is the top bit.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

_POLYNOMIAL = 0xEDB88320  # x^32 + x^26 + ... + 1, reflected, without its x^32 term
_ONE = 1 << 31  # x^0, reflected


def _multiply(a: int, b: int) -> int:
    """a * b modulo the polynomial (both reflected)."""
    product = 0
    bit = _ONE
    while a:
        if a & bit:
            product ^= b
            a ^= bit
        bit >>= 1
        b = (b >> 1) ^ _POLYNOMIAL if b & 1 else b >> 1
    return product


def _powers_of_x() -> list[int]:
    """x^(2^k) modulo the polynomial, for k = 0..66: enough for any file a 64-bit offset reaches, whose
    fewer than 2^64 bytes are fewer than 2^67 bits (the exponents are counted in bits)."""
    powers = [_ONE >> 1]  # x^1
    for _ in range(66):
        powers.append(_multiply(powers[-1], powers[-1]))
    return powers


_X_TO_TWO_TO_THE = _powers_of_x()


def _x_to_the_bits_in(zero_bytes: int) -> int:
    """x^(8 * zero_bytes) modulo the polynomial."""
    result, exponent, k = _ONE, zero_bytes * 8, 0
    while exponent:
        if exponent & 1:
            result = _multiply(_X_TO_TWO_TO_THE[k], result)
        exponent >>= 1
        k += 1
    return result


def updated(crc: int, size: int, changes: Iterable[tuple[int, bytes, bytes]]) -> int:
    """The CRC-32 of a message of `size` bytes whose CRC-32 was `crc`, after each (offset, old, new) of `changes`:
    the bytes at offset were `old` and are now `new`, of the same length. Changes may not overlap."""
    for offset, old, new in changes:
        if len(old) != len(new) or offset < 0 or offset + len(new) > size:
            raise ValueError("a change must keep its length and lie within the message")
        difference = zlib.crc32(old) ^ zlib.crc32(new)
        if difference:
            crc ^= _multiply(_x_to_the_bits_in(size - offset - len(new)), difference)
    return crc
