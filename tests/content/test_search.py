import functools
import itertools
import re
import unicodedata
from datetime import timedelta

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from smart_qn import create_app
from smart_qn.cache_store import UNCOMMITTED_CONTENT
from smart_qn.content import search
from smart_qn.content.markdown import render_markdown
from smart_qn.content.notices import live_notices
from smart_qn.content.search import (
    Kind,
    SearchQuery,
    accented_words,
    casefold_accented,
    folded_words,
    plain_text,
    rank_notices,
    snippet,
    snippet_source,
)
from smart_qn.dbtypes import utcnow
from smart_qn.extensions import db
from smart_qn.text import fold_vi
from tests.conftest import alembic_config, recorded_statements
from tests.factories import NOT_LIVE

# Each vowel with no tone mark, then huyền, sắc, hỏi, ngã, nặng.
VOWELS = {
    "a": "aàáảãạ",
    "ă": "ăằắẳẵặ",
    "â": "âầấẩẫậ",
    "e": "eèéẻẽẹ",
    "ê": "êềếểễệ",
    "i": "iìíỉĩị",
    "o": "oòóỏõọ",
    "ô": "ôồốổỗộ",
    "ơ": "ơờớởỡợ",
    "u": "uùúủũụ",
    "ư": "ưừứửữự",
    "y": "yỳýỷỹỵ",
}
BASES = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o", "ơ": "o"}
BASES |= {"u": "u", "ư": "u", "y": "y"}


def test_there_are_72_vowel_letters_and_d_in_both_cases():
    letters = "".join(VOWELS.values()) + "đ"
    assert len(set(letters + letters.upper())) == 146


@pytest.mark.parametrize("vowel", VOWELS)
def test_every_vowel_with_every_tone_folds_to_its_base_in_both_cases(vowel):
    for letter in VOWELS[vowel]:
        for form in (letter, letter.upper(), unicodedata.normalize("NFD", letter)):
            assert folded_words(f"k{form}n") == f"K{BASES[vowel]}n", form
            assert accented_words(f"k{form}n") == f"K{letter}n", form


def test_d_with_stroke_folds_to_d_and_keeps_its_stroke_in_the_accented_form():
    assert folded_words("Đường đi") == "Duong Di"
    assert accented_words("ĐƯỜNG đi") == "Đường Đi"


def test_stored_forms_are_words_with_their_starts_marked():
    text = "Cảnh báo lũ (sông Thu Bồn), QL1A; GRDP_GROWTH 1.234,5"

    assert folded_words(text) == "Canh Bao Lu Song Thu Bon Ql1a Grdp Growth 1 234 5"
    assert accented_words(text) == "Cảnh Báo Lũ Sông Thu Bồn Ql1a Grdp Growth 1 234 5"
    assert casefold_accented("ĐƯỜNG Quảng") == "đường quảng"


@pytest.mark.parametrize("text", ["quang nam", "Quảng Nam", "QUANG NAM", "  quảng,  NAM!  "])
def test_spellings_of_quang_nam_give_the_same_folded_words(text):
    assert [term.folded for term in SearchQuery.parse(text).terms] == ["quang", "nam"]


def test_query_words_keep_their_accents_and_are_deduplicated_and_bounded():
    query = SearchQuery.parse("Quảng QUẢNG quang " + " ".join(f"w{n}" for n in range(20)))

    assert [(term.accented, term.folded) for term in query.terms[:2]] == [
        ("quảng", "quang"),
        ("quang", "quang"),
    ]
    assert len(query.terms) == search.MAX_TERMS


@pytest.mark.parametrize("text", ["", "   ", "!?…", "- _ -"])
def test_a_query_without_letters_or_digits_finds_nothing(make, text):
    make.notice(title_vi="Thông báo có chữ")

    assert SearchQuery.parse(text).terms == ()
    assert db.session.scalars(rank_notices(live_notices(), text)).all() == []


def notices_found(text: str) -> list[int]:
    return [notice.id for notice in db.session.scalars(rank_notices(live_notices(), text))]


