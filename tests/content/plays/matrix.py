"""kwargs builders for the plays' rows of the permission matrix."""


def stage_slug(world):
    return {"slug": world.stage.slug}


def own_deal_asset(world):
    return {"pk": world.own_deal.pk, "asset_pk": world.asset.pk}


def other_deal_asset(world):
    return {"pk": world.other_deal.pk, "asset_pk": world.asset.pk}


def own_deal_pk(world):
    return {"pk": world.own_deal.pk}


def other_deal_pk(world):
    return {"pk": world.other_deal.pk}


def own_crm_id(world):
    world.own_deal.crm_id = "MATRIX-1"
    world.own_deal.save(update_fields=["crm_id"])
    return {"crm_id": "MATRIX-1"}


def other_crm_id(world):
    world.other_deal.crm_id = "MATRIX-2"
    world.other_deal.save(update_fields=["crm_id"])
    return {"crm_id": "MATRIX-2"}
