"""Semantic similarity of sentences and spans, offline, from the optional ``semantic`` extra.

The encoder is WordLlama's ``l2_supercat`` table: 256-dimensional static embeddings of the
32,000 tokens of the Llama 2 tokenizer (MIT licence).  The ``wordllama`` wheel from the package
index carries both files, so nothing is fetched from a model hub at run time.  Only the two
files are used: they are read with ``tokenizers`` and ``safetensors`` and the text vector is the
mean of its token vectors, in numpy.  (``wordllama``'s own loader looks for the tokenizer in a
folder the wheel does not have and then tries to download it, and configures logging when
imported; so it is never imported.)

Why a static table and not a transformer: on the MQM TED zh-en data no packaged encoder ranks
the translations of a sentence measurably better than sentence chrF (all gains within their
95% intervals, see ``benchmarks/semantic_survey.py``), and this one encodes thousands of
sentences a second on one core, where the transformers manage tens to a few hundred; it also
gives cheap vectors for short spans.

    encoder = load_encoder()                     # raises SemanticUnavailable without the extra
    encoder.similarity("He supplied planes", "He provided aircraft")   # -> float in [-1, 1]
"""

from __future__ import annotations

import hashlib
import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, overload

import numpy as np

from toolkit.errors import TransdiffError

__all__ = ["Encoder", "EncoderSignature", "SemanticUnavailable", "available", "load_encoder"]

PACKAGE = "wordllama"
WEIGHTS = "weights/l2_supercat_256.safetensors"
TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
TENSOR = "embedding.weight"
DIM = 256
INSTALL = 'pip install "transdiff[semantic]"'
REINSTALL = f"pip install --force-reinstall --no-deps {PACKAGE}"
_CHUNK = 2048  # texts pooled at once: bounds the (tokens x 256) gather to a few tens of MB


class SemanticUnavailable(TransdiffError):
    """The optional encoder is not installed, or its model files are missing or corrupt."""


@dataclass(frozen=True, slots=True)
class EncoderSignature:
    """What produced the vectors: the model, its package version and the weights' digest."""

    model: str
    package: str
    version: str
    dim: int
    sha256: str

    def __str__(self) -> str:
        return (
            f"sem:{self.model}|dim:{self.dim}|{self.package}:{self.version}|sha:{self.sha256[:12]}"
        )


