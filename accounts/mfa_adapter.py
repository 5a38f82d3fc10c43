"""allauth.mfa stores TOTP secrets as its adapter's encrypt() returns them; by
default that is the secret itself. Here: Fernet, with a key derived from
SECRET_KEY (SECRET_KEY_FALLBACKS still decrypt, so a key rotation keeps every
enrolment working)."""

import base64
import hashlib

from allauth.mfa.adapter import DefaultMFAAdapter
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"wingman-mfa-totp:" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def _keys() -> MultiFernet:
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(k) for k in keys])


class MfaAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return _keys().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return _keys().decrypt(encrypted_text.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("TOTP secret cannot be decrypted with SECRET_KEY") from exc
