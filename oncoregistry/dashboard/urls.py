from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("search/", views.search, name="search"),
    path("regions/<slug:slug>/", views.region_detail, name="site-region-detail"),
]
