"""kwargs builders for the library's rows of the permission matrix."""


def asset_pk(world):
    return {"pk": world.asset.pk}


def partner_asset_pk(world):
    return {"pk": world.partner_asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def retired_pk(world):
    return {"pk": world.retired.pk}


def retired_partner_pk(world):
    """A retired asset that had been cleared for partners (made on first use)."""
    if "retired_partner" not in world.extra:
        from tests.factories import AssetFactory, VersionFactory

        asset = AssetFactory(
            title="Old partner sheet",
            owner=world.users["marketer"],
            stages=[world.stage],
            retired=True,
            for_partners=True,
        )
        asset.current_version = VersionFactory(asset=asset, number=1)
        asset.save(update_fields=["current_version"])
        world.extra["retired_partner"] = asset
    return {"pk": world.extra["retired_partner"].pk}


def retired_partner_version_pk(world):
    retired_partner_pk(world)
    return {"pk": world.extra["retired_partner"].current_version_id}


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
