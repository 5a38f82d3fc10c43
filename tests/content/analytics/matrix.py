"""kwargs builders for the analytics rows of the permission matrix."""


def asset_pk(world):
    return {"pk": world.asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def retired_pk(world):
    return {"pk": world.retired.pk}


def missing_asset_pk(world):
    return {"pk": world.retired.pk + 1000}