class Encoder:
    """Mean-pooled static token embeddings; every vector has unit length (or is all zero)."""

    def __init__(self, table: np.ndarray, tokenizer: Any, signature: EncoderSignature) -> None:
        self._table = table
        self._tokenizer = tokenizer
        self.signature = signature

    @property
    def dim(self) -> int:
        return int(self._table.shape[1])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length float32 row per text; a text with no tokens gets a row of zeros.

        A text's vector does not depend on the other texts in the call (no padding, no batch
        statistics), so vectors can be cached and compared across calls.
        """
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts; wrap a single text in a list")
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for lo in range(0, len(texts), _CHUNK):
            chunk = list(texts[lo : lo + _CHUNK])
            ids = [e.ids for e in self._tokenizer.encode_batch(chunk, add_special_tokens=False)]
            lengths = np.array([len(i) for i in ids])
            filled = np.flatnonzero(lengths)
            if not len(filled):
                continue
            flat = np.concatenate([ids[i] for i in filled]).astype(np.intp)
            starts = np.concatenate(([0], np.cumsum(lengths[filled])[:-1]))
            sums = np.add.reduceat(self._table[flat], starts, axis=0, dtype=np.float64)
            means = sums / lengths[filled, None]
            norms = np.linalg.norm(means, axis=1, keepdims=True)
            out[lo + filled] = means / np.where(norms == 0.0, 1.0, norms)
        return out

    @overload
    def similarity(self, a: str, b: str) -> float: ...  # type: ignore[overload-overlap]

    @overload
    def similarity(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray: ...

    def similarity(self, a: str | Sequence[str], b: str | Sequence[str]) -> float | np.ndarray:
        """Cosine similarity of ``a`` and ``b``: one float for two texts, or one per pair
        (``a[i]`` with ``b[i]``) for two equally long sequences.

        Identical texts score 1.0 (even when they have no tokens); a text with no tokens scores
        0.0 against any other text.
        """
        if isinstance(a, str) and isinstance(b, str):
            return float(self.similarity([a], [b])[0])
        if isinstance(a, str) or isinstance(b, str):
            raise TypeError("similarity() takes two texts or two sequences of texts")
        if len(a) != len(b):
            raise ValueError(f"similarity() pairs texts: got {len(a)} and {len(b)} texts")
        va, vb = self.encode(a), self.encode(b)
        cos = np.clip(np.einsum("ij,ij->i", va, vb), -1.0, 1.0)
        same = np.array([x == y for x, y in zip(a, b, strict=True)], dtype=bool)
        cos[same] = 1.0
        return cos


def _package_dir() -> Path | None:
    try:
        spec = importlib.util.find_spec(PACKAGE)  # locates the package without importing it
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _libraries() -> tuple[Any, Any]:
    from safetensors.numpy import load_file
    from tokenizers import Tokenizer

    return load_file, Tokenizer


def available() -> bool:
    """Whether the extra is installed and its model files are present (nothing is loaded)."""
    folder = _package_dir()
    if folder is None or not (folder / WEIGHTS).is_file() or not (folder / TOKENIZER).is_file():
        return False
    try:
        _libraries()
    except ImportError:
        return False
    return True


def load_encoder(*, model_dir: Path | None = None) -> Encoder:
    """Load the shipped encoder (about 0.2 s).

    Args:
        model_dir: A folder laid out like the ``wordllama`` package (``weights/`` and
            ``tokenizers/``); by default the installed package.

    Raises:
        SemanticUnavailable: The extra is not installed, or a model file is missing or corrupt.
    """
    try:
        load_file, tokenizer_class = _libraries()
    except ImportError:
        raise SemanticUnavailable(_missing_extra()) from None
    folder = model_dir if model_dir is not None else _package_dir()
    if folder is None:
        raise SemanticUnavailable(_missing_extra())
    weights, tokenizer_file = folder / WEIGHTS, folder / TOKENIZER
    table = _read_table(weights, load_file)
    try:
        tokenizer = tokenizer_class.from_file(str(tokenizer_file))
    except Exception as exc:  # tokenizers raises a bare Exception for unreadable JSON
        raise SemanticUnavailable(_corrupt(tokenizer_file, exc)) from None
    tokenizer.no_padding()
    tokenizer.no_truncation()
    if tokenizer.get_vocab_size() > table.shape[0]:
        reason = f"{tokenizer.get_vocab_size()} tokens but {table.shape[0]} vectors"
        raise SemanticUnavailable(_corrupt(weights, reason))
    signature = EncoderSignature(
        model="wordllama-l2_supercat-256",
        package=PACKAGE,
        version=_version(),
        dim=int(table.shape[1]),
        sha256=hashlib.sha256(weights.read_bytes()).hexdigest(),
    )
    return Encoder(table, tokenizer, signature)


def _read_table(path: Path, load_file: Any) -> np.ndarray:
    if not path.is_file():
        raise SemanticUnavailable(_corrupt(path, "not found"))
    try:
        table = load_file(str(path))[TENSOR]
    except KeyError:
        raise SemanticUnavailable(_corrupt(path, f"no tensor {TENSOR!r}")) from None
    except Exception as exc:  # safetensors raises its own SafetensorError (not exported)
        raise SemanticUnavailable(_corrupt(path, exc)) from None
    if table.ndim != 2 or table.shape[1] != DIM or not np.issubdtype(table.dtype, np.floating):
        reason = f"expected a float table of width {DIM}, found {table.dtype} {table.shape}"
        raise SemanticUnavailable(_corrupt(path, reason))
    table = np.ascontiguousarray(table, dtype=np.float32)
    if not np.isfinite(table).all():
        raise SemanticUnavailable(_corrupt(path, "non-finite values"))
    return table


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:  # a model_dir outside an installed package
        return "unknown"


def _missing_extra() -> str:
    return f"semantic similarity needs the optional encoder, which is not installed: {INSTALL}"


def _corrupt(path: Path, reason: object) -> str:
    text = " ".join(str(reason).split()) or type(reason).__name__
    return f"semantic model file {path} is unusable ({text}): reinstall it with {REINSTALL}"
