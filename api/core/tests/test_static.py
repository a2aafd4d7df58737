from api.core.static import is_immutable


def test_hashed_build_assets_are_immutable() -> None:
    assert is_immutable("", "/assets/index-B2x9k_Qe.js")
    assert is_immutable("", "/static/admin/css/base.5af66c1b1797.css")
    assert not is_immutable("", "/service-worker.js")
    assert not is_immutable("", "/index.html")
    assert not is_immutable("", "/static/admin/css/base.css")
