from django.urls import path

from . import views

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="site-agreement-list"),
    path("funding/", views.FundingListView.as_view(), name="site-funding-list"),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="site-agreement-detail"),
]
