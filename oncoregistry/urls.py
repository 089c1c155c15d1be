from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("oncoregistry.api_urls")),
    path("fhir/", include("oncoregistry.fhir.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's initialiser as a script file: no inline script (CSP).
    # (drf-spectacular's Redoc page links Google Fonts, so it is not offered: no CDN.)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("i18n/", include("django.conf.urls.i18n")),
]
# Public pages name their language in the address: /ru/…, /kk/…; English has no prefix, so
# the English addresses of before still work (oncoregistry/core/i18n.py).
urlpatterns += i18n_patterns(
    path("centers/", include("centers.urls")),
    path("therapies/", include("therapies.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("sources/", include("oncoregistry.sources.urls")),
    path("commitments/", include("commitments.urls")),
    path("", include("oncoregistry.dashboard.urls")),
    prefix_default_language=False,
)

# The API answers JSON for addresses it does not have, too.
handler404 = "oncoregistry.errors.not_found"
handler500 = "oncoregistry.errors.server_error"
