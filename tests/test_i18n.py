from flask_babel import force_locale, gettext


def test_vietnamese_catalog_is_compiled_and_used(app):
    with app.test_request_context(), force_locale("vi"):
        assert gettext("Fully online") == "Toàn trình"


def test_english_is_the_message_id(app):
    with app.test_request_context(), force_locale("en"):
        assert gettext("Partly online") == "Partly online"
