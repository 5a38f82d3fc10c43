"""Text to vectors, behind one small interface chosen by a setting.

`WINGMAN_SEARCH_ENCODER` names the encoder:

- "wordllama" (default): WordLlama's l2_supercat 256-dimension static token
  embeddings, 16 MB of weights inside the pinned `wordllama` wheel (MIT). A
  query takes about 0.3 ms on one core; no service, no GPU.
- "hashing": a tiny deterministic bag of hashed word stems, for tests (and a
  site that wants no model at all); it knows no synonyms.
- a dotted path to a class with the same interface.

Nothing is ever downloaded: WordLlama is loaded from its own package folder
with downloads disabled, and the Hugging Face libraries are told to stay
offline before they are imported.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Protocol

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string


class Encoder(Protocol):
    """What search needs of a model: a name, a size, and unit vectors."""

    name: str  # stored with every vector; a new name means a reindex
    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """float32 array (len(texts), dim), each row of length 1 (or 0)."""
        ...


def normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


class WordLlamaEncoder:
    name = "wordllama-l2_supercat-256"
    dim = 256

    def __init__(self) -> None:
        # Before the tokenizers and hub libraries load: never reach for the network.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
        import wordllama
        from wordllama import WordLlama

        # The wheel ships weights/ and tokenizers/ in its own folder; as the cache
        # folder, both are found there and nothing is fetched.
        folder = Path(wordllama.__file__).parent
        self._model = WordLlama.load(
            config="l2_supercat", dim=self.dim, cache_dir=folder, disable_download=True
        )
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # the tokenizer is shared by a worker's threads
            vectors = self._model.embed(list(texts), norm=False)
        return normalise(vectors)


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


class HashingEncoder:
    """Words cut to five letters, hashed into 64 buckets: a fake for tests.

    Two texts are near when they share words, so tests can reason about
    rankings without a model.
    """

    name = "hashing-64"
    dim = 64

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                if len(word) < 3:
                    continue
                digest = hashlib.blake2b(word[:5].encode(), digest_size=4).digest()
                vectors[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return normalise(vectors)


ENCODERS = {"wordllama": WordLlamaEncoder, "hashing": HashingEncoder}

_lock = threading.Lock()


def get_encoder() -> Encoder:
    """The encoder the settings name, loaded once per process."""
    return _load(settings.WINGMAN_SEARCH_ENCODER)


@cache
def _cached(name: str) -> Encoder:
    cls = ENCODERS.get(name) or import_string(name)
    return cls()


def _load(name: str) -> Encoder:
    with _lock:  # two threads of one worker load the model once
        return _cached(name)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype="<f4")
