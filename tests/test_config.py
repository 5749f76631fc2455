"""Settings come from secrets, the environment and the sidebar; the key never shows itself."""

import pickle

import pytest

from routerlens.config import DEFAULT_BASE_URL, ApiKey, DataMode, Settings, load_settings, plain_secrets


def test_defaults():
    s = load_settings({})
    assert s.base_url == DEFAULT_BASE_URL and s.mode is DataMode.AUTO and not s.has_key
    assert s.site_root == "https://openrouter.ai"


def test_environment_and_offline_switch():
    s = load_settings({"OPENROUTER_BASE_URL": "http://127.0.0.1:8931/api/v1/", "ROUTERLENS_OFFLINE": "1",
                       "OPENROUTER_API_KEY": "sk-or-v1-abc"})
    assert s.base_url == "http://127.0.0.1:8931/api/v1" and s.site_root == "http://127.0.0.1:8931"
    assert s.mode is DataMode.OFFLINE and s.api_key.reveal() == "sk-or-v1-abc"


def test_precedence_sidebar_over_secrets_over_environment():
    env = {"OPENROUTER_API_KEY": "env-key", "ROUTERLENS_DATA_MODE": "live"}
    secrets = {"OPENROUTER_API_KEY": "secret-key"}
    assert load_settings(env, secrets).api_key.reveal() == "secret-key"
    assert load_settings(env, secrets, key_override="typed").api_key.reveal() == "typed"
    assert load_settings(env, secrets).mode is DataMode.LIVE
    assert load_settings(env, secrets, mode_override="offline").mode is DataMode.OFFLINE


def test_key_never_shows_itself():
    key = ApiKey("sk-or-v1-supersecret")
    s = Settings(api_key=key)
    for rendering in (repr(key), str(key), f"{key}", repr(s), str(s)):
        assert "supersecret" not in rendering
    assert "supersecret" not in s.cache_token
    with pytest.raises(TypeError):
        pickle.dumps(key)


def test_cache_token_changes_with_key_but_hides_it():
    a = load_settings({}, key_override="k1")
    b = load_settings({}, key_override="k2")
    assert a.cache_token != b.cache_token and "k1" not in a.cache_token


def test_bad_mode_falls_back_to_default():
    assert DataMode.parse("bogus") is DataMode.AUTO
    assert DataMode.parse("snapshot") is DataMode.OFFLINE


# -- secrets as Streamlit Community Cloud users write them (TOML booleans and numbers) -------------

@pytest.mark.parametrize("value, offline", [(True, True), (False, False), (1, True), (0, False), ("1", True),
                                            ("true", True), ("false", False)])
def test_boolean_and_number_secrets_work_like_their_string_forms(value, offline):
    """``ROUTERLENS_OFFLINE = true`` in secrets.toml pins the app offline, as "1" does."""
    s = load_settings({}, {"ROUTERLENS_OFFLINE": value})
    assert (s.mode is DataMode.OFFLINE) is offline
    assert not s.problems


def test_a_false_secret_overrides_the_environment():
    assert load_settings({"ROUTERLENS_OFFLINE": "1"}, {"ROUTERLENS_OFFLINE": False}).mode is DataMode.AUTO


def test_number_secrets_set_timeouts_and_budgets():
    s = load_settings({}, {"ROUTERLENS_TIMEOUT": 4, "ROUTERLENS_PAGE_BUDGET": 2.5})
    assert s.total_timeout == 4.0 and s.page_budget_s == 2.5 and not s.problems


def test_plain_secrets_turns_scalars_into_their_environment_strings_and_is_idempotent():
    raw = {"ROUTERLENS_OFFLINE": True, "ROUTERLENS_PLAYGROUND_RPM": 10, "ROUTERLENS_PLAYGROUND_DAILY_USD": 2.5,
           "OPENROUTER_API_KEY": "sk-or-v1-x", "other_app": {"token": "t"},
           "connections": {"history": {"url": "sqlite:///x.db", "record_live": True}, "other": {"password": "p"}}}
    plain = plain_secrets(raw)
    assert plain == {"ROUTERLENS_OFFLINE": "true", "ROUTERLENS_PLAYGROUND_RPM": "10",
                     "ROUTERLENS_PLAYGROUND_DAILY_USD": "2.5", "OPENROUTER_API_KEY": "sk-or-v1-x",
                     "connections": {"history": {"url": "sqlite:///x.db", "record_live": True}}}
    assert plain_secrets(plain) == plain


def test_boolean_secrets_reach_the_playground_policy_and_the_recording():
    """The readers beyond Settings get the same strings (through components.context.app_secrets)."""
    from routerlens.history.config import record_live
    from routerlens.limits import load_policy

    policy = load_policy({}, plain_secrets({"ROUTERLENS_SHARED_KEY_PLAYGROUND": True, "ROUTERLENS_PLAYGROUND_RPM": 9}))
    assert policy.shared_key_allowed and policy.requests_per_minute == 9
    assert record_live({}, plain_secrets({"ROUTERLENS_RECORD_LIVE": True}))


