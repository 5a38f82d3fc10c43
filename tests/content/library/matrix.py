"""kwargs builders for the library's rows of the permission matrix."""


def asset_pk(world):
    return {"pk": world.asset.pk}


def partner_asset_pk(world):
    return {"pk": world.partner_asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def retired_pk(world):
    return {"pk": world.retired.pk}


def missing_asset_pk(world):
    return {"pk": world.retired.pk + 1000}


def version_pk(world):
    return {"pk": world.asset.current_version_id}


def partner_version_pk(world):
    return {"pk": world.partner_asset.current_version_id}


def draft_version_pk(world):
    return {"pk": world.draft.current_version_id}


def retired_version_pk(world):
    return {"pk": world.retired.current_version_id}


def stage_pk(world):
    return {"pk": world.stage.pk}
