from django.utils.html import escape
from django.utils.safestring import mark_safe

from oncoregistry.dashboard.views_base import FilteredListView, SlugDetailView

from . import selectors
from .filters import SourceFilterSet


def highlighted_text(text, quotes):
    """The article, escaped, with each quoted passage wrapped in <mark id="quote-N">."""
    spans = []
    for number, quote in quotes:
        start = text.find(quote)
        if start >= 0:
            spans.append((start, start + len(quote), number))
    spans.sort()
    out, position = [], 0
    for start, end, number in spans:
        if start < position:  # overlapping quotes: the first one marks the passage
            continue
        out.append(escape(text[position:start]))
        out.append(f'<mark id="quote-{number}">{escape(text[start:end])}</mark>')
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


class SourceListView(FilteredListView):
    filterset_class = SourceFilterSet
    selector = staticmethod(selectors.source_list)
    template_name = "sources/source_list.html"


class SourceDetailView(SlugDetailView):
    selector = staticmethod(selectors.source_page)
    template_name = "sources/source_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        citations = list(self.object.citations.all())
        context["citations"] = citations
        context["highlighted"] = highlighted_text(
            self.object.text, [(c.pk, c.quote) for c in citations]
        )
        return context
