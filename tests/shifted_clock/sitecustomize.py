"""Move every Python clock of this process forward: the in-process stand-in for faketime.

Python imports ``sitecustomize`` at start-up when its folder is on ``PYTHONPATH``, before any
of the program's own imports, so the program and every worker process it starts (forked or
spawned) see the moved clock. ``MONOGRAPH_CLOCK_SHIFT`` gives the seconds to add; unset, this
module does nothing. Moved: ``time.time``/``time_ns``, the no-argument forms of
``localtime``/``gmtime``/``ctime``/``asctime``/``strftime``, and ``datetime.now``/``utcnow``/
``today`` and ``date.today``. Monotonic clocks stay as they are, so timeouts still work.
"""

from __future__ import annotations

import datetime as _dt
import os
import time as _time

_SHIFT = float(os.environ.get("MONOGRAPH_CLOCK_SHIFT", "0") or 0)


def _install(shift: float) -> None:
    real_time, real_time_ns = _time.time, _time.time_ns
    _time.time = lambda: real_time() + shift
    _time.time_ns = lambda: real_time_ns() + int(shift * 1e9)
    for name in ("localtime", "gmtime", "ctime"):
        real = getattr(_time, name)
        setattr(
            _time, name, lambda secs=None, _real=real: _real(_time.time() if secs is None else secs)
        )
    real_asctime, real_strftime = _time.asctime, _time.strftime
    _time.asctime = lambda t=None: real_asctime(_time.localtime() if t is None else t)
    _time.strftime = lambda f, t=None: real_strftime(f, _time.localtime() if t is None else t)

    class _Date(_dt.date):
        @classmethod
        def today(cls) -> _dt.date:
            return cls.fromtimestamp(_time.time())

    class _DateTime(_dt.datetime):
        @classmethod
        def now(cls, tz: _dt.tzinfo | None = None) -> _dt.datetime:
            return cls.fromtimestamp(_time.time(), tz)

        @classmethod
        def utcnow(cls) -> _dt.datetime:
            return cls.fromtimestamp(_time.time(), _dt.UTC).replace(tzinfo=None)

        @classmethod
        def today(cls) -> _dt.datetime:
            return cls.fromtimestamp(_time.time())

    _dt.date, _dt.datetime = _Date, _DateTime  # type: ignore[misc]


if _SHIFT:
    _install(_SHIFT)
