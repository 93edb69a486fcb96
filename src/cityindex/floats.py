"""Numbers as text without loss: the shortest text that reads back to the same float.

Every place that writes a value as text (exports, the history, workbook and frame imports)
uses ``number_text``, so ``float(number_text(x)) == x`` for every finite float and an edition's
own export imports without a single change. A leaf module: imports nothing from cityindex.
"""

from __future__ import annotations


def number_text(value) -> str:
    """``33.333333333333336`` for 100/3, ``12`` for 12.0, ``1e+16``, ``-0.1``; ints as they are.

    Python's ``repr(float)`` is the shortest text that round-trips; a trailing ``.0`` is dropped
    so whole numbers read as people write them (``12``, not ``12.0``).
    """
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int) or (hasattr(value, "dtype") and getattr(value.dtype, "kind", "") in "iu"):
        return str(int(value))
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text
