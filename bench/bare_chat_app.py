"""Baseline for the playground's time to first token in the browser: Streamlit's own floor.

A chat input whose message is streamed from the chat route with httpx alone, each token drawn as it
arrives: the fewest steps a Streamlit page can take from Enter to a token on screen (with the
app's socket fix, nodelay.py, as the app has it).
"""

import json
import os

import httpx
import nodelay  # noqa: F401  (Streamlit runs this file with bench/ on sys.path)
import streamlit as st


@st.cache_resource
def client() -> httpx.Client:
    """One open client for the session's requests, as the app's engine has (a new httpx client
    per message would load an SSL context each time and flatter the app)."""
    return httpx.Client(timeout=60)


st.title("Chat")
if prompt := st.chat_input("Message"):
    st.chat_message("user").write(prompt)
    box = st.chat_message("assistant").empty()
    body = {"model": "openai/gpt-4o-mini", "stream": True, "messages": [{"role": "user", "content": prompt}]}
    headers = {"Authorization": f"Bearer {os.environ['OPENROUTER_API_KEY']}"}
    text = ""
    with client().stream("POST", os.environ["OPENROUTER_BASE_URL"] + "/chat/completions", json=body,
                         headers=headers) as response:
        for line in response.iter_lines():
            if line.startswith("data: {") and '"content": "' in line:
                delta = json.loads(line[6:])["choices"][0]["delta"].get("content") or ""
                if delta:
                    text += delta
                    box.markdown(text)
