"""``manage.py refresh_stats``: recompute the statistics in-process and say what changed."""

from django.core.management.base import BaseCommand, CommandError

from oncoregistry.core.response_cache import bump_registry_version
from oncoregistry.stats.locks import refresh_lock
from oncoregistry.stats.services import statistics_refresh


def listed(payload, name, entries):
    """ " of <total>" when a capped list holds fewer entries than there are."""
    total = payload.get(f"{name}_total")
    return f" of {total}" if total is not None and total > len(entries) else ""


def describe(key, payload):
    """One line about an aggregate, for people."""
    if key == "headline":
        parts = [f"{payload['centers']['total']} centers"]
        parts.append(f"{payload['linear_accelerators']['value']} linear accelerators")
        parts.append(f"{payload['proton_systems']['value']} proton systems")
        parts.append(f"{payload['therapies_in_routine_use']} therapies in routine use")
        parts.append(f"{payload['therapies_in_development']} in development")
        parts.append(f"{payload['partnerships']} partnerships")
        money = payload["state_oncology_funding"]
        parts += [f"state funding {f['value']:,} {cur}/year" for cur, f in money.items()]
        return ", ".join(parts)
    if key == "regions":
        served = sum(1 for measures in payload.values() if measures["organizations"])
        return f"{len(payload)} regions, {served} with organisations"
    if key == "data_quality":
        uncited = sum(payload["uncited"].values())
        return f"{sum(payload['records'].values())} records, {uncited} without a citation, " + (
            f"{payload['by_source_total']} sources"
        )
    sizes = ", ".join(
        f"{len(v)}{listed(payload, k, v)} {k}"
        for k, v in payload.items()
        if isinstance(v, dict | list)
    )
    total = f"{payload['total']} in all; " if "total" in payload else ""
    return f"{total}{sizes}"


class Command(BaseCommand):
    help = "Recompute every aggregate statistic in-process and replace the snapshot."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing on success.")

    def handle(self, *args, quiet=False, **options):
        with refresh_lock() as acquired:
            if not acquired:
                raise CommandError("Another statistics refresh is running; try again shortly.")
            result = statistics_refresh()
        bump_registry_version()  # the dashboard shows the new snapshot
        if quiet:
            return
        for key, payload in result["payloads"].items():
            self.stdout.write(f"{key}: {describe(key, payload)}")
        newest = result["data_updated_at"]
        self.stdout.write(
            self.style.SUCCESS(
                f"Statistics computed at {result['computed_at']:%Y-%m-%d %H:%M:%S %Z} "
                f"from data last changed {newest:%Y-%m-%d %H:%M:%S %Z}"
                if newest
                else f"Statistics computed at {result['computed_at']:%Y-%m-%d %H:%M:%S %Z} "
                "(the registry is empty)"
            )
        )
