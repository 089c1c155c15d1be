from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """django.contrib.admin with the registry's own site: records grouped by subject
    (``oncoregistry.core.sites``) and each role's queues (``oncoregistry.review.sites``)."""

    default_site = "oncoregistry.review.sites.ReviewAdminSite"