def test_folded_query_finds_accented_text_and_the_reverse(make):
    notice = make.notice(title_vi="Sửa chữa Đường Hùng Vương Zqv")
    plain = make.notice(title_vi="Sua chua duong Hung Vuong Zqv")

    for text in ("duong zqv", "Đường ZQV", "ĐƯỜNG zqv", "dường zqv"):
        assert set(notices_found(text)) == {notice.id, plain.id}, text


@pytest.mark.parametrize("vowel", [*VOWELS, "đ"])
def test_every_letter_is_found_by_its_base_letter_in_both_cases(make, vowel):
    letters = VOWELS.get(vowel, "đ")
    organization = make.organization()
    services = {
        form: make.service(name_vi=f"Thủ tục xq{form}z", organization=organization)
        for letter in letters
        for form in (letter, letter.upper())
    }
    base = BASES.get(vowel, "d")

    for text in (f"xq{base}z", f"XQ{base.upper()}Z"):
        results = search.search(SearchQuery.parse(text), kinds=[Kind.SERVICE], limit=50)
        assert {hit.row.id for hit in results.hits} == {service.id for service in services.values()}, text


def test_a_word_must_begin_a_word(make):
    quang = make.notice(title_vi="Tỉnh Quảng Zqw")

    assert notices_found("quan zqw") == [quang.id]  # a word being typed
    assert notices_found("uang zqw") == []
    assert notices_found("an zqw") == []


def test_every_word_must_match(make):
    both = make.notice(title_vi="Lũ lụt Zqa", body_vi="Trên sông Thu Bồn.")
    only_one = make.notice(title_vi="Lũ quét Zqa", body_vi="Trên sông Vu Gia.")

    assert notices_found("zqa lu thu bon") == [both.id]
    assert set(notices_found("zqa lu")) == {both.id, only_one.id}


def test_exact_accents_rank_above_folded_matches_and_title_above_body(make):
    now = utcnow()

    def notice(minutes: int, **fields):
        return make.notice(publish_at=now - timedelta(minutes=minutes), **fields)

    # Newest first, so that only the score can put them in the expected order.
    body_folded = notice(1, title_vi="Thông báo Zqb", body_vi="Mưa lớn ở Quàng Nam.")
    body_exact = notice(2, title_vi="Thông báo Zqb", body_vi="Mưa lớn ở Quảng Nam.")
    title_folded = notice(3, title_vi="Quang Nam Zqb: thông báo")
    title_exact = notice(4, title_vi="Quảng Nam Zqb: thông báo")

    assert notices_found("Quảng zqb") == [title_exact.id, title_folded.id, body_exact.id, body_folded.id]


def test_scores_are_shares_of_the_best_possible(make):
    make.service(name_vi="Đăng ký Zqc", field="Hộ tịch")
    make.service(name_vi="Chứng thực Zqc", field="Đăng ký")

    scores = [hit.score for hit in search.search(SearchQuery.parse("đăng zqc"), kinds=[Kind.SERVICE]).hits]

    assert scores == [1.0, (2 + 4) / 8]


def test_ties_go_to_the_newest_notice(make):
    now = utcnow()
    older = make.notice(title_vi="Zqd cũ", publish_at=now - timedelta(days=2))
    newer = make.notice(title_vi="Zqd mới", publish_at=now - timedelta(days=1))

    assert notices_found("zqd") == [newer.id, older.id]


@pytest.mark.parametrize("fields", NOT_LIVE.values(), ids=NOT_LIVE.keys())
def test_only_live_notices_are_found(make, fields):
    make.notice(title_vi="Thông báo ẩn Zqe", **fields)

    assert search.search(SearchQuery.parse("zqe")).hits == []


def test_unpublished_services_are_not_found_but_every_indicator_is(make):
    make.service(name_vi="Thủ tục Zqf", published=False)
    indicator = make.indicator(name_vi="Chỉ tiêu Zqf")

    hits = search.search(SearchQuery.parse("zqf")).hits

    assert [(hit.kind, hit.row.id) for hit in hits] == [(Kind.INDICATOR, indicator.id)]


