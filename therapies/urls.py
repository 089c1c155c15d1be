from django.urls import path

from . import views

urlpatterns = [
    path("", views.TherapyListView.as_view(), name="site-therapy-list"),
    path("<slug:slug>/", views.TherapyDetailView.as_view(), name="site-therapy-detail"),
]
