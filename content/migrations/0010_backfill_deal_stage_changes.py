"""Backfill the stage history of deals that have none, from their usages.

Only adds rows: a deal that already has history is left alone. For each deal,
every stage its usages were recorded at, in the order first seen, becomes a
change dated at its first usage there; the deal's creation is the first entry;
the current stage closes the history if the usages did not end there.
"""

from django.db import migrations


def backfill(apps, schema_editor):
    Deal = apps.get_model("content", "Deal")
    Usage = apps.get_model("content", "Usage")
    DealStageChange = apps.get_model("content", "DealStageChange")
    with_history = DealStageChange.objects.values("deal_id")
    deals = Deal.objects.exclude(pk__in=with_history).order_by("pk")
    batch = []
    for deal in deals.iterator(chunk_size=500):
        firsts = []  # (stage_id, first used at), in order
        seen = set()
        usages = (
            Usage.objects.filter(deal_id=deal.pk)
            .order_by("created_at", "pk")
            .values_list("stage_id", "created_at")
        )
        for stage_id, used_at in usages:
            if stage_id not in seen:
                seen.add(stage_id)
                firsts.append((stage_id, used_at))
        path = [(firsts[0][0], deal.created_at)] if firsts else []
        path += firsts[1:]
        if not path or path[-1][0] != deal.stage_id:
            last_at = path[-1][1] if path else deal.created_at
            path.append((deal.stage_id, max(last_at, deal.created_at)))
        previous = None
        for stage_id, at in path:
            if stage_id == previous:
                continue
            batch.append(
                DealStageChange(
                    deal_id=deal.pk,
                    from_stage_id=previous,
                    to_stage_id=stage_id,
                    source="backfill",
                    created_at=at,
                )
            )
            previous = stage_id
        if len(batch) >= 2000:
            DealStageChange.objects.bulk_create(batch)
            batch = []
    if batch:
        DealStageChange.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0009_plays_and_deal_context"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
