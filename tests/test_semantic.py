"""Offline semantic similarity (toolkit/semantic.py), shipped as the ``semantic`` extra."""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from toolkit import semantic
from toolkit.errors import TransdiffError
from toolkit.semantic import SemanticUnavailable, available, load_encoder

needs_extra = pytest.mark.skipif(
    not available(),
    reason='the semantic extra is not installed (pip install -e ".[semantic]")',
)

PARAPHRASE = ("He supplied planes to the army.", "He provided aircraft to the military.")
UNRELATED = ("He supplied planes to the army.", "The weather was cold in Moscow.")


@pytest.fixture(scope="module")
def encoder() -> semantic.Encoder:
    return load_encoder()


# -- the error path: runs with or without the extra --


def test_missing_extra_is_a_one_line_error_naming_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: None if name == semantic.PACKAGE else real(name, *a),
    )
    assert available() is False
    with pytest.raises(SemanticUnavailable) as info:
        load_encoder()
    message = str(info.value)
    assert isinstance(info.value, TransdiffError)
    assert "\n" not in message
    assert message == (
        "semantic similarity needs the optional encoder, which is not installed: "
        'pip install "transdiff[semantic]"'
    )


def test_missing_libraries_are_the_same_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_libraries() -> None:
        raise ModuleNotFoundError("No module named 'tokenizers'")

    monkeypatch.setattr(semantic, "_libraries", no_libraries)
    assert available() is False
    with pytest.raises(SemanticUnavailable, match=r'pip install "transdiff\[semantic\]"$'):
        load_encoder()


# -- with the extra --


def _copy_model(tmp_path: Path) -> Path:
    folder = semantic._package_dir()
    assert folder is not None
    for rel in (semantic.WEIGHTS, semantic.TOKENIZER):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / rel, tmp_path / rel)
    return tmp_path


@needs_extra
def test_truncated_weights_file_names_file_and_fix(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    weights = folder / semantic.WEIGHTS
    weights.write_bytes(weights.read_bytes()[:1000])
    with pytest.raises(SemanticUnavailable) as info:
        load_encoder(model_dir=folder)
    message = str(info.value)
    assert message.startswith(f"semantic model file {weights} is unusable (")
    assert message.endswith("reinstall it with pip install --force-reinstall --no-deps wordllama")
    assert "\n" not in message


@needs_extra
def test_missing_weights_file(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    (folder / semantic.WEIGHTS).unlink()
    with pytest.raises(SemanticUnavailable, match=r"is unusable \(not found\): reinstall it with"):
        load_encoder(model_dir=folder)


@needs_extra
def test_garbage_tokenizer_file(tmp_path: Path) -> None:
    folder = _copy_model(tmp_path)
    tokenizer = folder / semantic.TOKENIZER
    tokenizer.write_text("{not json", encoding="utf-8")
    with pytest.raises(SemanticUnavailable) as info:
        load_encoder(model_dir=folder)
    assert str(info.value).startswith(f"semantic model file {tokenizer} is unusable (")
    assert "\n" not in str(info.value)


@needs_extra
def test_weights_of_the_wrong_shape(tmp_path: Path) -> None:
    from safetensors.numpy import save_file

    folder = _copy_model(tmp_path)
    save_file({"embedding.weight": np.zeros((10, 64), dtype=np.float32)}, folder / semantic.WEIGHTS)
    with pytest.raises(SemanticUnavailable, match=r"expected a float table of width 256, found"):
        load_encoder(model_dir=folder)


@needs_extra
def test_paraphrase_scores_far_above_unrelated(encoder: semantic.Encoder) -> None:
    para = encoder.similarity(*PARAPHRASE)
    unrelated = encoder.similarity(*UNRELATED)
    # golden values of the shipped model (wordllama 0.4 l2_supercat 256)
    assert para == pytest.approx(0.6867, abs=1e-3)
    assert unrelated == pytest.approx(-0.0859, abs=1e-3)
    assert para - unrelated > 0.5


@needs_extra
def test_pairs_rank_paraphrases_first(encoder: semantic.Encoder) -> None:
    a = ["The talk was about child poverty.", "Three times as many children died."]
    b = ["The lecture dealt with poverty among children.", "Three times as many children died."]
    c = ["I bought a new bicycle yesterday.", "The stock market fell sharply."]
    close, far = encoder.similarity(a, b), encoder.similarity(a, c)
    assert close.shape == far.shape == (2,)
    assert close[1] == 1.0  # identical texts
    assert (close > far + 0.3).all()


@needs_extra
def test_encode_is_deterministic_and_independent_of_the_batch(encoder: semantic.Encoder) -> None:
    texts = [*PARAPHRASE, "", "x" * 3000, "数字 42"]
    first = encoder.encode(texts)
    again = encoder.encode(list(reversed(texts)))[::-1]
    alone = np.vstack([encoder.encode([t]) for t in texts])
    assert first.dtype == np.float32 and first.shape == (5, 256)
    assert np.array_equal(first, again)
    assert np.array_equal(first, alone)
    norms = np.linalg.norm(first, axis=1)
    assert norms[2] == 0.0  # no tokens: the zero vector
    assert np.allclose(np.delete(norms, 2), 1.0, atol=1e-6)


@needs_extra
def test_empty_texts(encoder: semantic.Encoder) -> None:
    assert encoder.encode([]).shape == (0, 256)
    assert encoder.similarity("", "") == 1.0
    assert encoder.similarity("", "planes") == 0.0


@needs_extra
def test_misuse_is_a_type_or_value_error(encoder: semantic.Encoder) -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        encoder.encode("one text")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="got 2 and 1 texts"):
        encoder.similarity(["a", "b"], ["c"])


@needs_extra
def test_signature_names_model_version_and_digest(encoder: semantic.Encoder) -> None:
    sig = str(encoder.signature)
    assert sig.startswith("sem:wordllama-l2_supercat-256|dim:256|wordllama:0.4")
    assert sig.endswith(f"|sha:{encoder.signature.sha256[:12]}")
    assert len(encoder.signature.sha256) == 64


@needs_extra
@settings(max_examples=50, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_similarity_is_symmetric_bounded_and_one_on_itself(
    encoder: semantic.Encoder, a: str, b: str
) -> None:
    ab, ba = encoder.similarity(a, b), encoder.similarity(b, a)
    assert ab == ba
    assert -1.0 <= ab <= 1.0
    assert encoder.similarity(a, a) == 1.0
