"""A lower app's call that an upper app answers.

Apps are layered: core, then districts and accounts, then audit, then the domain apps; an app
imports only apps below it (cadre/tests/test_layers.py checks). Where a lower app needs
something an upper one owns ("record an audit event", "who is the actor"), it calls a `Slot`
and the upper app plugs its function in at its AppConfig.ready().
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Slot:
    def __init__(self, name: str) -> None:
        self.name = name
        self._answer: Callable[..., Any] | None = None

    def plug(self, answer: Callable[..., Any]) -> None:
        self._answer = answer

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._answer is None:
            raise ImproperlyConfigured(f"No app has plugged in {self.name}.")
        return self._answer(*args, **kwargs)
