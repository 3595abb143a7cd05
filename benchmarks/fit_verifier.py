"""Fit the sentence model behind transdiff's suspicion on expert MQM annotations, and measure it.

Data: ../shared/data/mqm-ted-zhen (13 MT systems x 529 segments, 5 talks; references ``refB``
and ``ref``).  The split is fixed before anything is fitted: talks are sorted by name, those at
even positions (talk.2, talk.6, talk.9) are the training part, those at odd positions (talk.5,
talk.7) are held out; nothing is chosen by looking at them.  The same split is used by
``flags_mqm.py``.

The sentence model is a logistic regression of "the segment has a Major error" on
``SENTENCE_FEATURES`` of ``toolkit/verify/features.py`` (the references' length and the seed's
closeness to them; standardised), fitted with scikit-learn on training rows under
two reference settings (refB alone, refB + ref) so that it works with one reference or two; the
regularisation is chosen by leave-one-talk-out cross-validation on the training talks.  It is
written to ``toolkit/verify/sentence_model.json`` (coefficients, scaling, training signature),
which transdiff evaluates at run time without scikit-learn.

Printed, for each reference setting, on the held-out talks and on the training talks:

* pooled Kendall tau-b against the MQM score; precision@k of Major segments;
* item-grouped tau: for each source segment, Kendall tau between the score and the MQM scores of
  the 13 systems' translations of it, averaged (length cancels out);
* rows: the fitted model (on the training talks: out of fold, each talk scored by a model fitted
  without it), the same logistic regression on the seed's length alone and on the references'
  length alone, sentence chrF, sentence BLEU, the segment's length in characters, and the
  previous suspicion formula;
* a reliability table (predicted probability against the observed rate of Major errors, by
  decile of the prediction) on the held-out talks.

    python benchmarks/fit_verifier.py [--data PATH] [--write]
"""

from __future__ import annotations

import argparse
import json
import math
import pickle
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import sacrebleu
import sklearn
from flags_mqm import (
    DEFAULT_DATA,
    HUMAN,
    Segment,
    documents,
    item_grouped_tau,
    kendall_tau_b,
    load,
    load_major_spans,
    precision_at_k,
)
from sacrebleu.metrics import BLEU, CHRF
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler

from toolkit.checks import BUILTIN_CATEGORIES, Severity, registered
from toolkit.detect import Flag, detect, divergences, suspicion
from toolkit.verify import flag_row
from toolkit.verify.features import (
    FLAG_FEATURES,
    SENTENCE_FEATURES,
    Counterpart,
    flag_totals,
    reference_features,
)
from toolkit.verify.model import MODEL_PATH

FLAG_CATEGORIES = tuple(c.value for c in BUILTIN_CATEGORIES)
SETTINGS = {"refB": ("refB",), "refB+ref": ("refB", "ref")}
C_GRID = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0)
SEED = 0


@dataclass
class FlagRow:
    """One flag raised on an MQM segment, with its features and whether experts marked it."""

    segment: int
    category: str
    weight: float
    agreement: float
    features: list[float]
    error: bool  # overlaps an annotated error span
    major: bool  # overlaps an annotated Major error span


@dataclass
class Rows:
    """What one reference setting gives for every segment."""

    text: list[dict[str, float]]  # reference_features of each segment
    previous: list[float]  # the previous suspicion formula
    flags: list[FlagRow]


