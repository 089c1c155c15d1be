"""``/api/v1/releases/``: the releases kept, each downloadable whole or file by file
(``latest`` names the newest)."""

import mimetypes
import zipfile

from django.http import FileResponse, Http404, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.reverse import reverse

from oncoregistry.api import RegistryPagination, RegistryPermission
from oncoregistry.api.viewsets import KnownParametersMixin

from . import selectors
from .models import Release, release_storage
from .services import CHECKSUMS, DATA, DICTIONARY, JSON_NAME, README

BLOCK = 64 * 1024


def files_of(release):
    return [
        *[f"{DATA}/{name}.csv" for name in release.counts],
        JSON_NAME,
        DICTIONARY,
        README,
        CHECKSUMS,
    ]


class ReleaseSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    download = serializers.SerializerMethodField()
    date = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()

    class Meta:
        model = Release
        fields = [
            "url",
            "version",
            "date",
            "created_at",
            "registry_changed_at",
            "size",
            "sha256",
            "counts",
            "download",
            "files",
        ]

    def link(self, view_name, release, **kwargs):
        return reverse(
            view_name,
            kwargs={"version": release.version, **kwargs},
            request=self.context.get("request"),
        )

    def get_url(self, release) -> str:
        return self.link("release-detail", release)

    def get_download(self, release) -> str:
        return self.link("release-download", release)

    def get_date(self, release) -> str:
        return release.created_at.date().isoformat()

    def get_files(self, release) -> dict[str, str]:
        return {name: self.link("release-file", release, name=name) for name in files_of(release)}


#: ``releases/<version>/files/<name>``: routed in ``api_urls`` without the router's trailing
#: slash, so the address ends in the file's name (``.../data/organizations.csv``).
FILE_ROUTE = r"^releases/(?P<version>\d+|latest)/files/(?P<name>[\w./-]+)$"


VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^(\d+|latest)$",
    description="A release's version, or latest",
)
NAME = OpenApiParameter(
    "name",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    pattern=r"^[\w./-]+$",
    description="A file of the release, e.g. data/organizations.csv",
)


@extend_schema_view(retrieve=extend_schema(parameters=[VERSION]))
class ReleaseViewSet(KnownParametersMixin, viewsets.ReadOnlyModelViewSet):
    """Dated, versioned bundles of the whole published registry, newest first: a CSV per
    resource, a JSON file, a data dictionary in three languages, the sources and their
    citations, SHA-256 checksums and a README. Built after the registry changes."""

    serializer_class = ReleaseSerializer
    permission_classes = [RegistryPermission]
    queryset = Release.objects.none()  # the model whose permissions a write would need
    pagination_class = RegistryPagination
    lookup_field = "version"
    lookup_value_regex = r"\d+|latest"

    def get_queryset(self):
        return selectors.release_list()

    def get_object(self):
        version = self.kwargs["version"]
        releases = self.get_queryset()
        release = (
            releases.first() if version == "latest" else releases.filter(version=version).first()
        )
        if release is None:
            raise Http404(f"No release {version}.")
        return release

    @extend_schema(parameters=[VERSION], responses={(200, "application/zip"): OpenApiTypes.BINARY})
    @action(detail=True)
    def download(self, request, version=None):
        """The release as one zip."""
        release = self.get_object()
        response = FileResponse(
            release_storage().open(release.file),
            as_attachment=True,
            filename=f"oncoregistry-release-{release.version}.zip",
            content_type="application/zip",
        )
        response["ETag"] = f'"{release.sha256}"'
        return response

    @extend_schema(parameters=[VERSION, NAME], responses={(200, "text/csv"): OpenApiTypes.BINARY})
    def file(self, request, version=None, name=None):
        """One file of the release (``data/organizations.csv``, ``registry.json``...)."""
        release = self.get_object()
        if name not in files_of(release):
            raise Http404(f"Release {release.version} has no file '{name}'.")
        archive = zipfile.ZipFile(release_storage().open(release.file))

        def blocks():
            with archive, archive.open(name) as member:
                yield from iter(lambda: member.read(BLOCK), b"")

        kind = "text/csv" if name.endswith(".csv") else mimetypes.guess_type(name)[0]
        response = StreamingHttpResponse(blocks(), content_type=kind or "text/plain")
        response["Content-Type"] += "; charset=utf-8"
        response["Content-Disposition"] = f'inline; filename="{name.rsplit("/", 1)[-1]}"'
        return response
