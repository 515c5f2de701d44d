"""genanki, imported without the start-up cost of its `cached_property` dependency.

genanki uses the `cached_property` package as a plain caching decorator (Model._req, Note.cards).
That package imports asyncio, about 20 ms of every build, for a feature genanki does not use
(coroutine properties). The standard library's functools.cached_property does the same for plain
methods, so genanki is imported with it in that package's place; the stand-in is removed again at
once, so anything imported later gets the real package. tests/test_fastpath.py checks that both
write the same bytes.
"""

from __future__ import annotations

import functools
import sys
import types

if "genanki" not in sys.modules and "cached_property" not in sys.modules:
    _stand_in = types.ModuleType("cached_property", "functools.cached_property, standing in while genanki loads")
    _stand_in.cached_property = functools.cached_property  # type: ignore[attr-defined]
    sys.modules["cached_property"] = _stand_in
    try:
        import genanki
    finally:
        del sys.modules["cached_property"]
else:
    import genanki

__all__ = ["genanki"]
