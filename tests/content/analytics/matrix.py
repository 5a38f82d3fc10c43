"""kwargs builders for the analytics rows of the permission matrix."""


def asset_pk(world):
    return {"pk": world.asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def retired_pk(world):
    return {"pk": world.retired.pk}


def missing_asset_pk(world):
    return {"pk": world.retired.pk + 1000}


def rating_pk(world):
    """A rep's comment on the marketer's asset (made once, whichever role asks)."""
    from content.models import Rating

    rating, _ = Rating.objects.get_or_create(
        asset=world.asset,
        user=world.users["rep"],
        defaults={"stars": 2, "comment": "The pricing slide is out of date."},
    )
    return {"pk": rating.pk}


def missing_rating_pk(world):
    return {"pk": rating_pk(world)["pk"] + 1000}
