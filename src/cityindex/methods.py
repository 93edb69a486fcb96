"""Named-method registries: normalisers, aggregators, missing-data rules and tie rules.

This module sits below both the methodology and the engine: it declares the name and the
options of every built-in method, so a methodology file can be checked without importing the
engine. The engine attaches the kernels: each family lives in its own module
(``engine/normalisers.py`` …) and registers with a ``@register("name")`` decorator, the name
being the slug a methodology file uses. A built-in kernel must take exactly the declared
options; an extension registers the same way and declares its options by its signature.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from cityindex.errors import MethodologyError


class UnknownMethod(MethodologyError, KeyError):
    """No method of that name is registered."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


REQUIRED = inspect.Parameter.empty  # an option without a default


class Registry(Mapping[str, Any]):
    """A mapping from method name to kernel. Names and options are declared here (built-ins)
    or by :meth:`register` (extensions); the kernels are attached by :meth:`register`."""

    def __init__(self, family: str, declared: Mapping[str, Mapping[str, Any]],
                 aliases: Mapping[str, str] | None = None):
        self.family = family
        self._options: dict[str, dict[str, Any]] = {name: dict(opts) for name, opts in declared.items()}
        self._kernels: dict[str, Any] = {}
        #: old names still accepted in methodology files (old name -> current name)
        self.aliases: dict[str, str] = dict(aliases or {})

    def canonical(self, name: str) -> str:
        """The current name of a method (an alias is resolved)."""
        return self.aliases.get(name, name)

    def register(self, name: str) -> Callable[[Any], Any]:
        """Decorator registering a kernel (function or class) under ``name``. A declared name
        must take exactly its declared options."""

        def decorate(kernel: Any) -> Any:
            if name in self._kernels:
                raise ValueError(f"{self.family} `{name}` is already registered")
            found = _kernel_options(kernel)
            declared = self._options.setdefault(name, found)
            if declared != found:
                raise ValueError(f"{self.family} `{name}` takes options {found}, declared {declared}")
            self._kernels[name] = kernel
            return kernel

        return decorate

    def __getitem__(self, name: str) -> Any:
        name = self.canonical(name)
        try:
            return self._kernels[name]
        except KeyError:
            if name in self._options:
                raise LookupError(f"{self.family} `{name}` is declared but its kernel is not loaded; "
                                  "import cityindex.engine first") from None
            raise UnknownMethod(self.unknown_message(name)) from None

    def __contains__(self, name: object) -> bool:
        return name in self._options or name in self.aliases

    def __iter__(self) -> Iterator[str]:
        return iter(self._options)

    def __len__(self) -> int:
        return len(self._options)

    def suggest(self, name: str) -> list[str]:
        """Known names close to ``name`` (for "did you mean …"); a name close to an old name
        (alias) suggests the current one."""
        close = difflib.get_close_matches(name, [*self._options, *self.aliases], n=3, cutoff=0.5)
        return list(dict.fromkeys(self.canonical(c) for c in close))

    def unknown_message(self, name: str) -> str:
        """One line naming the unknown method, suggestions and the valid names."""
        hint = self.suggest(name)
        did = f"; did you mean {', '.join(f'`{h}`' for h in hint)}?" if hint else ""
        valid = ", ".join(sorted(self._options))
        return f"unknown {self.family} `{name}`{did} (valid: {valid})"

    def options(self, name: str) -> dict[str, Any]:
        """The options a method takes: name -> default (``REQUIRED`` when it has none)."""
        name = self.canonical(name)
        if name not in self._options:
            raise UnknownMethod(self.unknown_message(name))
        return dict(self._options[name])

    def check_options(self, name: str, given: Mapping[str, Any]) -> list[str]:
        """Problems with the options given for method ``name`` (unknown or missing ones)."""
        allowed = self.options(name)
        problems = []
        for key in given:
            if key not in allowed:
                hint = difflib.get_close_matches(key, list(allowed), n=1)
                did = f"; did you mean `{hint[0]}`?" if hint else ""
                ok = ", ".join(f"`{a}`" for a in allowed) or "none"
                problems.append(f"{self.family} `{name}` has no option `{key}`{did} (options: {ok})")
        for key, default in allowed.items():
            if default is inspect.Parameter.empty and key not in given:
                problems.append(f"{self.family} `{name}` needs option `{key}`")
        return problems


# Keyword arguments the engine passes itself; not user options. ``maximum``: the points an
# indicator (or parameter) can reach at most, for normalisers that divide by it.
ENGINE_ARGS = frozenset({"higher_better", "maximum"})


def _kernel_options(kernel: Any) -> dict[str, Any]:
    """Keyword-only options of a kernel function (a rule class has none)."""
    if not callable(kernel) or inspect.isclass(kernel):
        return {}
    return {
        p.name: p.default
        for p in inspect.signature(kernel).parameters.values()
        if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in ENGINE_ARGS
    }


# The built-in methods: name -> options (default, or REQUIRED). Kernels: cityindex/engine/.
NORMALISERS = Registry("normaliser", {
    "best_worst": {"tie_score": 100.0},
    "share_of_best": {},
    "share_of_maximum": {},
    "percentile_rank": {},
    "goalposts": {"lower": REQUIRED, "upper": REQUIRED},
    "zscore": {"scale": 10.0},
    "raw": {},
}, aliases={"best": "share_of_best"})
AGGREGATORS = Registry("aggregator", {"arithmetic": {}, "geometric": {"offset": 0.0}, "harmonic": {}})
MISSING_RULES = Registry("missing-data rule", {"zero": {}, "skip_and_reweight": {}, "impute_median": {}})
TIE_RULES = Registry("tie rule", {"competition": {}, "dense": {}})