def rows_for(
    segments: list[Segment],
    humans: dict[str, dict[tuple[str, int], str]],
    refs: Sequence[str],
    major_spans: dict[tuple[str, str, int], set[int]],
    *,
    language: str = "en",
) -> Rows:
    """Text features, previous suspicion and flag rows of every segment against ``refs``
    (the checks that support ``language`` run, as in a transdiff run)."""
    text: list[dict[str, float]] = [{}] * len(segments)
    old: list[float] = [0.0] * len(segments)
    flag_rows: list[FlagRow] = []
    checks = [c for c in registered() if c.supports(language)]
    for idx, seed, references in documents(segments, {name: humans[name] for name in refs}):
        flags = detect(seed, references, checks=checks, language=language)
        spread = divergences(seed, references)
        for j, k in enumerate(idx):
            pairs = [Counterpart(seed[j], texts[j]) for _, texts, _ in references]
            text[k] = reference_features(pairs)
            old[k] = suspicion(flags[j], spread[j])
            seg = segments[k]
            gold_major = major_spans.get((seg.system, seg.doc, seg.seg_id), set())
            for f in flags[j]:
                span = set(range(f.start, f.end))
                flag_rows.append(
                    FlagRow(
                        k,
                        f.category.value,
                        f.severity.weight,
                        f.agreement,
                        verifier_row(seed[j], f, pairs, text[k], language=language),
                        bool(span & seg.spans),
                        bool(span & gold_major),
                    )
                )
    return Rows(text, old, flag_rows)


def verifier_row(
    seed: str,
    flag: Flag,
    pairs: list[Counterpart],
    sentence: dict[str, float],
    *,
    language: str = "en",
) -> list[float]:
    """The flag verifier's features of one flag, in the model file's order."""
    row = flag_row(seed, flag, pairs, sentence, language=language)
    return [row[n] for n in FLAG_FEATURES] + [row[f"category={c}"] for c in FLAG_CATEGORIES]


def fit(x: np.ndarray, y: np.ndarray, c: float) -> tuple[StandardScaler, LogisticRegression]:
    scaler = StandardScaler().fit(x)
    model = LogisticRegression(C=c, max_iter=2000, random_state=SEED)
    model.fit(scaler.transform(x), y)
    return scaler, model


def choose_c(x: np.ndarray, y: np.ndarray, talks: np.ndarray) -> float:
    """The C with the best leave-one-talk-out log-loss on the training rows."""
    best = (math.inf, C_GRID[0])
    for c in C_GRID:
        loss = 0.0
        for talk in np.unique(talks):
            train, test = talks != talk, talks == talk
            scaler, model = fit(x[train], y[train], c)
            p = np.clip(model.predict_proba(scaler.transform(x[test]))[:, 1], 1e-6, 1 - 1e-6)
            loss -= float(np.sum(y[test] * np.log(p) + (1 - y[test]) * np.log(1 - p)))
        print(f"  C {c:<5g} leave-one-talk-out log-loss {loss / len(y):.4f}")
        best = min(best, (loss, c))
    return best[1]


def reliability_table(p: np.ndarray, y: np.ndarray) -> list[str]:
    order = np.argsort(p)
    lines = ["  decile  predicted  observed   n"]
    for d, chunk in enumerate(np.array_split(order, 10)):
        lines.append(
            f"  {d + 1:>6}  {p[chunk].mean():>9.3f}  {y[chunk].mean():>8.3f}  {len(chunk):>3}"
        )
    return lines


def out_of_fold(x: np.ndarray, y: np.ndarray, talks: np.ndarray, c: float) -> np.ndarray:
    """Probabilities for training rows from models fitted without their own talk."""
    p = np.zeros(len(y))
    for talk in np.unique(talks):
        train, test = talks != talk, talks == talk
        scaler, model = fit(x[train], y[train], c)
        p[test] = model.predict_proba(scaler.transform(x[test]))[:, 1]
    return p


MIN_SHOWN = 20  # a precision is judged on at least this many rows


