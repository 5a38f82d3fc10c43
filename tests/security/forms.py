"""Read the forms a page really serves, so the fuzzer posts what a browser could."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # input type, "select", "textarea"
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def hidden(self) -> dict[str, str]:
        return {n: f.value for n, f in self.fields.items() if f.kind == "hidden"}

    @property
    def visible(self) -> list[Field]:
        skip = {"hidden", "submit", "button", "reset"}
        return [f for f in self.fields.values() if f.kind not in skip]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            method = (a.get("method") or "get").lower()
            self.forms.append(Form(action=a.get("action") or "", method=method))
            return
        if not self.forms or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value") or "")
            return
        form = self.forms[-1]
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            existing = form.fields.get(a["name"])
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(a.get("value") or "on")
                return
            form.fields[a["name"]] = Field(
                a["name"], kind, [a.get("value") or "on"], a.get("value") or ""
            )
        elif tag == "textarea":
            form.fields[a["name"]] = Field(a["name"], "textarea")
        elif tag == "select":
            self._select = form.fields[a["name"]] = Field(a["name"], "select")

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def forms_in(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms
