"""Importing massgen.generation (and building tools) loads no provider SDK and no UI library."""

from __future__ import annotations

import subprocess
import sys

FORBIDDEN = ("openai", "google.genai", "anthropic", "httpx2", "textual", "rich", "pypdf", "pdfplumber")


def test_generation_imports_no_sdk_until_a_backend_runs():
    code = (
        "import sys\n"
        "import massgen.generation as g\n"
        "from massgen.generation import generate_media, tools_for_agent, select, ContinuationStore\n"
        "tools_for_agent([{'type': 'image_generation'}, {'type': 'text_extraction'}])\n"
        "select('image')\n"
        f"print(sorted({{m.split('.')[0] if not m.startswith('google.genai') else 'google.genai' for m in sys.modules}} & set({FORBIDDEN!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
