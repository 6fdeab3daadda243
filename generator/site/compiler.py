"""How a theme's templates are compiled: Jinja's code generator with three changes.

- Every `{% for x in items %}` is compiled as `{% for x in paced(items) %}` (deadline.py): nested loops
  start their inner loop once per outer item, so a runaway nest looks at the clock often even where no
  call or filter does; unlike the interval timer this works outside the main thread.
- What `{{ value }}` writes into an autoescaped page is escaped by `escape_output`, to plain text.
- A string constant holding half of a surrogate pair ('\\ud83d', an escape copied from JavaScript) is an
  error at its line: UTF-8 cannot write it, so no page showing it could be written.
"""

from __future__ import annotations

import re
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from markupsafe import Markup, escape

from generator.site.deadline import paced


def escape_output(value: object) -> str:
    """What `{{ value }}` writes into an autoescaped page: exactly markupsafe.escape's text, as a plain string.

    Jinja would make every value a Markup first: a Python-level constructor, and a copy of a value that
    is Markup already, about a hundred times a page. A page's pieces are only ever joined (and a macro's or a block's
    joined text made Markup by Jinja), so the text is all they need.
    """
    if type(value) is str:
        # markupsafe's five replacements, '&' first; a replace that finds nothing returns the string itself.
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;").replace('"', "&#34;")
    if type(value) is Markup:
        return value
    if type(value) is int:
        return str(value)  # digits and a minus sign: nothing to escape
    return escape(value)  # anything else (an object with __html__, an Undefined that raises) as Jinja would


SURROGATE = re.compile("[\ud800-\udfff]")
SURROGATE_HINT = "write the character itself (the template is UTF-8), not a '\\ud83d'-style escape of half of it"


class UnwritableText(jinja2.TemplateError):
    """A page's text holds a lone surrogate a template made at render time ('%c' % 55296): UTF-8 cannot write it."""

    def __init__(self, message: str, filename: str | None) -> None:
        super().__init__(message)
        self.filename = filename  # the page's template: no line of it is on the stack once the page is made


_ESCAPE = escape_output.__name__  # as compiled templates call it (Jinja's own names are escape, t_1, l_0_x...)


class ThemeCodeGenerator(CodeGenerator):
    """Jinja's code generator, with loops paced and autoescaped output written through `escape_output`."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        """Refuse half surrogates; wrap each loop's iterable before Jinja collects the names the module must import; import escape_output."""
        for const in node.find_all(nodes.Const):
            half = SURROGATE.search(const.value) if isinstance(const.value, str) else None
            if half:
                self.fail(f"the string holds {half.group()!a}, half of a surrogate pair, which UTF-8 cannot write: {SURROGATE_HINT}", const.lineno)
        for loop in node.find_all(nodes.For):
            pacer = nodes.ImportedName(f"{paced.__module__}.{paced.__name__}", lineno=loop.iter.lineno)
            loop.iter = nodes.Call(pacer, [loop.iter], [], None, None, lineno=loop.iter.lineno)
        self.writeline(f"from {__name__} import {_ESCAPE}")
        super().visit_Template(node, frame)

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        # Where autoescape is known when compiling (the theme's case), `escape_output(`; Jinja's own code otherwise.
        if frame.eval_ctx.volatile or not frame.eval_ctx.autoescape:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write(f"{_ESCAPE}(")
        if finalize.src is not None:
            self.write(finalize.src)