@pytest.mark.parametrize("name, value, says", [
    ("ROUTERLENS_OFFLINE", "perhaps", "expected true or false"),
    ("ROUTERLENS_DATA_MODE", "sometimes", "expected auto, live or offline"),
    ("ROUTERLENS_TIMEOUT", "fast", "a number of seconds above 0"),
    ("ROUTERLENS_TIMEOUT", -3, "a number of seconds above 0"),
    ("ROUTERLENS_PAGE_BUDGET", "inf", "a number of seconds above 0"),
    ("ROUTERLENS_PLAYGROUND_RPM", 0.5, "a whole number above 0"),
    ("ROUTERLENS_PLAYGROUND_DAILY_USD", "a dollar", "an amount in dollars"),
    ("OPENROUTER_BASE_URL", "openrouter.ai/api/v1", "an http:// or https:// URL"),
    ("ROUTERLENS_OFFLINE", [1, 2], "is a list, not a single value"),
    ("ROUTERLENS_OFLINE", True, "not a RouterLens setting"),
])
def test_an_unrecognised_secret_is_reported_not_ignored(name, value, says, caplog):
    with caplog.at_level("WARNING", logger="routerlens.config"):
        s = load_settings({}, {name: value})
    assert len(s.problems) == 1 and name in s.problems[0] and says in s.problems[0], s.problems
    assert "in secrets" in s.problems[0]
    assert any(name in r.getMessage() for r in caplog.records), "a problem goes to the server log too"


def test_an_unrecognised_environment_value_is_reported_and_the_default_applies():
    s = load_settings({"ROUTERLENS_TIMEOUT": "soon"})
    assert s.total_timeout == Settings.total_timeout
    assert s.problems == ("ROUTERLENS_TIMEOUT = 'soon' in the environment is not understood: expected a number "
                          "of seconds above 0; the default applies.",)


def test_values_that_may_be_secret_are_never_repeated_in_a_problem():
    s = load_settings({}, {"OPENROUTER_API_KEY": {"value": "sk-or-v1-hidden"},
                           "ROUTERLENS_HISTORY_URL": ["postgresql://u:hunter2@db/x"]})
    assert len(s.problems) == 2 and not s.has_key
    assert not any("hidden" in p or "hunter2" in p for p in s.problems)
    assert s.history_url is None or "hunter2" not in s.history_url


def test_every_setting_the_app_reads_is_known_to_the_checker():
    """A new ROUTERLENS_ setting must join SETTING_KINDS, or a host's value for it would be reported
    as a typo."""
    import re
    from pathlib import Path

    from routerlens.config import SETTING_KINDS

    root = Path(__file__).resolve().parents[1]
    code = "\n".join(p.read_text() for d in ("routerlens", "components", "pages") for p in (root / d).rglob("*.py"))
    code += (root / "app.py").read_text()
    used = set(re.findall(r"\bROUTERLENS_[A-Z0-9_]*[A-Z0-9]\b", code))
    assert used and used <= set(SETTING_KINDS), sorted(used - set(SETTING_KINDS))


def _app_with_secrets(monkeypatch, secrets: dict):
    """app.py in AppTest with an environment that says nothing, and ``secrets`` as secrets.toml."""
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    monkeypatch.delenv("ROUTERLENS_OFFLINE", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, value in secrets.items():
        at.secrets[name] = value
    return at.run()


def test_a_toml_boolean_secret_pins_the_app_offline(monkeypatch):
    """The host's ``ROUTERLENS_OFFLINE = true`` (no quotes) gives an offline demo, not Auto."""
    at = _app_with_secrets(monkeypatch, {"ROUTERLENS_OFFLINE": True})
    assert not at.exception
    assert at.session_state["data_mode"] is DataMode.OFFLINE
    assert any("Offline: recording and bundled snapshot" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.warning


def test_an_unrecognised_secret_is_shown_in_the_sidebar(monkeypatch):
    at = _app_with_secrets(monkeypatch, {"ROUTERLENS_OFFLINE": True, "ROUTERLENS_DATA_MODE": "sometimes"})
    assert not at.exception
    warnings = [w.value for w in at.sidebar.warning]
    assert len(warnings) == 1 and "ROUTERLENS\\_DATA\\_MODE" in warnings[0] and "auto, live or offline" in warnings[0]


# -- every reader of a setting agrees with setting_problems on the value that applies ---------------

@pytest.mark.parametrize("text", ["inf", "1e999", "-inf"])
def test_an_infinite_count_keeps_the_default_and_is_reported(text):
    """``ROUTERLENS_PLAYGROUND_RPM = inf`` once crashed the playground (OverflowError) and went unreported."""
    from routerlens.limits import DEFAULT_SHARED_RPM, load_policy

    assert load_policy({"ROUTERLENS_PLAYGROUND_RPM": text}).requests_per_minute == DEFAULT_SHARED_RPM
    assert load_settings({"ROUTERLENS_PLAYGROUND_RPM": text}).problems


def test_a_blank_secret_falls_through_to_the_environment_for_every_reader():
    from routerlens.chat import StreamLimits
    from routerlens.history.config import record_live
    from routerlens.limits import load_policy

    assert StreamLimits.load({"ROUTERLENS_CHAT_IDLE_S": "7"}, {"ROUTERLENS_CHAT_IDLE_S": " "}).idle_s == 7.0
    assert load_policy({"ROUTERLENS_PLAYGROUND_RPM": "9"}, {"ROUTERLENS_PLAYGROUND_RPM": ""}).requests_per_minute == 9
    assert record_live({"ROUTERLENS_RECORD_LIVE": "1"}, {"ROUTERLENS_RECORD_LIVE": ""})
    assert load_settings({"ROUTERLENS_TIMEOUT": "4"}, {"ROUTERLENS_TIMEOUT": ""}).total_timeout == 4.0


def test_a_seconds_value_too_large_for_a_float_is_reported_not_silently_dropped():
    s = load_settings({"ROUTERLENS_PAGE_BUDGET": "1e999"})
    assert s.page_budget_s == Settings.total_timeout + 5.0
    assert len(s.problems) == 1 and "ROUTERLENS_PAGE_BUDGET" in s.problems[0]