def test_search_covers_every_kind_and_can_be_narrowed_to_one(make):
    notice = make.notice(title_vi="Hướng dẫn Zqg")
    service = make.service(name_vi="Thủ tục Zqg")
    indicator = make.indicator(name_vi="Chỉ tiêu Zqg", code="ZQG_RATE")

    everything = search.search(SearchQuery.parse("zqg"))
    only_indicators = search.search(SearchQuery.parse("zqg"), kinds=[Kind.INDICATOR])

    assert {(hit.kind, hit.row.id) for hit in everything.hits} == {
        (Kind.NOTICE, notice.id),
        (Kind.SERVICE, service.id),
        (Kind.INDICATOR, indicator.id),
    }
    # Equal scores: services, then indicators, then notices.
    assert [hit.kind for hit in everything.hits] == [Kind.SERVICE, Kind.INDICATOR, Kind.NOTICE]
    assert everything.total == 3
    assert [(hit.kind, hit.row.id) for hit in only_indicators.hits] == [(Kind.INDICATOR, indicator.id)]


def test_an_indicator_is_found_by_its_code(make):
    indicator = make.indicator(code="ZQH_GROWTH", name_vi="Tăng trưởng")

    for text in ("ZQH_GROWTH", "zqh"):
        assert [hit.row.code for hit in search.search(SearchQuery.parse(text)).hits] == [indicator.code]


# Services and indicators are ranked in the process, from a snapshot of committed content.

SNAPSHOT_QUERIES = (
    "dich vu cong",
    "khai sinh",
    "Đăng ký",
    "dang ky khai sinh",
    "bảo hiểm",
    "bao hiem y te",
    "cap lai",
    "giay phep",
    "ho ngheo",
    "tỷ lệ",
    "ty le ho",
    "grdp",
    "GRDP_GROWTH",
    "thu nhap binh quan",
    "Quảng Nam",
    "so",
    "t",
    "xã",
    "2024",
    "zzzqqq",
)


def ranked_in_sql(query: SearchQuery, **kwargs):
    """The search as it is ranked by the database: a session with uncommitted content changes ranks there."""
    db.session.info[UNCOMMITTED_CONTENT] = True
    try:
        return search.search(query, **kwargs)
    finally:
        db.session.info.pop(UNCOMMITTED_CONTENT)


def identities(results) -> list[tuple]:
    return [(hit.kind, hit.row.id, hit.row._mapping.get("code"), hit.score) for hit in results.hits]


@pytest.mark.parametrize("text", SNAPSHOT_QUERIES)
def test_services_and_indicators_rank_in_the_process_as_in_the_database(app, text):
    query = SearchQuery.parse(text)
    kinds = [Kind.SERVICE, Kind.INDICATOR]

    for offset, limit in ((0, 200), (0, 20), (5, 7)):
        in_process = search.search(query, kinds=kinds, offset=offset, limit=limit)
        in_sql = ranked_in_sql(query, kinds=kinds, offset=offset, limit=limit)

        assert identities(in_process) == identities(in_sql), (text, offset, limit)
        assert in_process.total == in_sql.total
        assert [hit.row._mapping["name_vi"] for hit in in_process.hits] == [
            hit.row._mapping["name_vi"] for hit in in_sql.hits
        ]


def test_the_snapshot_is_read_once_per_content_generation(app, make):
    query = SearchQuery.parse("khai sinh")
    search.search(query, kinds=[Kind.SERVICE, Kind.INDICATOR])
    with recorded_statements() as statements:
        search.search(query, kinds=[Kind.SERVICE, Kind.INDICATOR])
        search.search(SearchQuery.parse("grdp"), kinds=[Kind.SERVICE, Kind.INDICATOR])
        assert statements == []

        make.service(name_vi="Thủ tục Zqs")
        db.session.commit()  # a committed content change moves the generation
        found = search.search(SearchQuery.parse("zqs"), kinds=[Kind.SERVICE])

    assert [hit.row.name_vi for hit in found.hits] == ["Thủ tục Zqs"]
    assert any("service_link" in statement for statement in statements)


def test_a_snapshot_taken_in_a_transaction_begun_before_the_search_is_not_kept(app):
    db.session.execute(sa.select(1))  # what was read before may be older than the generation read next
    with recorded_statements() as statements:
        for _ in range(2):
            search.search(SearchQuery.parse("khai sinh"), kinds=[Kind.SERVICE])
        db.session.rollback()
        for _ in range(2):
            search.search(SearchQuery.parse("khai sinh"), kinds=[Kind.SERVICE])

    # Read for each search in the earlier transaction; once in a transaction of its own, then kept.
    assert sum("FROM service_link" in statement for statement in statements) == 3


