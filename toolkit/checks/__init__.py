"""Divergence checks, one module per family, behind one small protocol.

A check (:class:`Check`) declares its name, the kinds of evidence it reads (:class:`Kind`),
the categories of its findings and the languages it supports, and ``prepare(context)``
returns a :class:`Checker` for one document: document-level state (the words a document
uses, its main script) lives in that checker, not in module globals.  The checker answers
per bead (``pair``: seed text against the aligned reference text) or per sentence
(``sentence``: one seed sentence in its document).

Checks register themselves (:func:`register`); :func:`registered` lists the built-in ones in
their fixed order, and a run may add its own (``RunSettings.extra_checks``).  Categories are
MQM-style names registered as data (:meth:`Category.register`), so a plug-in can add one.
``detect.py`` runs the checks and turns findings into flags.
"""

from __future__ import annotations

from toolkit.checks.protocol import (
    BUILTIN_CATEGORIES,
    Category,
    Check,
    Checker,
    Context,
    DocumentFunction,
    Finding,
    Kind,
    PairFunction,
    SentenceFunction,
    Severity,
    SourceText,
    check_names,
    register,
    registered,
)

__all__ = [
    "BUILTIN_CATEGORIES",
    "Category",
    "Check",
    "Checker",
    "Context",
    "DocumentFunction",
    "Finding",
    "Kind",
    "PairFunction",
    "SentenceFunction",
    "Severity",
    "SourceText",
    "check_names",
    "register",
    "registered",
]
