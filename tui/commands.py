"""Command palette entries made from the key bindings themselves, so the palette and the Footer never drift."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen

_SKIP_ACTIONS = {"command_palette", "help_quit"}


@dataclass(frozen=True)
class KeyCommand:
    """One action a user can take: its name, what it does, the key, and the node that runs it."""

    name: str
    help: str
    key: str
    action: str
    node: DOMNode


def key_commands(screen: Screen) -> list[KeyCommand]:
    """Every Footer binding on `screen` (focused widget, screen, app), one per action; dimmed ones say so."""
    seen: set[str] = set()
    commands: list[KeyCommand] = []
    for key, active in screen.active_bindings.items():
        binding: Binding = active.binding
        if not binding.show or not binding.description or binding.system or binding.action in _SKIP_ACTIONS:
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        help_text = binding.tooltip if active.enabled else f"{binding.tooltip} (not available right now)".strip()
        commands.append(KeyCommand(binding.description, help_text, key, binding.action, active.node))
    return sorted(commands, key=lambda c: c.name)


class KeyBindingCommands(Provider):
    """Offers every action of the current screen, labelled with its key."""

    def _run(self, command: KeyCommand) -> None:
        self.app.call_later(self.app.run_action, command.action, command.node)

    async def discover(self) -> Hits:
        for command in key_commands(self.screen):
            yield DiscoveryHit(f"{command.name}  ({command.key})", partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in key_commands(self.screen):
            label = f"{command.name}  ({command.key})"
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, command), help=command.help)
