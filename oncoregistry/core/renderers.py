"""JSON written by orjson: the same document DRF's JSONRenderer writes, faster.

Types orjson does not know, and dates and times (DRF writes UTC as ``Z``), go through
DRF's encoder; indented output (the browsable API, ``; indent=4``) and anything orjson
refuses (integers beyond 64 bits) are left to DRF's renderer.
"""

import orjson
from rest_framework import negotiation, renderers
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_ENCODER.default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return super().render(data, accepted_media_type, renderer_context)
        # As DRF does: U+2028/2029 escaped, so the JSON is also a strict JavaScript subset.
        return body.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


class ContentNegotiation(negotiation.DefaultContentNegotiation):
    """DRF's negotiation, with its commonest case answered directly: no ``format`` and an
    ``Accept`` that takes anything (``*/*``, or no header) get the first renderer and its
    media type, which is where DRF's walk through every renderer's media types ends too
    (the walk parses the header and each media type per request)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        accept = request.META.get("HTTP_ACCEPT", "*/*")
        if (
            format_suffix is None
            and accept == "*/*"
            and self.settings.URL_FORMAT_OVERRIDE not in request.query_params
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)
