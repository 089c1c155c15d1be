"""Security pieces the settings refer to: the Content-Security-Policy and the login backend.

The policy lets pages load scripts only from this site's own files (no inline
scripts, no ``eval``, no CDN). Styles may be inline because Django admin and
Swagger UI write ``style`` attributes and small ``<style>`` blocks; an inline
style cannot run code, so this is the accepted trade-off.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings

DEFAULT_CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    # Redoc renders its search index in a worker it builds from a blob.
    "worker-src": ["'self'", "blob:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def content_security_policy(directives=None):
    """The header value for ``directives`` (a mapping directive → list of sources)."""
    directives = directives or DEFAULT_CONTENT_SECURITY_POLICY
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``Content-Security-Policy`` (and a permissions policy) to every response.

    A view that needs a different policy sets the header itself; it is left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        directives = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        self.policy = content_security_policy(directives)
        self.report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
        self.permissions_policy = getattr(
            settings, "PERMISSIONS_POLICY", "camera=(), microphone=(), geolocation=()"
        )

    def __call__(self, request):
        response = self.get_response(request)
        header = (
            "Content-Security-Policy-Report-Only" if self.report_only else "Content-Security-Policy"
        )
        response.headers.setdefault(header, self.policy)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        return response


class LoginAttemptBackend(AxesStandaloneBackend):
    """django-axes' lockout check, for every login that comes with a request.

    Every login over HTTP (admin login form, API session or basic auth) passes
    its request, so it is counted and locked out after ``AXES_FAILURE_LIMIT``
    failures. A call without a request (``Client.login`` in tests, a shell
    script) has no client address to lock out, so axes' check is skipped
    instead of raising; the next backend still checks the password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
