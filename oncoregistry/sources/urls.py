from django.urls import path

from . import views

urlpatterns = [
    path("", views.SourceListView.as_view(), name="site-source-list"),
    path("<slug:slug>/", views.SourceDetailView.as_view(), name="site-source-detail"),
]
