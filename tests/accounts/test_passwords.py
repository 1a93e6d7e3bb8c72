import pytest

from smart_qn.accounts.passwords import hash_password, needs_rehash, password_problems, verify_password


def test_hashes_are_argon2id_and_verify():
    hashed = hash_password("một câu mật khẩu dài")

    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "một câu mật khẩu dài")
    assert not verify_password(hashed, "một câu mật khẩu dai")
    assert not verify_password("not a hash", "x")
    assert not needs_rehash(hashed)


@pytest.mark.parametrize(
    "password, problem",
    [
        ("short", "at least 12"),
        ("x" * 300, "at most 256"),
        ("1234567890123", "too common"),
        ("PASSWORD1234", "too common"),
        ("aaaaaaaaaaaaaaa", "two different"),
        ("nguyenvanan-2026!", "your name or e-mail"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(app, password, problem):
    with app.test_request_context("/?lang=en"):
        problems = password_problems(password, email="nguyenvanan@soyte.vn", display_name="Nguyễn Văn An")

    assert any(problem in message for message in problems), problems


def test_a_long_unusual_password_passes(app):
    with app.test_request_context():
        assert password_problems("sông Thu Bồn mùa lũ 1999", email="an@soyte.vn", display_name="An") == []
