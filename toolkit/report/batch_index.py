"""The index of a batch run: ``index.json`` (schema ``transdiff/batch-v1``) and ``index.html``.

Both are rendered from the same plain data (:func:`batch_to_dict`).  The page is written by the
autoescaping jinja2 template ``templates/batch_index.html``; its style sheet and sorting script
are static files inlined into the page and allowed by hash in its Content-Security-Policy.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from toolkit import __version__
from toolkit.report.page import environment, inline_asset

if TYPE_CHECKING:  # toolkit.batch imports this module when it writes the index
    from toolkit.batch import BatchDocument, BatchResult

__all__ = ["batch_to_dict", "render_batch_html", "render_batch_json"]

BATCH_SCHEMA = "transdiff/batch-v1"
_SEVERITIES = ("critical", "major", "minor")
_TIMINGS = ("seconds",)


def _document(doc: BatchDocument) -> dict[str, Any]:
    return {
        "name": doc.name,
        "path": doc.path,
        "references": list(doc.references),
        "reference_free": not doc.references,
        "source": doc.source,
        "status": doc.status,
        "error": doc.error,
        "report": doc.report,
        "sentences": doc.sentences,
        "scores": dict(doc.scores),
        "signatures": dict(doc.signatures),
        "flags": dict(doc.flags),
        "flagged_sentences": doc.flagged,
        "waived": doc.waived,
        "top_suspicion": dict(doc.top) if doc.top else None,
        "warnings": list(doc.warnings),
        "seconds": round(doc.seconds, 3),
    }


def batch_to_dict(result: BatchResult) -> dict[str, Any]:
    """The batch run as plain JSON-ready data (schema ``transdiff/batch-v1``).

    Only the ``seconds`` fields differ between two runs of the same inputs and settings.
    """
    docs = result.documents
    ok = [d for d in docs if d.ok]
    settings = result.settings
    return {
        "schema": BATCH_SCHEMA,
        "transdiff": __version__,
        "signature": ok[0].signature if ok else None,
        "seed_dir": str(result.seed_dir),
        "refs_dir": None if result.refs_dir is None else str(result.refs_dir),
        "format": result.fmt.value,
        "settings": {
            "segmented": settings.segmented,
            "encoding": settings.encoding,
            "scores": settings.score is not None,
            "flags": settings.detect,
            "disabled_checks": list(settings.disabled_checks),
            "extra_checks": [c.name for c in settings.extra_checks],
            "severity": {c.value: s.value for c, s in settings.severity_overrides.items()},
            "glossary": None if settings.glossary is None else settings.glossary.source,
            "waivers": len(result.waivers),
        },
        "summary": {
            "documents": len(docs),
            "ok": len(ok),
            "failed": len(docs) - len(ok),
            "reference_free": sum(1 for d in ok if not d.references),
            "sentences": sum(d.sentences for d in ok),
            "flags": {sev: sum(d.flags.get(sev, 0) for d in ok) for sev in _SEVERITIES},
            "waived": sum(d.waived for d in ok),
        },
        "documents": [_document(d) for d in docs],
        "unpaired_references": list(result.unpaired_references),
        "seconds": round(result.seconds, 3),
    }


def render_batch_json(result: BatchResult) -> str:
    """The index as indented JSON ending with a newline (small: one entry per document)."""
    return json.dumps(batch_to_dict(result), ensure_ascii=False, allow_nan=False, indent=1) + "\n"


def render_batch_html(result: BatchResult) -> str:
    """The index as one self-contained page: a sortable table of documents linking to reports."""
    data = batch_to_dict(result)
    css, css_hash = inline_asset("batch_index.css")
    script, script_hash = inline_asset("batch_index.js")
    metrics: list[str] = []
    for doc in data["documents"]:
        metrics += [m for m in doc["scores"] if m not in metrics]
    rows = [
        {
            **doc,
            # A file name is a path segment: quote it so "#", "?" or ":" cannot change the link.
            "href": quote(doc["report"]) if doc["report"] else None,
            "flag_total": sum(doc["flags"].values()),
        }
        for doc in data["documents"]
    ]
    context = {
        "index": data,
        "rows": rows,
        "metrics": metrics,
        "severities": _SEVERITIES,
        "css": css,
        "script": script,
        "csp": (
            f"default-src 'none'; style-src {css_hash}; script-src {script_hash}; "
            "base-uri 'none'; form-action 'none'"
        ),
    }
    return environment().get_template("batch_index.html").render(context)
