"""``/fhir/``: the FHIR R4 read API (IHE mCSD)."""

from django.urls import path

from . import views

app_name = "fhir"

urlpatterns = [
    path("metadata", views.CapabilityView.as_view(), name="metadata"),
    path("_history", views.HistoryView.as_view(), name="history"),
    path("<str:resource>", views.SearchView.as_view(), name="search"),
    path("<str:resource>/_history", views.HistoryView.as_view(), name="type-history"),
    path("<str:resource>/<str:resource_id>", views.ReadView.as_view(), name="read"),
]