def test_a_session_sees_its_own_uncommitted_services(make):
    search.search(SearchQuery.parse("zqt"))  # takes the snapshot
    service = make.service(name_vi="Thủ tục Zqt")

    assert [hit.row.id for hit in search.search(SearchQuery.parse("zqt")).hits] == [service.id]


def test_a_change_this_process_was_not_told_of_shows_once_the_snapshot_is_too_old(app, make):
    service = make.service(name_vi="Thủ tục Zqu")
    db.session.commit()
    query = SearchQuery.parse("zqu")
    assert [hit.row.id for hit in search.search(query).hits] == [service.id]
    # Another instance unpublishes it: this process's generation does not move.
    db.session.connection().exec_driver_sql(
        f"UPDATE service_link SET published = false WHERE id = {service.id}"
    )

    assert [hit.row.id for hit in search.search(query).hits] == [service.id]
    app.config["RESPONSE_CACHE_TTL"], ttl = 0, app.config["RESPONSE_CACHE_TTL"]
    try:
        assert search.search(query).hits == []
    finally:
        app.config["RESPONSE_CACHE_TTL"] = ttl


def test_pages_follow_the_ranking(make):
    organization = make.organization()
    now = utcnow()
    notices = [
        make.notice(title_vi=f"Zqi số {n}", organization=organization, publish_at=now - timedelta(hours=n))
        for n in range(1, 6)
    ]
    query = SearchQuery.parse("zqi")

    pages = [search.search(query, offset=offset, limit=2) for offset in (0, 2, 4)]

    assert [hit.row.id for page in pages for hit in page.hits] == [notice.id for notice in notices]
    assert {page.total for page in pages} == {5}


def test_only_the_newest_candidates_are_ranked(make, monkeypatch):
    now = utcnow()
    newest = [make.notice(title_vi="Zqj", publish_at=now - timedelta(hours=hours)) for hours in (1, 2)]
    oldest = make.notice(title_vi="Zqj", publish_at=now - timedelta(hours=3))
    monkeypatch.setattr(search, "MAX_CANDIDATES", 2)

    results = search.search(SearchQuery.parse("zqj"))

    assert results.total == 2 and oldest.id not in notices_found("zqj")
    assert [hit.row.id for hit in results.hits] == [notice.id for notice in newest]


def test_search_columns_follow_edits(make):
    notice = make.notice(title_vi="Tiêu đề cũ Zqk")

    notice.title_vi = "Tiêu đề mới Zqk"
    db.session.flush()

    assert notice.search_title_folded == "Tieu De Moi Zqk"
    assert notice.search_title_accented == "Tiêu Đề Mới Zqk"
    assert notice.search_folded.startswith("Tieu De Moi Zqk Tom Tat")
    assert notice.search_accented.startswith("Tiêu Đề Mới Zqk Tóm Tắt")


def sqlite_only():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("the FTS5 index of notices exists on SQLite only")


def test_the_notice_index_follows_inserts_edits_and_deletes(make):
    sqlite_only()
    notice = make.notice(title_vi="Đập Phú Ninh Zqv")
    assert notices_found("phu ninh zqv") == [notice.id]

    notice.title_vi = "Hồ Khe Tân Zqv"
    db.session.flush()
    assert notices_found("phu ninh zqv") == [] and notices_found("khe tan zqv") == [notice.id]

    db.session.delete(notice)
    db.session.flush()
    assert notices_found("zqv") == []
    # FTS5's own check that the index holds exactly the words of the rows of `notice`.
    db.session.execute(sa.text("INSERT INTO notice_search (notice_search) VALUES ('integrity-check')"))


def test_the_triggers_that_keep_the_notice_index_exist_at_the_head(app):
    sqlite_only()
    triggers = db.session.scalars(
        sa.text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notice'")
    ).all()
    assert set(triggers) == {"notice_search_insert", "notice_search_update", "notice_search_delete"}


