"""SIGINT, SIGTERM and SIGHUP end a run the same way: cleanly, with one line on stderr.

The handler raises :class:`Interrupted` (a KeyboardInterrupt) in the main thread, so the
``finally`` and ``except BaseException`` blocks on the way out run: an atomic write removes its
temporary file.  Installed by ``main`` only; importing the library changes no signal handling.
"""

from __future__ import annotations

import os
import signal
from types import FrameType

__all__ = ["HANDLED", "Interrupted", "Interrupts"]

# SIGHUP does not exist on Windows.
HANDLED: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


class Interrupted(KeyboardInterrupt):
    """A signal asked the run to stop (typer treats it as Ctrl-C)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class Interrupts:
    """Turns the signals of :data:`HANDLED` into :class:`Interrupted` and remembers the first."""

    def __init__(self) -> None:
        self.signum: int | None = None

    def install(self) -> Interrupts:
        """Handle the signals of :data:`HANDLED`, except those the parent made us ignore
        (``nohup`` ignores SIGHUP; a shell's background job ignores SIGINT)."""
        for sig in HANDLED:
            if signal.getsignal(sig) is not signal.SIG_IGN:
                signal.signal(sig, self._handle)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            # Asked again while stopping (a clean-up that hangs): stop now, as without us.
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        self.signum = signum
        raise Interrupted(signum)

    @property
    def name(self) -> str:
        """The signal's name (SIGINT when a KeyboardInterrupt came without a signal)."""
        return signal.Signals(self.signum or signal.SIGINT).name

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as a shell reports a process a signal ended."""
        return 128 + (self.signum or signal.SIGINT)
