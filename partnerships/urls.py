from django.urls import path

from . import views

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="agreement-list"),
    path("funding/", views.FundingListView.as_view(), name="funding-list"),
    path("<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement-detail"),
]
