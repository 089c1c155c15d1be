"""Request rates for the API (the rates themselves are settings: API_ANON_RATE, API_USER_RATE)."""

from rest_framework.throttling import UserRateThrottle


class SignedInRateThrottle(UserRateThrottle):
    """The per-user rate, for signed-in users only.

    DRF's UserRateThrottle also counts anonymous requests, by address, against the user
    rate; they already count against the stricter anonymous rate (AnonRateThrottle), so the
    second count limited nothing and cost a cache read and write per request.
    """

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
