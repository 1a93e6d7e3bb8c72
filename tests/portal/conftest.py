"""What the portal's tests share: reading a page's elements without a browser."""

from html.parser import HTMLParser

import pytest

from smart_qn.i18n import LANGUAGE_COOKIE

SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text directly inside each element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict, list[str]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        text: list[str] = []
        self.found.append((tag, dict(attrs), text))
        if tag not in ("meta", "link", "input", "br", "img", "hr"):
            self._open.append(text)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        if self._open:
            self._open[-1].append(data)


def elements(response, tag: str, **attributes) -> list[tuple[dict, str]]:
    """(attributes, direct text) of each `tag` of the page having all the given attribute values."""
    parser = Elements()
    parser.feed(response.get_data(as_text=True))
    return [
        (attrs, "".join(text).strip())
        for name, attrs, text in parser.found
        if name == tag and all(attrs.get(key.rstrip("_")) == value for key, value in attributes.items())
    ]


def page_language(response) -> str:
    ((attrs, _text),) = elements(response, "html")
    return attrs["lang"]


@pytest.fixture
def english(client):
    """The client with English chosen, as the language switch leaves it."""
    client.set_cookie(LANGUAGE_COOKIE, "en")
    return client
