"""The verifier fitted on zh-en and en-de MQM together, against zh-en alone, on both held-out sets.

Data: ../shared/data/mqm-ted-zhen (references ``refB`` and ``refB+ref``, English checks) and
../shared/data/mqm-ted-ende (reference ``ref``, German checks and German word features).  Each
data set keeps its own split, fixed before anything is fitted: talks sorted by name, even
positions train, odd positions are held out (as in ``fit_verifier.py`` and ``flags_mqm_de.py``).
Two pairs of models (flag verifier, then sentence model over text features and verified flags;
regularisation by leave-one-talk-out cross-validation on the training talks) are fitted the way
``fit_verifier.py`` fits them:

* **zh-en only**: the training talks of zh-en, as the shipped model;
* **zh-en + en-de**: the training talks of both.

Printed for each held-out set and reference setting: pooled Kendall tau, item-grouped tau and
precision@k of Major segments for both models and sentence chrF.  ``--write`` writes the joint
model to ``toolkit/verify/verifier-de.json``, the model German runs use: only it has seen the
flags of the German checks (untranslated English, formality, German casing), which the en-de
data alone holds.  The choice is made on that ground, not on the held-out figures, which are
printed for information.  ``toolkit/verify/verifier.json`` (every other language) is not
written here: it would change only if the joint model kept every English held-out figure equal
or better (the script says whether it does).

    python benchmarks/fit_verifier_de.py [--zh PATH] [--de PATH] [--write]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sacrebleu
import sklearn
from fit_verifier import (
    C_GRID,
    FLAG_CATEGORIES,
    Rows,
    choose_c,
    fit,
    minor_categories,
    out_of_fold,
    payload,
    rows_for,
    shown_weight,
    threshold_for,
)
from flags_mqm import (
    Segment,
    item_grouped_tau,
    kendall_tau_b,
    load,
    load_major_spans,
    precision_at_k,
)
from sacrebleu.metrics import CHRF

from toolkit.verify.features import FLAG_FEATURES, SENTENCE_FEATURES, flag_totals
from toolkit.verify.model import LANGUAGE_MODELS

GERMAN = LANGUAGE_MODELS["de"]

ROOT = Path(__file__).resolve().parents[2]
ZH = ROOT / "shared/data/mqm-ted-zhen/mqm_ted_zhen.tsv"
DE = ROOT / "shared/data/mqm-ted-ende/mqm_ted_ende.tsv"


@dataclass
class Part:
    """One data set: its segments, references, split and feature rows per reference setting."""

    name: str
    segments: list[Segment]
    humans: dict[str, dict[tuple[str, int], str]]
    settings: dict[str, tuple[str, ...]]
    rows: dict[str, Rows]
    train: np.ndarray  # bool per segment

    @property
    def talks(self) -> np.ndarray:
        return np.asarray([f"{self.name}:{s.doc}" for s in self.segments])


def part(name: str, path: Path, settings: dict[str, tuple[str, ...]], language: str) -> Part:
    segments, humans = load(path)
    needed = {r for refs in settings.values() for r in refs}
    segments = [s for s in segments if all((s.doc, s.seg_id) in humans[h] for h in needed)]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    train_docs = sorted({s.doc for s in segments})[0::2]
    major = load_major_spans(path)
    t = time.perf_counter()
    rows = {
        n: rows_for(segments, humans, refs, major, language=language)
        for n, refs in settings.items()
    }
    print(
        f"{name}: {len(segments)} segments, training talks {train_docs}, features "
        f"{(time.perf_counter() - t) / len(segments) * 1e6:.0f} us per segment"
    )
    train = np.asarray([s.doc in train_docs for s in segments])
    return Part(name, segments, humans, settings, rows, train)


@dataclass
class Fitted:
    """A flag verifier and a sentence model, and each part's sentence scores under them."""

    scores: dict[tuple[str, str], np.ndarray]  # (part, setting) -> P(Major) per segment
    flag_c: float
    sentence_c: float
    show: float
    model: dict[str, Any]  # the model file's content (without its training pedigree)


def fit_on(parts: Sequence[Part], trained: set[str], show_on: str) -> Fitted:
    """Fit both models on the training talks of the parts named in ``trained``; the show
    threshold is chosen on the training flags of the part named ``show_on`` (the language
    whose runs the model serves: a threshold is a precision promised in that language)."""
    flags = [(p, n, r) for p in parts for n in p.settings for r in p.rows[n].flags]
    fx = np.asarray([r.features for _, _, r in flags])
    fy = np.asarray([float(r.error) for _, _, r in flags])
    ftrain = np.asarray([p.name in trained and bool(p.train[r.segment]) for p, _, r in flags])
    ftalks = np.asarray([p.talks[r.segment] for p, _, r in flags])
    fc = choose_c(fx[ftrain], fy[ftrain], ftalks[ftrain])
    fscaler, fmodel = fit(fx[ftrain], fy[ftrain], fc)
    fp = fmodel.predict_proba(fscaler.transform(fx))[:, 1]
    fp[ftrain] = out_of_fold(fx[ftrain], fy[ftrain], ftalks[ftrain], fc)
    chooses = ftrain & np.asarray([p.name == show_on for p, _, _ in flags])
    show = threshold_for(fp[chooses], fy[chooses], 0.5)
    demoted = minor_categories([(n, r) for _, n, r in flags], fp, fy, ftrain, show)

    matrices: dict[tuple[str, str], np.ndarray] = {}
    for p in parts:
        for n in p.settings:
            per_seg: list[list[tuple[str, float, float, float]]] = [[] for _ in p.segments]
            for (q, m, r), prob in zip(flags, fp, strict=True):
                if q is p and m == n:
                    per_seg[r.segment].append(
                        (r.category, shown_weight(r, demoted), r.agreement, float(prob))
                    )
            rows = [
                {**p.rows[n].text[k], **flag_totals(per_seg[k])} for k in range(len(p.segments))
            ]
            matrices[(p.name, n)] = np.asarray(
                [[row[f] for f in SENTENCE_FEATURES] for row in rows]
            )
    used = [(p, n) for p in parts if p.name in trained for n in p.settings]
    x = np.vstack([matrices[(p.name, n)][p.train] for p, n in used])
    y = np.concatenate(
        [[float(s.major) for s, t in zip(p.segments, p.train, strict=True) if t] for p, _ in used]
    )
    talks = np.concatenate([p.talks[p.train] for p, _ in used])
    c = choose_c(x, y, talks)
    scaler, model = fit(x, y, c)
    scores = {key: model.predict_proba(scaler.transform(m))[:, 1] for key, m in matrices.items()}
    names = list(FLAG_FEATURES) + [f"category={cat}" for cat in FLAG_CATEGORIES]
    content = {
        "kind": "logistic-regression",
        "sentence": {
            "target": "segment has a Major MQM error",
            **payload(SENTENCE_FEATURES, scaler, model),
        },
        "flag": {
            "target": "flag span overlaps an MQM error span",
            **payload(names, fscaler, fmodel),
        },
        "thresholds": {"show": round(show, 4)},
        "minor_categories": sorted(demoted),
        "rows": {"sentence": len(y), "flag": int(ftrain.sum())},
    }
    return Fitted(scores, fc, c, show, content)


