"""Settings come from secrets, the environment and the sidebar; the key never shows itself."""

import pickle

import pytest

from routerlens.config import DEFAULT_BASE_URL, ApiKey, DataMode, Settings, load_settings


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
