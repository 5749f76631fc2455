"""Playground: text and image prompts through a chosen routing mode, streamed, with what each
answer measured and cost. Layout only: the panels live in components/playground*.py."""

from components.context import get_context
from components.playground import playground

playground(get_context(), key="pg")
