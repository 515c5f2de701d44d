"""Templates run in Jinja's sandbox (and no template call runs for long, see timelimit.py, nor makes the
process's memory grow by much, see memorylimit.py).

templates/ is part of the project (and of pull requests), so its code is checked like other input:

* Every template is compiled in Jinja's ImmutableSandboxedEnvironment: no attribute that starts
  with an underscore (`cycler.__init__.__globals__` and the like), no unsafe methods, nothing that
  changes a list or dict; `range` is limited to 100,000 items (Jinja's own bound); `*` and `**`
  may not make a string, list or number bigger than MAX_VALUE characters or digits.
* Every template is compiled, rendered, generated and made a module (Template.render, generate, make_module)
  within the memory bound (memorylimit.template_memory), what it renders counted as kept (what it generates, the
  caller keeps or not: its memory is the call's, as it grows); a macro called from Python is called within it by its
  caller, likewise. A generator is bound from its first piece to its end or its closing: its caller closes it.
* The records deckgen hands its field templates (render.Citation, QuotePart: NamedTuples of strings,
  booleans and lists of records) are named when the sandbox is made: reading one of their fields is
  reading data, never a method, so it skips Jinja's general per-attribute checks (each a dozen
  isinstance tests), which were a third of the cost of rendering a note's Sources field. Any other
  attribute of them, and every attribute of anything else, takes the general checks.
"""

from __future__ import annotations

from typing import Any, Iterator

from jinja2 import Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .memorylimit import template_memory

MAX_VALUE = 1_000_000


class BoundedTemplate(Template):
    """A template whose every run is within the memory bound."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with template_memory:
            return template_memory.kept(super().render(*args, **kwargs))

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        with template_memory:
            yield from super().generate(*args, **kwargs)

    def make_module(self, *args: Any, **kwargs: Any) -> Any:
        with template_memory:
            return super().make_module(*args, **kwargs)


class TemplateSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])
    template_class = BoundedTemplate

    def compile(self, *args: Any, **kwargs: Any) -> Any:  # Jinja folds filters on constants as it compiles
        with template_memory:
            return super().compile(*args, **kwargs)

    def __init__(self, *, records: tuple[type[tuple], ...] = (), **options: Any):
        super().__init__(**options)
        self.record_fields: dict[type, frozenset[str]] = {
            record: frozenset(record._fields) for record in records}  # type: ignore[attr-defined]

    def getattr(self, obj: Any, attribute: str) -> Any:
        fields = self.record_fields.get(type(obj))
        if fields is not None and attribute in fields:
            return getattr(obj, attribute)
        return super().getattr(obj, attribute)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and type(left) is int and type(right) is int and abs(left) > 1 and right > 10_000:
            raise SecurityError(f"{left!r} ** {right!r} is too large for a template")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) and count * len(sized) > MAX_VALUE:
                    raise SecurityError(f"a value of {count * len(sized):,} items is too large for a template "
                                        f"(at most {MAX_VALUE:,})")
        return super().call_binop(context, operator, left, right)
