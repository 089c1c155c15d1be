from django.utils.html import escape
from django.utils.safestring import mark_safe

from oncoregistry.core.views import FilteredListView, SlugDetailView

from . import selectors
from .filters import SourceFilterSet


def highlighted_text(text, quotes):
    """The article, escaped, with each quoted passage marked and anchored as ``quote-N``.

    Overlapping quotes share one <mark> (the first quote's id); the others get an
    empty anchor just before it, so every citation link lands on its passage.
    """
    spans = sorted(
        (text.find(quote), text.find(quote) + len(quote), number)
        for number, quote in quotes
        if quote and text.find(quote) >= 0
    )
    groups = []
    for start, end, number in spans:
        if groups and start < groups[-1]["end"]:
            groups[-1]["end"] = max(groups[-1]["end"], end)
            groups[-1]["numbers"].append(number)
        else:
            groups.append({"start": start, "end": end, "numbers": [number]})
    out, position = [], 0
    for group in groups:
        first, *others = group["numbers"]
        out.append(escape(text[position : group["start"]]))
        out.extend(f'<span id="quote-{n}" class="anchor"></span>' for n in others)
        out.append(f'<mark id="quote-{first}">{escape(text[group["start"] : group["end"]])}</mark>')
        position = group["end"]
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
