from __future__ import annotations

import hashlib
import uuid

from hypothesis import given
from hypothesis import strategies as st

from guichet.webforms import tokens


def test_a_token_carries_256_random_bits_in_43_characters() -> None:
    made = {tokens.token_new() for _ in range(200)}
    assert len(made) == 200
    assert all(tokens.is_token_shaped(token) for token in made)
    assert all(len(tokens._raw(token)) == 32 for token in made)


def test_the_digest_is_the_sha256_of_the_token() -> None:
    token = tokens.token_new()
    assert tokens.token_digest(token) == hashlib.sha256(token.encode()).hexdigest()


@given(st.binary(min_size=32, max_size=32), st.uuids())
def test_unseal_gives_back_what_seal_sealed(raw: bytes, key: uuid.UUID) -> None:
    import base64

    token = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    sealed = tokens.seal(token, key_id=str(key))
    assert len(sealed) == 64
    assert token not in sealed
    assert tokens.unseal(sealed, key_id=str(key)) == token


def test_another_key_does_not_unseal() -> None:
    token = tokens.token_new()
    sealed = tokens.seal(token, key_id="a")
    assert tokens.unseal(sealed, key_id="b") != token
    assert tokens.seal(token, key_id="a") != tokens.seal(token, key_id="b")


def test_a_different_secret_key_does_not_unseal(settings) -> None:
    token = tokens.token_new()
    sealed = tokens.seal(token, key_id="a")
    settings.SECRET_KEY = "another secret key, long enough for Django" * 2
    assert tokens.unseal(sealed, key_id="a") != token