@pytest.mark.parametrize("word", ["and", "or", "not", "near", "AND", "NEAR"])
def test_query_words_are_words_not_index_operators(make, word):
    notice = make.notice(title_vi=f"Zqw {word} Zqx")

    assert notices_found(f"zqw {word} zqx") == [notice.id]


def test_the_quick_fold_for_snippets_agrees_with_fold_vi():
    latin = "".join(chr(codepoint) for codepoint in (*range(0x20, 0x250), *range(0x1E00, 0x1F00)))

    for char in latin:
        folded, origins = search._fold_mapped(char)
        assert folded == fold_vi(char), char
        assert origins is None or origins == [0] * len(folded), char


def test_no_character_folds_into_more_than_one_ascii_character():
    # The quickest fold (NFD, then everything that is not ASCII dropped) tells from the length alone that
    # a text folded one for one: that holds only if no character gives two ASCII characters, and the one
    # it gives is its fold_vi. Checked on every code point, for the Unicode of the running Python.
    for codepoint in (*range(0xD800), *range(0xE000, 0x110000)):
        char = chr(codepoint)
        kept = unicodedata.normalize("NFD", char.replace("đ", "d").replace("Đ", "D")).encode(
            "ascii", "ignore"
        )
        assert len(kept) <= 1, hex(codepoint)
        if kept:
            assert kept.decode().lower() == fold_vi(char), hex(codepoint)


def test_the_search_tells_live_notices_from_the_narrow_index(app):
    sqlite_only()
    statement = search._ranking(Kind.NOTICE, 2, "sqlite").compile(db.engine)
    plan = (
        db.session.connection()
        .exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", ("x",) * len(statement.positiontup))
        .all()
    )

    assert any(search.NOTICE_LIVENESS_INDEX in row.detail for row in plan), plan


# Snippets and highlights ------------------------------------------------------------------------------


def highlighted(cut) -> list[str]:
    return [cut.text[start:end] for start, end in cut.highlights]


def test_short_text_is_the_whole_snippet_with_its_matches_highlighted():
    cut = snippet("Mưa lớn ở Quảng Nam, đường ngập.", SearchQuery.parse("quang nam duong"))

    assert cut.text == "Mưa lớn ở Quảng Nam, đường ngập."
    assert highlighted(cut) == ["Quảng", "Nam", "đường"]


def test_long_text_is_cut_around_the_matches_at_word_boundaries():
    text = " ".join(["Nội dung mở đầu dài dòng."] * 20) + " Cấm đường Hùng Vương. " + "Kết thúc. " * 30
    query = SearchQuery.parse("duong hung vuong")

    cut = snippet(text, query)

    assert len(cut.text) <= search.SNIPPET_LENGTH
    assert cut.text.startswith("…") and cut.text.endswith("…")
    assert cut.text[1] != " " and cut.text[-2] != " "
    assert highlighted(cut) == ["đường", "Hùng", "Vương"]
    for word in cut.text.strip("…").split():
        assert word in text.split()


def test_a_snippet_without_matches_is_the_start_of_the_text():
    text = "Từ đầu. " * 40

    cut = snippet(text, SearchQuery.parse("zzz"))

    assert cut.text.startswith("Từ đầu.") and cut.text.endswith("…")
    assert cut.highlights == []


def test_highlights_are_offsets_into_decomposed_text_too():
    text = unicodedata.normalize("NFD", "Sửa Đường Quảng Nam")

    spans = SearchQuery.parse("duong nam").spans(text)

    assert [unicodedata.normalize("NFC", text[start:end]) for start, end in spans] == ["Đường", "Nam"]


def test_highlights_stay_right_when_folding_changes_the_length():
    # "ß" folds to "ss": the offsets after it still point at the original characters.
    text = "Straße Đường Quảng"

    spans = SearchQuery.parse("duong quang").spans(text)

    assert [text[start:end] for start, end in spans] == ["Đường", "Quảng"]


def test_highlights_of_a_word_prefix_cover_what_was_typed():
    assert ["Quảng Nam"[start:end] for start, end in SearchQuery.parse("quan na").spans("Quảng Nam")] == [
        "Quản",
        "Na",
    ]


