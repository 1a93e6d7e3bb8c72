"""Spreadsheets kept between an import's preview and its confirmation."""

from smart_qn.reporting import uploads


def test_an_upload_is_kept_under_its_digest_for_its_user_only(app, make):
    owner, other = make.user(), make.user()
    digest = uploads.keep(owner.id, b"gia_tri\n4,56\n")

    assert uploads.kept(owner.id, digest) == b"gia_tri\n4,56\n"
    assert uploads.kept(other.id, digest) is None
    uploads.forget(owner.id, digest)
    assert uploads.kept(owner.id, digest) is None


def test_a_name_that_is_not_a_digest_reads_nothing_outside_the_folder(app, make):
    user = make.user()
    uploads.keep(user.id, b"x")

    assert uploads.kept(user.id, "../../etc/passwd") is None
    assert uploads.kept(user.id, "") is None
