"""Text helpers: Vietnamese folding for accent-insensitive search."""

import unicodedata

_D_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def fold_vi(text: str | None) -> str:
    """Fold Vietnamese text for matching: đ→d, drop diacritics, casefold ("Đường" → "duong")."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()
