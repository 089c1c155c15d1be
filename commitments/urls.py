from django.urls import path

from . import views

urlpatterns = [
    path("", views.CommitmentListView.as_view(), name="site-commitment-list"),
]
