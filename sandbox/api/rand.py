"""Deterministic stand-ins for apimachinery's util/rand and the uid generator.

Every random choice draws from the cluster's seeded ``random.Random`` so a lab is a pure function of
(seed, timed command log).
"""

from __future__ import annotations

import random

#: apimachinery util/rand: consonants and digits only, so generated names never spell words.
ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"

#: names.SimpleNameGenerator: generateName keeps at most 63 - 5 characters of the base.
MAX_NAME_LENGTH = 63
RANDOM_LENGTH = 5
MAX_GENERATED_NAME_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH


def rand_string(rng: random.Random, n: int = RANDOM_LENGTH) -> str:
    """rand.String(n): ``n`` characters from :data:`ALPHANUMS`."""
    return "".join(rng.choice(ALPHANUMS) for _ in range(n))


def safe_encode_string(text: str) -> str:
    """rand.SafeEncodeString: map every byte to the safe alphabet (used on pod-template-hash digits)."""
    return "".join(ALPHANUMS[b % len(ALPHANUMS)] for b in text.encode())


def generate_name(rng: random.Random, base: str) -> str:
    """names.SimpleNameGenerator.GenerateName: truncated base + five random safe characters."""
    if len(base) > MAX_GENERATED_NAME_LENGTH:
        base = base[:MAX_GENERATED_NAME_LENGTH]
    return base + rand_string(rng, RANDOM_LENGTH)


def uuid4(rng: random.Random) -> str:
    """A version-4 UUID (as the apiserver's uuid.NewUUID prints it) drawn from the seeded source."""
    value = rng.getrandbits(128)
    value &= ~(0xF000 << 64)
    value |= 0x4000 << 64          # version 4
    value &= ~(0xC000 << 48)
    value |= 0x8000 << 48          # RFC 4122 variant
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def fnv32a(data: bytes, h: int = 0x811C9DC5) -> int:
    """FNV-1a, 32 bit (hash/fnv New32a), the hasher behind pod-template-hash and controller-revision-hash."""
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h
