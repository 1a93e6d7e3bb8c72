from flask_babel import force_locale, gettext


def test_vietnamese_catalog_is_compiled_and_used(app):
    with app.test_request_context(), force_locale("vi"):
        assert gettext("Fully online") == "Toàn trình"


def test_english_is_the_message_id(app):
    with app.test_request_context(), force_locale("en"):
        assert gettext("Partly online") == "Partly online"


def test_every_message_has_a_vietnamese_translation():
    from pathlib import Path

    from babel.messages.pofile import read_po

    with (Path(__file__).resolve().parent.parent / "translations/vi/LC_MESSAGES/messages.po").open(
        "rb"
    ) as po:
        catalog = read_po(po)

    assert [message.id for message in catalog if message.id and not message.string] == []


def test_outside_a_request_the_default_language_applies(app):
    from flask_babel import get_locale

    with app.app_context():
        assert str(get_locale()) == "vi"
