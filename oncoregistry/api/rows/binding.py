"""What compiled rows need from one request, resolved once rather than per row."""

from django.utils import translation

from ..fields import PLAIN_SLUG, absolute_base, absolute_reverse, slug_url

#: Derived values remembered per binding (dates, names and labels repeat down a list).
MEMO_SIZE = 4096
#: A memo watches this many misses; if most calls missed (values that rarely repeat, such
#: as figures), it calls the function directly from then on.
MEMO_PROBE = 256


class Binding:
    """What rows need from one request, resolved once rather than per row: absolute links
    (the host validated once, each view reversed once as a URL template, as
    ``absolute_reverse`` does per call), the request's language, and memos for derived
    values (a binding lives in one language, so a memo never mixes two). Converters look up
    the time zone when they are bound to it. ``published_only``: the reader is not an
    editor, so the rows' sources and quotes are the published ones."""

    def __init__(self, request, published_only=True):
        self.request = request
        self.published_only = published_only
        self.base = absolute_base(request)
        self.language = translation.get_language()
        self.makers = {}

    def link(self, view_name, kwarg):
        key = (view_name, kwarg)
        if key not in self.makers:
            self.makers[key] = self.link_maker(view_name, kwarg)
        return self.makers[key]

    def link_maker(self, view_name, kwarg):
        request = self.request
        prefix = suffix = None
        if kwarg == "slug":
            placeholder = "placeholder-0"
            prefix, suffix = slug_url(view_name, placeholder).split(placeholder)
            prefix = self.base + prefix

        def link(value):
            if prefix is not None and isinstance(value, str) and PLAIN_SLUG.match(value):
                return prefix + value + suffix
            return absolute_reverse(view_name, kwargs={kwarg: value}, request=request)

        return link

    @staticmethod
    def memoized(function):
        """``function`` remembering its results while they repeat (make bench: halves the
        cost of a CSV row); where they do not, remembering costs more than it saves."""
        memo = {}
        calls = misses = 0
        remembering = True

        def call(*args):
            nonlocal calls, misses, remembering
            if not remembering:
                return function(*args)
            calls += 1
            try:
                return memo[args]
            except KeyError:
                pass
            misses += 1
            if misses == MEMO_PROBE and misses * 2 > calls:
                remembering = False
                memo.clear()
                return function(*args)
            if len(memo) >= MEMO_SIZE:
                memo.clear()
            value = memo[args] = function(*args)
            return value

        return call