def threshold_for(p: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold whose rows at or above it reach ``precision`` (out-of-fold).

    When no cut-off does (over at least :data:`MIN_SHOWN` rows), the cut-off of the highest
    precision over at least that many rows: the flags the model trusts most, rather than none.
    """
    order = np.argsort(-p)
    hits = np.cumsum(y[order])
    prec = hits / np.arange(1, len(y) + 1)
    judged = np.arange(len(y)) >= MIN_SHOWN - 1
    ok = np.where((prec >= precision) & judged)[0]
    if len(ok):
        return float(p[order][ok[-1]])
    if not judged.any():
        return 1.0
    best = int(np.argmax(np.where(judged, prec, -1.0)))
    return float(p[order][best])


def payload(features: Sequence[str], scaler: StandardScaler, model: LogisticRegression) -> dict:
    return {
        "features": list(features),
        "mean": [round(float(v), 6) for v in scaler.mean_],
        "scale": [round(float(v), 6) for v in scaler.scale_],
        "coef": [round(float(v), 6) for v in model.coef_[0]],
        "intercept": round(float(model.intercept_[0]), 6),
    }


MAJOR, MINOR = Severity.major.weight, Severity.minor.weight


def shown_weight(row: FlagRow, demoted: set[str]) -> float:
    """The severity weight a run shows for the flag of ``row`` (``Verifier.severity``: a
    major flag of a demoted category is minor); the sentence model is fitted on it."""
    return MINOR if row.weight == MAJOR and row.category in demoted else row.weight


def minor_categories(
    flag_rows: Sequence[tuple[str, FlagRow]],
    p: np.ndarray,
    error: np.ndarray,
    train: np.ndarray,
    show: float,
    *,
    precision: float = 0.7,
    least: int = 10,
) -> set[str]:
    """The categories whose rule-major flags are shown as minor: on the training talks (out
    of fold), fewer than ``precision`` of their major flags overlap an error span, measured
    on those at or above the show threshold when there are ``least`` of them, else on all of
    them (a category with fewer than ``least`` major flags is not judged)."""
    print(
        f"major flags per category, training talks, out of fold (shown as minor below "
        f"precision {precision}, judged on >= {least} flags):"
    )
    demoted = set()
    for c in FLAG_CATEGORIES:
        major = train & np.asarray([r.category == c and r.weight == MAJOR for _, r in flag_rows])
        shown = major & (p >= show)
        judged, which = (shown, "shown") if shown.sum() >= least else (major, "all")
        n = int(judged.sum())
        if not major.sum():
            continue
        share = float(error[judged].mean()) if n else 0.0
        verdict = "not judged" if n < least else "major" if share >= precision else "minor"
        print(f"  {c:<26} {which:>5} {n:>4} flags  {share:.3f}  {verdict}")
        if verdict == "minor":
            demoted.add(c)
    return demoted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--write", action="store_true", help=f"write {MODEL_PATH.name}")
    parser.add_argument("--cache", type=Path, help="pickle of the feature rows (made if missing)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    segments, humans = load(args.data)
    segments = [s for s in segments if all((s.doc, s.seg_id) in humans[h] for h in HUMAN)]
    segments.sort(key=lambda s: (s.system, s.doc, s.seg_id))
    docs = sorted({s.doc for s in segments})
    train_docs = docs[0::2]
    train = [i for i, s in enumerate(segments) if s.doc in train_docs]
    held = [i for i, s in enumerate(segments) if s.doc not in train_docs]
    is_train = np.asarray([s.doc in train_docs for s in segments])
    print(f"{len(segments)} MT segments; training talks {train_docs}, held out {docs[1::2]}")
    y = np.asarray([float(s.major) for s in segments])
    talks = np.asarray([s.doc for s in segments])

    major_spans = load_major_spans(args.data)
    if args.cache and args.cache.exists():
        rows: dict[str, Rows] = pickle.loads(args.cache.read_bytes())
    else:
        rows = {}
        for name, refs in SETTINGS.items():
            t = time.perf_counter()
            rows[name] = rows_for(segments, humans, refs, major_spans)
            per = (time.perf_counter() - t) / len(segments) * 1e6
            print(f"features with {name}: {per:.0f} us per segment")
        if args.cache:
            args.cache.write_bytes(pickle.dumps(rows))

    # 1. The flag verifier: P(a flag's span overlaps an error the experts marked).
    flag_rows = [(n, r) for n in SETTINGS for r in rows[n].flags]
    fx = np.asarray([r.features for _, r in flag_rows])
    fy = np.asarray([float(r.error) for _, r in flag_rows])
    fmajor = np.asarray([float(r.major) for _, r in flag_rows])
    ftrain = np.asarray([is_train[r.segment] for _, r in flag_rows])
    ftalks = np.asarray([talks[r.segment] for _, r in flag_rows])
    print(f"\nflag verifier: {int(ftrain.sum())} training flags, {int((~ftrain).sum())} held out")
    print("choosing the regularisation on the training talks:")
    fc = choose_c(fx[ftrain], fy[ftrain], ftalks[ftrain])
    fscaler, fmodel = fit(fx[ftrain], fy[ftrain], fc)
    fp = np.zeros(len(fy))
    fp[ftrain] = out_of_fold(fx[ftrain], fy[ftrain], ftalks[ftrain], fc)
    fp[~ftrain] = fmodel.predict_proba(fscaler.transform(fx[~ftrain]))[:, 1]
    print(
        f"flag verifier ROC AUC: training talks out-of-fold "
        f"{roc_auc_score(fy[ftrain], fp[ftrain]):.4f}, held out "
        f"{roc_auc_score(fy[~ftrain], fp[~ftrain]):.4f}"
    )
    show = threshold_for(fp[ftrain], fy[ftrain], 0.5)
    print(f"show threshold chosen on the training talks (out-of-fold precision 0.5): {show:.3f}")
    names = list(FLAG_FEATURES) + [f"category={c}" for c in FLAG_CATEGORIES]
    for name, w in sorted(zip(names, fmodel.coef_[0], strict=True), key=lambda p: -abs(p[1]))[:12]:
        print(f"  {name:<34} {w:+.3f}")
    print("flags on the held-out talks: share overlapping an error span (any / Major)")
    held_f = ~ftrain
    for label, mask in (
        ("all flags (rules alone)", held_f),
        (f"verified p >= {show:.2f} (shown)", held_f & (fp >= show)),
    ):
        n = int(mask.sum())
        if n:
            print(f"  {label:<32} {n:>5} flags  {fy[mask].mean():.3f}  {fmajor[mask].mean():.3f}")
    print("  per category (held out): flags, share with an error; shown, share with an error")
    for c in FLAG_CATEGORIES:
        m = held_f & np.asarray([r.category == c for _, r in flag_rows])
        if m.sum():
            s_ = m & (fp >= show)
            shown = f"{int(s_.sum()):>5}  {fy[s_].mean():.3f}" if s_.sum() else "    0      -"
            print(f"    {c:<26} {int(m.sum()):>5}  {fy[m].mean():.3f}  {shown}")

    demoted = minor_categories(flag_rows, fp, fy, ftrain, show)

    # 2. The sentence model over text features and the verified flags.
    def matrix(name: str) -> np.ndarray:
        per_seg: list[list[tuple[str, float, float, float]]] = [[] for _ in segments]
        for (n, r), p in zip(flag_rows, fp, strict=True):
            if n == name:
                per_seg[r.segment].append(
                    (r.category, shown_weight(r, demoted), r.agreement, float(p))
                )
        out = []
        for k in range(len(segments)):
            row = {**rows[name].text[k], **flag_totals(per_seg[k])}
            out.append([row[f] for f in SENTENCE_FEATURES])
        return np.asarray(out)

    features = {name: matrix(name) for name in SETTINGS}
    x_train = np.vstack([features[n][train] for n in SETTINGS])
    y_train = np.concatenate([y[train] for _ in SETTINGS])
    t_train = np.concatenate([talks[train] for _ in SETTINGS])
    print("\nsentence model; choosing the regularisation on the training talks:")
    c = choose_c(x_train, y_train, t_train)
    scaler, model = fit(x_train, y_train, c)

    def column(name: str, feature: str) -> np.ndarray:
        return np.asarray([[t[feature]] for t in rows[name].text])

    # Baselines fitted the same way: the seed's length alone, the references' length alone.
    length_features = (("length-only model", "log_chars"), ("ref-length model", "log_ref_chars"))
    lengths = {
        label: {n: column(n, feature) for n in SETTINGS} for label, feature in length_features
    }
    baselines = {
        label: fit(np.vstack([m[n][train] for n in SETTINGS]), y_train, c)
        for label, m in lengths.items()
    }
    print(f"chosen C = {c:g}; coefficients (standardised features):")
    pairs = sorted(zip(SENTENCE_FEATURES, model.coef_[0], strict=True), key=lambda p: -abs(p[1]))
    for name, w in pairs:
        print(f"  {name:<30} {w:+.3f}")

    def training_oof(name: str) -> np.ndarray:
        """Sentence-model probabilities of the training talks' segments under ``name``, each
        from a model fitted without its own talk (both settings' rows, as the shipped one)."""
        out = np.zeros(len(segments))
        for talk in train_docs:
            sc, m = fit(x_train[t_train != talk], y_train[t_train != talk], c)
            rows_of = np.asarray([i for i in train if talks[i] == talk])
            out[rows_of] = m.predict_proba(sc.transform(features[name][rows_of]))[:, 1]
        return out

    chrf, bleu = CHRF(), BLEU(effective_order=True)
    for name, refs in SETTINGS.items():
        x = features[name]
        prob = model.predict_proba(scaler.transform(x))[:, 1]
        oof = training_oof(name)
        texts = [[humans[r][(s.doc, s.seg_id)] for r in refs] for s in segments]
        table = {
            "transdiff sentence model": list(np.where(is_train, oof, prob)),
            **{
                label: list(b[1].predict_proba(b[0].transform(lengths[label][name]))[:, 1])
                for label, b in baselines.items()
            },
            "previous suspicion": rows[name].previous,
            "sentence chrF": [
                -chrf.sentence_score(s.text, t).score for s, t in zip(segments, texts, strict=True)
            ],
            "sentence BLEU": [
                -bleu.sentence_score(s.text, t).score for s, t in zip(segments, texts, strict=True)
            ],
            "length (chars)": [float(len(s.text)) for s in segments],
        }
        print(f"\n== references: {name} ==")
        for label, subset in (("held-out talks", held), ("training talks, out of fold", train)):
            mqm = [segments[i].mqm for i in subset]
            major = [segments[i].major for i in subset]
            k = sum(major)
            print(f"-- {label} ({len(subset)} segments, k = {k} with a Major error) --")
            print(f"{'score':<26} {'pooled tau':>10} {'item tau':>9} {'P@k':>7}")
            for row, scores in table.items():
                sub = [scores[i] for i in subset]
                tau = kendall_tau_b(sub, mqm)
                itau = item_grouped_tau(scores, segments, subset)
                pk = precision_at_k(sub, major, k)
                print(f"{row:<26} {tau:>10.4f} {itau:>9.4f} {pk:>7.4f}")
        print("reliability on the held-out talks (transdiff sentence model):")
        print("\n".join(reliability_table(prob[held], y[held])))

    if args.write:
        data = {
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
            "training": {
                "data": "mqm-ted-zhen (WMT21 TED, Google MQM), 13 MT systems",
                "references": "refB; refB+ref",
                "split": f"train {','.join(train_docs)}; held out {','.join(docs[1::2])}",
                "C": {"sentence": c, "flag": fc},
                "rows": {"sentence": len(y_train), "flag": int(ftrain.sum())},
                "script": "benchmarks/fit_verifier.py",
                "libraries": (
                    f"scikit-learn {sklearn.__version__}, numpy {np.__version__}, "
                    f"sacrebleu {sacrebleu.__version__}, python {platform.python_version()}"
                ),
            },
        }
        MODEL_PATH.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {MODEL_PATH}")
    print(f"\ntotal {time.perf_counter() - t0:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
