"""The language of a request, and the links to the same page in the other languages.

Public pages name their language in the URL (``/ru/…``, ``/kk/…``; English has no prefix), so
a link always opens in the language it was sent in. A visitor who arrives at an English
address while their language cookie or browser asks for Russian or Kazakh is sent to that
language's address. The API has no prefix: it answers in the language of ``?lang=``, else of
``Accept-Language``, and says which in ``Content-Language``. The admin follows the cookie and
the browser.
"""

from django.conf import settings
from django.http import HttpResponseRedirect, JsonResponse
from django.urls import is_valid_path, translate_url
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext

API_PREFIX = "/api/"
#: The language switcher posts here; the page's own address (``next``) decides the rest.
SWITCHER_PREFIX = "/i18n/"
LANGUAGE_PARAMETER = "lang"
#: Each language's name in itself where Django's differs from how its speakers name it
#: (Django has "Қазақ", the people; the language is "Қазақша").
LOCAL_NAMES = {"kk": "Қазақша"}


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


class LanguageMiddleware:
    """Replaces Django's LocaleMiddleware (which pins every unprefixed address, the admin and
    the API included, to LANGUAGE_CODE once ``i18n_patterns`` is used)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        from_path = translation.get_language_from_path(path)
        redirect = None
        if from_path:
            language = from_path
        elif path.startswith(API_PREFIX):
            asked = request.GET.get(LANGUAGE_PARAMETER)
            if asked is not None:
                if asked not in language_codes():
                    return JsonResponse(
                        {
                            LANGUAGE_PARAMETER: [
                                gettext("Unknown language “%(code)s”: use one of %(codes)s.")
                                % {"code": asked[:20], "codes": ", ".join(language_codes())}
                            ]
                        },
                        status=400,
                    )
                language = asked
            else:
                language = translation.get_language_from_request(request)
        elif path.startswith(SWITCHER_PREFIX):
            # The switcher's ``next`` is the page's English address, resolved in English.
            language = settings.LANGUAGE_CODE
        else:
            language = translation.get_language_from_request(request)
            if language != settings.LANGUAGE_CODE:
                redirect = self.prefixed(request, language)
                if redirect is None and self.is_public_page(request, language):
                    language = settings.LANGUAGE_CODE  # a POST/OPTIONS to an English page
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = redirect or self.get_response(request)
        if not from_path:
            # The same address answers in different languages to different visitors.
            patch_vary_headers(response, ("Accept-Language", "Cookie"))
        response.headers.setdefault("Content-Language", language)
        return response

    @staticmethod
    def is_public_page(request, language):
        with translation.override(language):
            return is_valid_path(f"/{language}{request.path_info}")

    def prefixed(self, request, language):
        """The page's address in ``language`` when this is a public page asked for by GET."""
        if request.method not in ("GET", "HEAD") or not self.is_public_page(request, language):
            return None
        prefix = request.path[: len(request.path) - len(request.path_info)]
        tail = request.get_full_path()[len(prefix) :]
        return HttpResponseRedirect(f"{prefix}/{language}{tail}")


def language_links(request):
    """Context: the current page in every language (hreflang alternates, the switcher)."""
    here = request.get_full_path()
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        info = translation.get_language_info(code)
        url = translate_url(here, code)
        links.append(
            {
                "code": code,
                "name_local": LOCAL_NAMES.get(code, info["name_local"]),
                "url": url,
                "absolute_url": request.build_absolute_uri(url),
                "current": code == current,
            }
        )
    english = next((link for link in links if link["code"] == settings.LANGUAGE_CODE), None)
    return {
        "language_links": links,
        "page_in_default_language": english["url"] if english else here,
        "page_in_default_language_absolute": english["absolute_url"] if english else here,
    }
