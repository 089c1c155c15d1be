"""JSON written by orjson: the same document DRF's JSONRenderer writes, faster, with decimals
as exact JSON numbers.

Types orjson does not know, and dates and times (DRF writes UTC as ``Z``), go through
DRF's encoder; indented output (the browsable API, ``; indent=4``) and anything orjson
refuses (integers beyond 64 bits) are left to DRF's renderer.

Decimals (amounts, figures, coordinates: ``COERCE_DECIMAL_TO_STRING`` is off) are written as
the decimal's own digits, ``12000.00``, never through a float: JSON numbers have no precision
limit, so a client that reads them as decimals (``json.loads(text, parse_float=Decimal)``) gets
the stored value exactly, and one that reads floats (pandas) rounds only as its floats must.
"""

import re
import secrets
from decimal import Decimal

import orjson
from rest_framework import negotiation, renderers
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_NON_STR_KEYS


def decimal_text(value):
    """A finite decimal's digits as a JSON number (``f``: never an exponent)."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a JSON number")
    return format(value, "f")


def _default(value):
    if isinstance(value, Decimal):
        return orjson.Fragment(decimal_text(value))
    return _ENCODER.default(value)


class ExactDecimalEncoder(JSONEncoder):
    """DRF's encoder, with each decimal written as a marker that ``render`` replaces by its
    digits (Python's json module has no way to write a number's text as it is). The marker
    holds a secret drawn per render, so no text in the data can pass for one."""

    def __init__(self, *args, marker, **kwargs):
        super().__init__(*args, **kwargs)
        self.marker = marker

    def default(self, obj):
        if isinstance(obj, Decimal):
            return f"{self.marker}{decimal_text(obj)}{self.marker}"
        return super().default(obj)


class DRFRenderer(renderers.JSONRenderer):
    """DRF's renderer for what orjson does not write, decimals kept exact."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        marker = "~" + secrets.token_hex(8) + "~"
        self.encoder_class = lambda *args, **kwargs: ExactDecimalEncoder(
            *args, marker=marker, **kwargs
        )
        body = super().render(data, accepted_media_type, renderer_context)
        quoted = re.escape(f'"{marker}'.encode())
        pattern = quoted + rb"(-?[0-9.]+)" + re.escape(f'{marker}"'.encode())
        return re.sub(pattern, rb"\1", body)


class JSONRenderer(renderers.JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        fallback = DRFRenderer()
        if self.get_indent(accepted_media_type, renderer_context or {}) is not None:
            return fallback.render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            return fallback.render(data, accepted_media_type, renderer_context)
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
