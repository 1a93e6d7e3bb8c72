"""Text helpers: Vietnamese folding for accent-insensitive search, slugs."""

import re
import unicodedata

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def fold_vi(text: str | None) -> str:
    """Fold Vietnamese text for matching: đ→d, drop diacritics, casefold ("Đường" → "duong")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def fold_all(*parts: str | None) -> str:
    return " ".join(fold_vi(part) for part in parts if part)


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold_vi(text)).strip("-")
