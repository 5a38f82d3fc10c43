"""kwargs builders for the sharing and API rows of the permission matrix."""

from accounts.services_tokens import api_token_create
from content.services.sharing import share_create, share_revoke


def _rep_share(world):
    key = "rep_share"
    if key not in world.extra:
        # The partner one-pager is the world's one shareable asset.
        world.extra[key] = share_create(
            user=world.users["rep"],
            assets=[world.partner_asset],
            recipient="Prospect",
            deal=world.own_deal,
        )
    return world.extra[key]


def partner_asset_pk(world):
    return {"pk": world.partner_asset.pk}


def internal_asset_pk(world):
    return {"pk": world.asset.pk}


def draft_pk(world):
    return {"pk": world.draft.pk}


def rep_share_pk(world):
    return {"pk": _rep_share(world)[0].pk}


def rep_share_item(world):
    share, _token = _rep_share(world)
    return {"pk": share.pk, "item_pk": share.items.get().pk}


def live_token(world):
    return {"token": _rep_share(world)[1]}


def revoked_token(world):
    share, token = _rep_share(world)
    share_revoke(user=world.users["rep"], share=share)
    return {"token": token}


def live_token_item(world):
    share, token = _rep_share(world)
    return {"token": token, "item_pk": share.items.get().pk}


def rep_token_pk(world):
    token, _key = api_token_create(user=world.users["rep"], name="matrix")
    return {"pk": token.pk}


def internal_version_pk(world):
    return {"pk": world.asset.current_version_id}


def own_deal_pk(world):
    return {"pk": world.own_deal.pk}


def other_deal_pk(world):
    return {"pk": world.other_deal.pk}


def own_deal_crm_id(world):
    world.own_deal.crm_id = "MATRIX-1"
    world.own_deal.save(update_fields=["crm_id"])
    return {"crm_id": "MATRIX-1"}


def other_deal_crm_id(world):
    world.other_deal.crm_id = "MATRIX-2"
    world.other_deal.save(update_fields=["crm_id"])
    return {"crm_id": "MATRIX-2"}