def training_talks(p: Part) -> list[str]:
    return sorted({s.doc for s, t in zip(p.segments, p.train, strict=True) if t})


def figures(p: Part, scores: Sequence[float]) -> tuple[float, float, float]:
    held = [i for i in range(len(p.segments)) if not p.train[i]]
    sub = [scores[i] for i in held]
    major = [p.segments[i].major for i in held]
    tau = kendall_tau_b(sub, [p.segments[i].mqm for i in held])
    return tau, item_grouped_tau(scores, p.segments, held), precision_at_k(sub, major, sum(major))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zh", type=Path, default=ZH)
    parser.add_argument("--de", type=Path, default=DE)
    parser.add_argument("--write", action="store_true", help=f"write {GERMAN.name}")
    args = parser.parse_args()
    t0 = time.perf_counter()
    zh = part("zh-en", args.zh, {"refB": ("refB",), "refB+ref": ("refB", "ref")}, "en")
    de = part("en-de", args.de, {"ref": ("ref",)}, "de")
    parts = [zh, de]
    print(
        f"flag features: {len(FLAG_FEATURES)} + {len(FLAG_CATEGORIES)} categories; C grid {C_GRID}"
    )
    models = {}
    for label, trained, show_on in (
        ("zh-en only", {"zh-en"}, "zh-en"),
        ("zh-en + en-de", {"zh-en", "en-de"}, "en-de"),
    ):
        print(f"\n== fitting {label} ==")
        models[label] = fit_on(parts, trained, show_on)
        m = models[label]
        print(f"flag C {m.flag_c:g}, sentence C {m.sentence_c:g}, show threshold {m.show:.3f}")

    chrf = CHRF()
    better = True
    german_gain = (0.0, 0.0, 0.0, 0.0)
    for p in parts:
        for n, refs in p.settings.items():
            print(f"\n-- {p.name}, references {n}, held-out talks --")
            print(f"{'score':<26} {'pooled tau':>10} {'item tau':>9} {'P@k':>7}")
            texts = [[p.humans[r][(s.doc, s.seg_id)] for r in refs] for s in p.segments]
            baseline = [
                -chrf.sentence_score(s.text, t).score
                for s, t in zip(p.segments, texts, strict=True)
            ]
            rows = {label: list(m.scores[(p.name, n)]) for label, m in models.items()}
            rows["sentence chrF"] = baseline
            got = {}
            for label, scores in rows.items():
                got[label] = figures(p, scores)
                tau, item, pk = got[label]
                print(f"{label:<26} {tau:>10.4f} {item:>9.4f} {pk:>7.4f}")
            if p.name == "en-de":
                german_gain = (*got["zh-en + en-de"][:2], *got["zh-en only"][:2])
            if p.name == "zh-en":
                better &= all(
                    a >= b for a, b in zip(got["zh-en + en-de"], got["zh-en only"], strict=True)
                )
    verdict = "equal or better" if better else "worse on at least one figure"
    print(f"\nEnglish (zh-en) held-out figures of the joint model: {verdict}")
    gains = german_gain[0] > german_gain[2] and german_gain[1] > german_gain[3]
    print(
        "German (en-de) held-out tau and item tau of the joint model: "
        + ("both better than zh-en alone" if gains else "not both better")
    )
    if args.write:
        joint = models["zh-en + en-de"]
        data = {
            **joint.model,
            "training": {
                "data": "mqm-ted-zhen + mqm-ted-ende (WMT21 TED, Google MQM), 13 MT systems each",
                "fit": "mqm-ted-zhen+ende",
                "references": "zh-en: refB; refB+ref. en-de: ref",
                "split": (
                    f"train zh-en {','.join(training_talks(zh))}; "
                    f"en-de {','.join(training_talks(de))}; held out the others"
                ),
                "C": {"sentence": joint.sentence_c, "flag": joint.flag_c},
                "rows": joint.model["rows"],
                "script": "benchmarks/fit_verifier_de.py",
                "libraries": (
                    f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
                    f"sacrebleu {sacrebleu.__version__}, python {platform.python_version()}"
                ),
            },
        }
        del data["rows"]
        GERMAN.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {GERMAN}")
    print(f"total {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
