"""Settings of the web app: defaults, instance config, environment, and unknown names."""
import pytest

from webapp import SETTINGS, SettingError, create_app


@pytest.fixture
def clean_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("INDEX_DIR", raising=False)
    for key in list(__import__("os").environ):
        if key.startswith("MEA_"):
            monkeypatch.delenv(key)
    return tmp_path


def test_defaults(clean_environment):
    app = create_app(instance_path=str(clean_environment / "instance"))
    assert app.config["INDEX_DIR"] == "instance/index"
    assert {name: app.config[name] for name in SETTINGS} == {
        name: default for name, (default, _) in SETTINGS.items()
    }


def test_instance_config_then_environment(clean_environment, monkeypatch):
    instance = clean_environment / "instance"
    instance.mkdir()
    (instance / "config.py").write_text('INDEX_DIR = "/srv/from-instance"\nPER_PAGE = 20\n')
    app = create_app(instance_path=str(instance))
    assert (app.config["INDEX_DIR"], app.config["PER_PAGE"]) == ("/srv/from-instance", 20)

    monkeypatch.setenv("INDEX_DIR", "/srv/from-env")
    monkeypatch.setenv("MEA_EXPORT_LIMIT", "50")
    app = create_app(instance_path=str(instance))
    assert (app.config["INDEX_DIR"], app.config["PER_PAGE"], app.config["EXPORT_LIMIT"]) == (
        "/srv/from-env", 20, 50,
    )


@pytest.mark.parametrize("where", ["test_config", "instance", "environment"])
def test_unknown_setting_fails_at_startup(clean_environment, monkeypatch, where):
    instance = clean_environment / "instance"
    instance.mkdir()
    test_config = None
    if where == "test_config":
        test_config = {"INDEX_DIRECTORY": "x"}
    elif where == "instance":
        (instance / "config.py").write_text('INDEX_DIRECTORY = "x"\n')
    else:
        monkeypatch.setenv("MEA_INDEX_DIRECTORY", "x")
    with pytest.raises(SettingError, match="INDEX_DIRECTORY"):
        create_app(test_config, instance_path=str(instance))


@pytest.mark.parametrize("value", ["many", "0", "-3"])
def test_bad_number_fails_at_startup(clean_environment, value):
    with pytest.raises(SettingError, match="PER_PAGE"):
        create_app({"PER_PAGE": value})


def test_flask_settings_are_allowed(clean_environment):
    assert create_app({"TESTING": True, "INDEX_DIR": str(clean_environment)}).testing


def test_nothing_opened_until_a_request(clean_environment):
    # The index directory does not exist: building the app still works, and
    # the first request says how to build the index.
    app = create_app({"INDEX_DIR": str(clean_environment / "missing")})
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert b"make index" in response.data and b"python -m indexer index" in response.data
