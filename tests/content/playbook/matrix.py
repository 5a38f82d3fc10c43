"""kwargs builders for the playbook's rows of the permission matrix."""

from tests.factories import ContentRequestFactory


def stage_slug(world):
    return {"slug": world.stage.slug}


def asset_pk(world):
    return {"pk": world.asset.pk}


def partner_asset_pk(world):
    return {"pk": world.partner_asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def retired_pk(world):
    return {"pk": world.retired.pk}


def own_deal_pk(world):
    return {"pk": world.own_deal.pk}


def other_deal_pk(world):
    return {"pk": world.other_deal.pk}


def follow_stage(world):
    return {"target": "stage", "pk": world.stage.pk}


def follow_asset(world):
    return {"target": "asset", "pk": world.asset.pk}


def follow_partner_asset(world):
    return {"target": "asset", "pk": world.partner_asset.pk}


def follow_draft(world):
    return {"target": "asset", "pk": world.draft.pk}


def follow_retired(world):
    return {"target": "asset", "pk": world.retired.pk}


def follow_unknown_kind(world):
    return {"target": "deal", "pk": world.own_deal.pk}


def open_request(world):
    return {"pk": ContentRequestFactory(requester=world.users["rep"]).pk}
