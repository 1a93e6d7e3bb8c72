from smart_qn.content.markdown import render_markdown


def test_renders_markdown():
    html = render_markdown("## Lịch\n\n- **Sáng**: 7h30\n- Chiều: 13h30")

    assert "<h2>Lịch</h2>" in html and "<strong>Sáng</strong>" in html and "<li>" in html


def test_raw_html_and_scripts_do_not_survive():
    html = render_markdown('<script>alert(1)</script><img src=x onerror="alert(1)"> chữ')

    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html  # shown as text, never run


def test_dangerous_links_are_dropped_and_safe_ones_marked():
    html = render_markdown("[a](javascript:alert(1)) [b](https://quangnam.gov.vn)")

    assert 'href="javascript' not in html
    assert 'href="https://quangnam.gov.vn"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_none_stays_none():
    assert render_markdown(None) is None