def test_plain_text_of_a_rendered_body():
    html = (
        "<p>Đề nghị <strong>di dời</strong> &amp; sơ tán.</p>\n<ul>\n<li>Hội An</li><li>Duy Xuyên</li></ul>"
    )

    assert plain_text(html) == "Đề nghị di dời & sơ tán. Hội An Duy Xuyên"


MIXED_TEXTS = [
    "Cảnh báo lũ trên sông Thu Bồn, đường ĐT609 ngập; QUẢNG NAM: 10 giờ.",
    unicodedata.normalize("NFD", "Sửa Đường Quảng Nam, cảnh báo"),
    "Straße Đường ǅuong ﬁle Quảng · nam‰ «bão» № 3 — x²",
    "Hội An, hội_an, HOIAN, hội-an, an, Quảng Nam và Quảng Ngãi",
    "ss ß SS ẞ straße STRASSE",
    "QL1A, 3an, 10giờ, an3, x2an, a1 a",
]


def folded_matches(text: str, query: SearchQuery) -> list[tuple[int, int, int]]:
    """What `occurrences` must find, worked out slowly: each character folded alone, every word start."""
    folds = [fold_vi(char) for char in text]
    folded = "".join(folds)
    origin = [offset for offset, fold in enumerate(folds) for _ in fold]
    found = []
    for index, term in enumerate(query.terms):
        for start in range(len(folded) - len(term.folded) + 1):
            at_word_start = start == 0 or not folded[start - 1].isalnum()
            if at_word_start and folded.startswith(term.folded, start):
                end = origin[start + len(term.folded) - 1] + 1
                while end < len(text) and unicodedata.combining(text[end]):
                    end += 1
                found.append((origin[start], end, index))
    return found


@pytest.mark.parametrize("text", MIXED_TEXTS)
@pytest.mark.parametrize(
    "words", ["quang nam", "duong", "ss strasse", "an hoi", "bao 3 x2", "canh lu 10 dt609", "a an gio"]
)
def test_matches_are_those_of_the_slow_fold(text, words):
    query = SearchQuery.parse(words)

    assert sorted(query.occurrences(text)) == sorted(folded_matches(text, query))


BODY = render_markdown(
    "\n\n".join(
        [
            "Ủy ban nhân dân huyện **Thăng Bình** thông báo: do mưa lớn kéo dài, nước sông Ly Ly dâng cao.",
            "- Cấm xe trên *đường* ĐT613 đoạn qua xã Bình Trị &amp; Bình Định Bắc;\n- Sơ tán dân vùng trũng.",
            "Mọi thông tin xin liên hệ [Ban Chỉ huy](https://thangbinh.quangnam.gov.vn) hoặc gọi 0235 3874.",
            "Người dân chủ động phòng tránh, không đi qua ngầm tràn khi nước chảy xiết. Cảnh báo lũ cấp 2.",
            "Các trường học trên địa bàn cho học sinh nghỉ học ngày 21/11; lịch học bù sẽ thông báo sau.",
            "Đề nghị các thôn trưởng rà soát nhà yếu, di dời người già và trẻ em đến nơi an toàn trước 17h.",
        ]
    )
)
_WORD_OF_TEXT = re.compile(r"[^\W_]+")


def test_a_snippet_cut_with_the_stored_fold_is_the_one_cut_without_it():
    # Every word of the text as a query, and each with the next: windows everywhere in the text.
    text, folded = snippet_source("Cảnh báo: nước sông Ly Ly lên nhanh, cấm đường ĐT613.", BODY)
    words = _WORD_OF_TEXT.findall(text)

    assert folded is not None
    for query in map(SearchQuery.parse, [*words, *map(" ".join, itertools.pairwise(words))]):
        assert snippet(text, query, folded=folded) == snippet(text, query), query.text


def test_the_snippet_source_is_the_plain_text_of_summary_and_body_and_its_fold():
    text, folded = snippet_source(
        "  Tóm tắt:\n cấm   ĐƯỜNG. ", "<p>Đề nghị <strong>di dời</strong> &amp; sơ tán.</p>"
    )

    assert text == "Tóm tắt: cấm ĐƯỜNG. Đề nghị di dời & sơ tán."
    assert folded == "tom tat: cam duong. de nghi di doi & so tan."
    assert snippet_source(None, None) == ("", "")


