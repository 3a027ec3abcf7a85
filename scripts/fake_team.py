"""Run massgen-tui against the test suite's fake providers, to watch what each provider receives.

    python scripts/fake_team.py              # starts the fake server, writes a team file, prints the command
    ANTHROPIC_API_KEY=fake-key OPENAI_API_KEY=fake-key massgen-tui --config <dir>/team.yaml

The team has a Claude, an OpenAI and a demo agent. The fake server (tests/fake_providers, 127.0.0.1 only)
answers by echoing; every request it receives is summarised in <dir>/requests.log, with the size and
pixel dimensions of each image it carried, so the attachment bar's promises can be checked on the wire.
Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from PIL import Image, UnidentifiedImageError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.fake_providers.server import FakeProviderServer  # noqa: E402
from tests.fake_providers.wire import wire_media  # noqa: E402

KEY = "fake-key"
TEAM = """# written by scripts/fake_team.py: a team on the fake providers at {url}
agents:
  - id: claude
    backend: {{type: claude, model: claude-sonnet-4-6, base_url: "{anthropic}"}}
  - id: openai
    backend: {{type: openai, model: gpt-5, base_url: "{openai}"}}
  - id: demo
    backend: {{type: demo}}
"""


def describe(data: bytes) -> str:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return f"{image.width}x{image.height}, {len(data):,} bytes"
    except (UnidentifiedImageError, OSError):
        return f"not a readable image, {len(data):,} bytes"


def summary(number: int, request: Any) -> list[str]:
    lines = [f"#{number} {request.route}: {request.method} {request.path} ({len(request.body):,} bytes)"]
    images = [(mime, data) for mime, data in wire_media(request.json) if (mime or "").startswith("image/")]
    lines += [f"    image {mime}: {describe(data)}" for mime, data in images]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help="where team.yaml and requests.log go (default: a temp dir)")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="massgen-fake-"))
    folder.mkdir(parents=True, exist_ok=True)
    with FakeProviderServer(api_key=KEY) as server:
        team = folder / "team.yaml"
        team.write_text(TEAM.format(url=server.url, anthropic=server.anthropic_base_url, openai=server.openai_base_url))
        log = folder / "requests.log"
        log.write_text("")
        print(f"fake providers on {server.url}; requests are summarised in {log}")
        print(f"run: ANTHROPIC_API_KEY={KEY} OPENAI_API_KEY={KEY} massgen-tui --config {team}", flush=True)
        seen = 0
        try:
            while True:
                time.sleep(0.5)
                requests = server.requests
                with log.open("a") as out:
                    for number, request in enumerate(requests[seen:], seen + 1):
                        out.write("\n".join(summary(number, request)) + "\n")
                seen = len(requests)
        except KeyboardInterrupt:
            print(f"stopped after {seen} requests")


if __name__ == "__main__":
    main()
