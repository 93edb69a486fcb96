"""Named-method registries: normalisers, aggregators, missing-data rules and tie rules.

Each family lives in its own module and fills its registry with a ``@register("name")``
decorator; the name is the slug a methodology file uses. Built-ins register exactly as an
extension would.
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


class Registry(Mapping[str, Any]):
    """A mapping from method name to kernel, filled by :meth:`register`."""

    def __init__(self, family: str):
        self.family = family
        self._entries: dict[str, Any] = {}

    def register(self, name: str) -> Callable[[Any], Any]:
        """Decorator registering a kernel (function or class) under ``name``."""

        def decorate(kernel: Any) -> Any:
            if name in self._entries:
                raise ValueError(f"{self.family} `{name}` is already registered")
            self._entries[name] = kernel
            return kernel

        return decorate

    def __getitem__(self, name: str) -> Any:
        try:
            return self._entries[name]
        except KeyError:
            raise UnknownMethod(self.unknown_message(name)) from None

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def suggest(self, name: str) -> list[str]:
        """Registered names close to ``name`` (for "did you mean …")."""
        return difflib.get_close_matches(name, list(self._entries), n=3, cutoff=0.5)

    def unknown_message(self, name: str) -> str:
        """One line naming the unknown method, suggestions and the valid names."""
        hint = self.suggest(name)
        did = f"; did you mean {', '.join(f'`{h}`' for h in hint)}?" if hint else ""
        valid = ", ".join(sorted(self._entries))
        return f"unknown {self.family} `{name}`{did} (valid: {valid})"

    def options(self, name: str) -> dict[str, Any]:
        """Keyword-only options of a kernel function: name -> default (``inspect._empty`` if required)."""
        kernel = self[name]
        if not callable(kernel) or inspect.isclass(kernel):
            return {}
        sig = inspect.signature(kernel)
        return {
            p.name: p.default
            for p in sig.parameters.values()
            if p.kind is inspect.Parameter.KEYWORD_ONLY and p.name not in _ENGINE_ARGS
        }

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


# Keyword arguments the engine passes itself; not user options.
_ENGINE_ARGS = frozenset({"higher_better"})
