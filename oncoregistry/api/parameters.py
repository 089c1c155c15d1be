"""Strict queries for views outside the registry viewsets (``KnownParametersMixin`` in
``viewsets.py`` does it for those): an unknown parameter is a 400 naming it."""

import difflib

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError

from oncoregistry.core.i18n import LANGUAGE_PARAMETER

#: Taken by every endpoint besides its own: format and language.
FORMAT_AND_LANGUAGE = ("format", LANGUAGE_PARAMETER)


def check_parameters(request, accepted):
    """Raise a 400 for the first query parameter not in ``accepted``."""
    for name in request.query_params:
        if name in accepted:
            continue
        message = _("Unknown parameter '%(name)s'.") % {"name": name}
        close = difflib.get_close_matches(name, accepted, n=1)
        if close:
            message += " " + _("Did you mean '%(close)s'?") % {"close": close[0]}
        message += " " + _("This endpoint accepts: %(accepted)s.") % {
            "accepted": ", ".join(accepted)
        }
        raise ValidationError({name: [message]})
