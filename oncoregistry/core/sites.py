"""The admin as editors think of the registry: records grouped by subject (centers,
capacity, therapies, partnerships, sources) with their counts, and the accounts, tokens
and lockouts under a separate heading that only administrators see.

Only public AdminSite APIs: ``get_app_list`` regroups, ``index`` adds the counts; the review
floor's site (``oncoregistry.review.sites``) adds each role's queues by ``home_context``."""

from django.contrib import admin
from django.db.models import Count, IntegerField, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .meta import default_manager, options

#: Subjects in the order editors look for them; each lists models by ``app_label.model_name``.
REGISTRY_GROUPS = (
    (
        "centers",
        _("Centers and equipment"),
        (
            "centers.organization",
            "centers.equipment",
            "centers.designation",
            "centers.organizationidentifier",
            "centers.region",
        ),
    ),
    (
        "capacity",
        _("Capacity"),
        (
            "centers.capacityfigure",
            "centers.metric",
            "reference.regionpopulation",
            "reference.benchmark",
        ),
    ),
    (
        "therapies",
        _("Therapies"),
        ("therapies.therapy", "therapies.therapyoffering", "therapies.cancertype"),
    ),
    (
        "partnerships",
        _("Partnerships and funding"),
        (
            "partnerships.agreement",
            "partnerships.agreementparty",
            "partnerships.focusarea",
            "partnerships.funding",
        ),
    ),
    ("sources", _("Sources"), ("sources.source", "sources.citation")),
    ("review", _("Review"), ("review.changerequest",)),
)
#: Apps that hold the machinery rather than the registry: shown to administrators only.
TECHNICAL_APPS = frozenset({"auth", "authtoken", "axes", "stats", "releases", "sessions"})
TECHNICAL = "technical"


def is_administrator(user):
    return user.is_active and user.is_superuser


def record_counts(models):
    """``{model: number of records}`` for ``models`` in one query (a UNION of counts)."""
    counts = [
        default_manager(model)
        .order_by()
        .annotate(position=Value(position, output_field=IntegerField()))
        .values("position")
        .annotate(total=Count("pk"))
        .values_list("position", "total")
        for position, model in enumerate(models)
    ]
    if not counts:
        return {}
    rows = counts[0].union(*counts[1:], all=True) if len(counts) > 1 else counts[0]
    return {models[position]: total for position, total in rows}


class RegistryAdminSite(admin.AdminSite):
    site_header = _("Oncoregistry administration")
    site_title = _("Oncoregistry")
    index_title = _("Registry records")
    index_template = "admin/registry_index.html"

    def get_app_list(self, request, app_label=None):
        if app_label is not None:  # an app's own page lists that app, as Django does
            return super().get_app_list(request, app_label)
        models = {
            options(model["model"]).label_lower: model
            for app in super().get_app_list(request)
            for model in app["models"]
        }
        index = reverse("admin:index", current_app=self.name)
        groups = []
        for key, name, labels in REGISTRY_GROUPS:
            entries = [models.pop(label) for label in labels if label in models]
            if entries:
                groups.append(self.group(key, name, entries, index))
        # A record model no subject names yet still shows, after the subjects.
        others = [m for m in models.values() if options(m["model"]).app_label not in TECHNICAL_APPS]
        if others:
            groups.append(self.group("other", _("Other records"), others, index))
        technical = [m for m in models.values() if m not in others]
        if technical and is_administrator(request.user):
            technical.sort(key=lambda m: str(m["name"]))
            groups.append(self.group(TECHNICAL, _("Accounts and security"), technical, index))
        return groups

    @staticmethod
    def group(key, name, models, index):
        # app_label names the CSS class and caption of Django's app list templates.
        return {
            "name": name,
            "app_label": key,
            "app_url": f"{index}#group-{key}",
            "has_module_perms": True,
            "models": models,
        }

    def home_context(self, request, app_list):
        """More of the home page's context, from the floors above (each role's queues)."""
        return {}

    def index(self, request, extra_context=None):
        app_list = self.get_app_list(request)
        counts = record_counts(
            [m["model"] for g in app_list if g["app_label"] != TECHNICAL for m in g["models"]]
        )
        for group in app_list:
            for model in group["models"]:
                model["count"] = counts.get(model["model"])
        context = {"app_list": app_list, **self.home_context(request, app_list)}
        return super().index(request, {**context, **(extra_context or {})})
