from django.contrib.admin.apps import AdminConfig


class RegistryAdminConfig(AdminConfig):
    """django.contrib.admin with the registry's own site (records grouped, role queues)."""

    default_site = "oncoregistry.core.sites.RegistryAdminSite"