def test_a_text_that_does_not_fold_one_for_one_is_stored_without_fold_and_still_cut_right():
    text, folded = snippet_source("Nước sạch: 25.000 đồng/m³ từ tháng 12.", None)
    query = SearchQuery.parse("dong thang")

    assert folded is None
    assert highlighted(snippet(text, query, folded=folded)) == ["đồng", "tháng"]


def test_notices_keep_their_snippet_sources_in_both_languages(make):
    both = make.notice(
        summary_vi="Tóm tắt.", body_vi="Nội dung **lũ**.", summary_en="Summary.", body_en="Flood."
    )
    summary_only = make.notice(summary_vi="Tóm tắt.", body_vi="Nội dung.", summary_en="Summary.")
    vietnamese = make.notice(summary_vi="Tóm tắt.", body_vi="Bão số 3: cấp ²", summary_en=None, body_en=None)

    assert (both.snippet_text_vi, both.snippet_folded_vi) == (
        "Tóm tắt. Nội dung lũ.",
        "tom tat. noi dung lu.",
    )
    assert (both.snippet_text_en, both.snippet_folded_en) == ("Summary. Flood.", "summary. flood.")
    # An English reader sees the English summary, then the Vietnamese body it has no English for.
    assert summary_only.snippet_text_en == "Summary. Nội dung."
    assert (vietnamese.snippet_text_en, vietnamese.snippet_folded_en) == (None, None)
    assert (vietnamese.snippet_text_vi, vietnamese.snippet_folded_vi) == ("Tóm tắt. Bão số 3: cấp ²", None)

    vietnamese.body_vi = "Đã sửa."
    db.session.flush()

    assert (vietnamese.snippet_text_vi, vietnamese.snippet_folded_vi) == (
        "Tóm tắt. Đã sửa.",
        "tom tat. da sua.",
    )


def test_fold_vi_is_length_preserving_on_composed_vietnamese():
    letters = "".join(VOWELS.values()) + "đ"
    text = letters + letters.upper()

    assert len(fold_vi(text)) == len(text)


# The migration's backfill -------------------------------------------------------------------------------


SEARCH_REVISION = "70ffaf9f918d"


def search_revision():
    return ScriptDirectory.from_config(alembic_config()).get_revision(SEARCH_REVISION)


def test_the_migration_fills_the_search_columns_of_existing_rows_as_the_models_do(empty_database):
    revision = search_revision()
    app = create_app({"DATABASE_URL": empty_database, "TESTING": True})
    with app.app_context():
        upgrade(revision=revision.down_revision)
        with db.engine.begin() as connection:
            insert_pre_search_rows(connection)
        upgrade(revision=revision.revision)
        with db.engine.connect() as connection:
            rows = {
                table: connection.execute(
                    sa.text(
                        "SELECT search_folded, search_accented, search_title_folded, search_title_accented, "
                        f"search_text FROM {table}"
                    )
                ).one()
                for table in ("notice", "service_link", "indicator")
            }
        downgrade(revision=revision.down_revision)
        with db.engine.connect() as connection:
            restored = connection.execute(sa.text("SELECT search_text FROM notice")).scalar_one()
        db.engine.dispose()

    title, body = ("Đường Quảng Nam (QL1A)", None), ("Tóm tắt.", None, "Nội dung **đường**.", None)
    assert rows["notice"] == expected_columns(title, body)
    assert rows["service_link"] == expected_columns(("Đăng ký khai sinh", None), ("Hộ tịch", None, "ho-tich"))
    assert rows["indicator"] == expected_columns(("GRDP_GROWTH", "Tăng trưởng GRDP", None), (None, None))
    assert restored == "old"


def expected_columns(title, body) -> tuple:
    """The columns as the models' listeners write them, and search_text left alone."""
    return (
        folded_words(*title, *body),
        accented_words(*title, *body),
        folded_words(*title),
        accented_words(*title),
        "old",
    )


def insert_row(connection, table_name: str, *, lacking: str, **values) -> None:
    """A row inserted as the schema of an earlier revision, one without the column `lacking`, holds it."""
    table = sa.Table(table_name, sa.MetaData(), autoload_with=connection)
    assert lacking not in table.c
    if "updated_at" in table.c:
        values.setdefault("updated_at", utcnow())
    connection.execute(table.insert().values(**values))


