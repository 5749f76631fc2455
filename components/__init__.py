"""Reusable Streamlit panels. Each is a function taking data plus keyword-only options and a
``key`` prefix, so panels can be tested alone (``AppTest.from_function``) and used twice."""
