def test_home_page_answers_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nope")
    assert response.status_code == 404
    assert "introuvable" in response.get_data(as_text=True)
