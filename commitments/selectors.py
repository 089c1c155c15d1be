from .models import Commitment


def commitment_list():
    return Commitment.objects.select_related("organization", "region", "source", "citation")
