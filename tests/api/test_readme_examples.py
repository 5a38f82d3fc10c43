"""The documented curl examples (docs/api.md, "From the command line", linked from
the README) still work, exactly as written: /api/v1/ only ever changes additively
(docs/api.md, version policy)."""

import json
import re
import shlex
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.services_tokens import api_token_create
from content.models import Usage

API_DOC = Path(settings.BASE_DIR) / "docs" / "api.md"


def _readme_curls() -> list[list[str]]:
    text = API_DOC.read_text()
    section = text[text.index("### From the command line") :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    joined = block.replace("\\\n", " ")
    return [
        shlex.split(line)
        for line in joined.splitlines()
        if line.strip().startswith("curl ")
    ]


def _call(client: APIClient, argv: list[str], key: str, asset_id: int):
    method, headers, data, url = "GET", {}, None, None
    args = iter(argv[1:])
    for arg in args:
        if arg == "-X":
            method = next(args)
        elif arg == "-H":
            name, value = next(args).split(": ", 1)
            headers[name] = value.replace("$KEY", key)
        elif arg == "-d":
            # "asset 1" is the demo's first asset; here, the test library's.
            data = next(args).replace('"asset": 1,', f'"asset": {asset_id},')
        else:
            url = arg.replace("$WINGMAN", "")
    kwargs = {
        f"HTTP_{n.upper().replace('-', '_')}": v
        for n, v in headers.items()
        if n != "Content-Type"
    }
    if data is not None:
        kwargs.update(data=data, content_type=headers["Content-Type"])
        json.loads(data)  # the documented body is valid JSON
    return client.generic(method, url, **kwargs)


@pytest.mark.django_db
def test_readme_curl_examples_work_unchanged(rep, library):
    curls = _readme_curls()
    assert len(curls) == 4
    _token, key = api_token_create(user=rep, name="README")
    client = APIClient()
    asset_id = library["internal"].pk
    me, search, deal, usage = (_call(client, a, key, asset_id) for a in curls)
    assert me.status_code == 200
    assert me.json()["username"] == rep.username
    assert search.status_code == 200
    assert deal.status_code == 201
    assert deal.json()["crm_id"] == "0061x00ABC"
    assert usage.status_code == 201
    # "Run the last command twice": the same usage, replayed.
    again = _call(client, curls[-1], key, asset_id)
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == usage.json()["id"]
    assert Usage.objects.filter(deal__crm_id="0061x00ABC").count() == 1
