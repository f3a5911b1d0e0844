"""The one module that touches 商用密码 primitives (SM3, HMAC-SM3).

Everything else calls these functions, so a certified crypto module (密码机 over GM/T 0018) can
replace ``cryptography``'s implementation here without touching callers.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import hashes, hmac


def sm3_hex(data: bytes) -> str:
    """SM3 digest (GB/T 32905) as lowercase hex."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize().hex()


def hmac_sm3_hex(key: bytes, data: bytes) -> str:
    """HMAC-SM3 of ``data`` under ``key`` as lowercase hex."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()
