"""Reads of plays: a stage's play as a given user may see it."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from content.models import Asset, Play, PlayActivity, PlayItem, Stage


@dataclass
class PlayView:
    """A play cut to what one user may see (partners: partner assets only)."""

    play: Play | None
    stage: Stage
    items: list[PlayItem] = field(default_factory=list)

    @property
    def questions(self) -> list[str]:
        return self.play.question_list if self.play else []

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.questions

    @property
    def asset_ids(self) -> list[int]:
        return [item.asset_id for item in self.items]


def play_for_stage(*, user, stage: Stage) -> PlayView:
    """The stage's play with the items whose asset `user` may open, published only.

    Two queries: the play, and its items with their assets (visibility applied
    in the same query, so a partner never loads an internal asset).
    """
    visible = Asset.objects.visible_to(user).published().values("pk")
    items = PlayItem.objects.filter(asset__in=visible).select_related(
        "asset", "asset__current_version"
    )
    play = (
        Play.objects.filter(stage=stage)
        .prefetch_related(Prefetch("items", queryset=items, to_attr="visible_items"))
        .first()
    )
    if play is None:
        return PlayView(play=None, stage=stage)
    return PlayView(play=play, stage=stage, items=list(play.visible_items))


def play_for_editing(*, stage: Stage) -> Play | None:
    """The whole play (every item, whatever its audience) for its editors."""
    return (
        Play.objects.filter(stage=stage)
        .prefetch_related(
            Prefetch("items", queryset=PlayItem.objects.select_related("asset"))
        )
        .first()
    )


def play_history(*, play: Play | None, limit: int = 20) -> list[PlayActivity]:
    if play is None:
        return []
    return list(play.activity.select_related("actor")[:limit])


def play_asset_choices(*, stage: Stage):
    """Assets a play for `stage` may hold: published and mapped to the stage."""
    return Asset.objects.published().filter(stages=stage).order_by("kind", "title")
