import pytest

from smart_qn.text import fold_vi

VIETNAMESE_LETTERS = "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ"


@pytest.mark.parametrize("text", ["quang nam", "Quảng Nam", "QUẢNG NAM", "QUANG NAM", "quảng nam"])
def test_spellings_of_quang_nam_fold_alike(text):
    assert fold_vi(text) == "quang nam"


def test_d_with_stroke_folds_to_d():
    assert fold_vi("Đường Điện Biên Phủ") == "duong dien bien phu"


def test_every_vietnamese_letter_folds_to_ascii_in_both_cases():
    letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
    assert len(set(letters)) == 146
    folded = fold_vi(letters)
    assert folded.isascii() and folded == folded.lower()


def test_decomposed_input_folds_like_composed():
    import unicodedata

    assert fold_vi(unicodedata.normalize("NFD", "Hội An")) == fold_vi("Hội An") == "hoi an"
