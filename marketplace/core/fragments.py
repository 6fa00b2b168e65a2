"""Parts of pages written once per state and kept by each process.

The storefront's filter form, pagination bar and site header cost more to write than the
twenty product cards of a listing, yet follow from a handful of values (language, address,
page number, the visitor's kind of account…). Each is rendered from its own template with
only those values, and kept under them: a template given nothing else cannot show anything
its key does not hold. Nothing kept depends on stock or prices, which are read for every page.
"""
from collections.abc import Callable, Hashable
from threading import Lock

from flask import has_request_context, request
from jinja2.runtime import Context
from markupsafe import Markup


class KeptFragments:
    """Written fragments by key, at most `size` of them (the oldest are dropped first).

    `anchors` are objects the fragment was written from and that the process replaces from
    time to time (the kept Categories, a Vendor list): a fragment is reused only while they
    are the very same objects, so a refreshed list writes it anew.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._written: dict[Hashable, tuple[tuple, Markup]] = {}
        self._lock = Lock()

    def get(self, key: Hashable, write: Callable[[], str], anchors: tuple = ()) -> Markup:
        # Links in a fragment start with the application's root (SCRIPT_NAME).
        root = request.script_root if has_request_context() else None
        full_key = (key, root, tuple(id(anchor) for anchor in anchors))
        found = self._written.get(full_key)
        if found is not None and all(a is b for a, b in zip(found[0], anchors, strict=True)):
            return found[1]
        html = Markup(write())
        with self._lock:  # threads of one process may write at once
            if len(self._written) >= self.size:
                self._written.pop(next(iter(self._written)), None)
            self._written[full_key] = (anchors, html)
        return html

    def render(
        self,
        context: Context,
        template: str,
        key: Hashable,
        *,
        anchors: tuple = (),
        **values: object,
    ) -> Markup:
        """`template` rendered with `values` and the page's language only, kept under `key`
        and that language: what `key` and `anchors` do not decide must not be in `values`."""
        locale = context.get("current_locale")

        def write() -> str:
            found = context.environment.get_template(template)
            return found.render(values, current_locale=locale)

        return self.get((locale, key), write, anchors)
