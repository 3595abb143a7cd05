"""transdiff: compare translations sentence by sentence and check their quality."""

from __future__ import annotations

__version__ = "0.1.0"
