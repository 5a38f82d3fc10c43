"""Submit a rendered form the way a browser would, not with hand-built data.

`browser_submit(client, html, action=..., fill={...}, press="Record usage")` reads
the <form> from the page's HTML (lxml) and sends what a browser sends: every named,
enabled control in document order, duplicates included (two controls with one name
send two values); a select sends its selected option, or its first one; unchecked
boxes send nothing; disabled controls and those in a disabled fieldset send nothing;
only the pressed button sends its name. `fill` plays the user: it may only type into
controls that exist and only pick options a menu offers, like a person at the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from lxml import html as lxml_html

CONTROLS = ("input", "select", "textarea", "button")


@dataclass
class BrowserForm:
    action: str
    method: str
    pairs: list[tuple[str, str]]

    def query(self) -> dict[str, list[str]]:
        """For the test client: a list per name, so that duplicates are all sent."""
        data: dict[str, list[str]] = {}
        for name, value in self.pairs:
            data.setdefault(name, []).append(value)
        return data

    def names(self) -> list[str]:
        return [name for name, _ in self.pairs]


def _disabled(element) -> bool:
    if element.get("disabled") is not None:
        return True
    for fieldset in element.iterancestors("fieldset"):
        if fieldset.get("disabled") is not None:
            # Controls in the fieldset's first <legend> stay enabled (HTML spec).
            legend = fieldset.find("legend")
            if legend is None or element not in legend.iterdescendants():
                return True
    return False


def _select_value(select) -> str | None:
    options = [o for o in select.iter("option")]
    chosen = [o for o in options if o.get("selected") is not None]
    option = (
        chosen[-1]
        if chosen
        else next((o for o in options if o.get("disabled") is None), None)
    )
    if option is None:
        return None
    value = option.get("value")
    return value if value is not None else (option.text_content() or "").strip()


def forms_on(page_html: str) -> list:
    return lxml_html.fromstring(page_html).xpath("//form")


def find_form(page_html: str, *, action: str | None = None, has: str | None = None):
    """The first form that posts to `action` and/or has a control named `has`."""
    forms = forms_on(page_html)
    if action is not None:
        forms = [f for f in forms if urlsplit(f.get("action") or "").path == action]
    if has is not None:
        forms = [f for f in forms if any(c.get("name") == has for c in controls_of(f))]
    assert forms, f"no form posting to {action!r} with {has!r} on the page"
    return forms[0]


def controls_of(form) -> list:
    """The form's controls: its descendants, plus those elsewhere with form="id"."""
    found = [el for el in form.iter(*CONTROLS)]
    form_id = form.get("id")
    if form_id:
        root = form.getroottree().getroot()
        found += root.xpath(
            "//*[@form=$id][self::input or self::select or self::textarea "
            "or self::button]",
            id=form_id,
        )
    return found


def browser_data(form, *, fill: dict | None = None, press: str | None = None):
    """What pressing `press` (a button's text or value; default: the first
    submit button) sends, after the user typed or picked the values in `fill`."""
    fill = dict(fill or {})
    pairs: list[tuple[str, str]] = []
    controls = controls_of(form)
    names = {el.get("name") for el in controls if el.get("name")}
    unknown = set(fill) - names
    assert not unknown, f"the form has no control named {sorted(unknown)}"
    buttons = [
        el
        for el in controls
        if (el.tag == "button" and (el.get("type") or "submit") == "submit")
        or (el.tag == "input" and (el.get("type") or "") in ("submit", "image"))
    ]
    pressed = None
    if press is not None:
        pressed = next(
            (
                b
                for b in buttons
                if press in ((b.text_content() or "").strip(), b.get("value"))
            ),
            None,
        )
        assert pressed is not None, f"no button {press!r} in the form"
    elif buttons:
        pressed = buttons[0]
    if pressed is not None:
        assert not _disabled(pressed), f"the button {press!r} is disabled"
    for el in controls:
        name = el.get("name")
        if not name or _disabled(el):
            continue
        kind = (el.get("type") or "text").lower() if el.tag == "input" else el.tag
        if kind in ("submit", "image", "button", "reset") or el.tag == "button":
            if el is pressed:
                pairs.append((name, el.get("value") or ""))
            continue
        if kind in ("checkbox", "radio"):
            value = el.get("value") or "on"
            if name in fill:
                wanted = fill[name]
                wanted = wanted if isinstance(wanted, list | tuple) else [wanted]
                checked = value in [str(w) for w in wanted]
            else:
                checked = el.get("checked") is not None
            if checked:
                pairs.append((name, value))
            continue
        if kind == "file":
            continue  # tests that upload post the file themselves
        if el.tag == "select":
            if name in fill:
                offered = [
                    o.get("value")
                    if o.get("value") is not None
                    else (o.text_content() or "").strip()
                    for o in el.iter("option")
                ]
                value = str(fill[name])
                assert value in offered, f"{name}: {value!r} is not among {offered}"
            else:
                value = _select_value(el)
                if value is None:
                    continue
            pairs.append((name, value))
            continue
        if el.tag == "textarea":
            default = el.text or ""
        else:
            default = el.get("value") or ""
        pairs.append((name, str(fill.get(name, default))))
    return BrowserForm(
        action=form.get("action") or "",
        method=(form.get("method") or "get").lower(),
        pairs=pairs,
    )


def browser_submit(
    client, page_url: str, *, action=None, has=None, fill=None, press=None, **kw
):
    """Open `page_url`, fill in its form that posts to `action` (or has a control
    named `has`), and press the button."""
    page = client.get(page_url)
    assert page.status_code == 200, (page_url, page.status_code)
    form = find_form(page.content.decode(), action=action, has=has)
    sent = browser_data(form, fill=fill, press=press)
    target = sent.action or page_url
    if sent.method == "post":
        return client.post(target, sent.query(), **kw)
    return client.get(target, sent.query(), **kw)
