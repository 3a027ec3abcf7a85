"""The offline demo: a backend that reads the task and answers, votes and draws without a network.

It is a real participant of the same orchestrator (not a mock): `backend` streams Markdown and
calls the coordination tools, `image` is the generation backend that draws scenes with Pillow,
and `team` loads the packaged demo team. A reader studying the product can skip this package.
"""