def insert_owners(connection, *, lacking: str) -> None:
    """The category (1) and organization (1) that the rows of a migration test belong to."""
    insert_row(connection, "category", lacking=lacking, id=1, slug="x", name_vi="X", name_en="X", position=0)
    insert_row(connection, "organization", lacking=lacking, id=1, code="O", name_vi="Sở", kind="department")


def insert_pre_search_rows(connection) -> None:
    """One notice, service link and indicator as the schema before the search migration holds them."""
    insert = functools.partial(insert_row, connection, lacking="search_folded")
    insert_owners(connection, lacking="search_folded")
    insert(
        "notice",
        organization_id=1,
        category_id=1,
        title_vi="Đường Quảng Nam (QL1A)",
        summary_vi="Tóm tắt.",
        body_vi="Nội dung **đường**.",
        body_html_vi="<p>x</p>",
        urgency="normal",
        pinned=False,
        state="published",
        search_text="old",
        version=1,
        created_at=utcnow(),
    )
    insert(
        "service_link",
        name_vi="Đăng ký khai sinh",
        field="Hộ tịch",
        level="full",
        tier="commune",
        organization_id=1,
        url="https://dichvucong.example.vn",
        tags=["ho-tich"],
        featured=False,
        published=True,
        search_text="old",
    )
    insert(
        "indicator",
        code="GRDP_GROWTH",
        name_vi="Tăng trưởng GRDP",
        measure_unit="%",
        organization_id=1,
        category_id=1,
        frequency="annual",
        levels=[1],
        direction="neutral",
        key=False,
        position=0,
        search_text="old",
    )


SNIPPET_REVISION = "e3a7c9d1f5b2"


def test_the_migration_fills_the_snippet_sources_of_existing_notices_as_the_model_does(empty_database):
    revision = ScriptDirectory.from_config(alembic_config()).get_revision(SNIPPET_REVISION)
    app = create_app({"DATABASE_URL": empty_database, "TESTING": True})
    bodies = {
        "both": ("Tóm tắt.", "<p>Nội dung <em>lũ</em>.</p>", "Summary.", "<p>Flood.</p>"),
        "summary only": ("Tóm tắt.", "<p>Nội dung.</p>", "Summary.", None),
        "vietnamese": (" Tóm\n tắt. ", "<p>Cấp ² &amp; m³</p>", None, None),
    }
    with app.app_context():
        upgrade(revision=revision.down_revision)
        with db.engine.begin() as connection:
            insert_owners(connection, lacking="snippet_text_vi")
            for title, (summary_vi, body_html_vi, summary_en, body_html_en) in bodies.items():
                insert_row(
                    connection,
                    "notice",
                    lacking="snippet_text_vi",
                    organization_id=1,
                    category_id=1,
                    title_vi=title,
                    summary_vi=summary_vi,
                    summary_en=summary_en,
                    body_vi="(markdown)",
                    body_html_vi=body_html_vi,
                    body_html_en=body_html_en,
                    urgency="normal",
                    pinned=False,
                    state="published",
                    version=1,
                    created_at=utcnow(),
                )
        upgrade(revision=revision.revision)
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT title_vi, snippet_text_vi, snippet_folded_vi, snippet_text_en, snippet_folded_en "
                    "FROM notice"
                )
            ).all()
        downgrade(revision=revision.down_revision)
        with db.engine.connect() as connection:
            columns = {column["name"] for column in sa.inspect(connection).get_columns("notice")}
        db.engine.dispose()

    expected = {}
    for title, (summary_vi, body_vi, summary_en, body_en) in bodies.items():
        english = (None, None)
        if summary_en or body_en:
            english = snippet_source(summary_en or summary_vi, body_en or body_vi)
        expected[title] = (*snippet_source(summary_vi, body_vi), *english)
    assert {row[0]: tuple(row[1:]) for row in rows} == expected
    assert expected["vietnamese"] == ("Tóm tắt. Cấp ² & m³", None, None, None)
    assert (
        "title_vi" in columns
        and not {"snippet_text_vi", "snippet_folded_vi", "snippet_text_en", "snippet_folded_en"} & columns
    )
