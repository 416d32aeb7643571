"""KeyFooter: the footer, never cut. Textual's footer shows every key that applies and lets
the line run off the screen; this one shows the keys in their order of importance (the
focused widget's first, in the order of its bindings, then its screen's, then the app's) as
long as they fit, keeps ``? Help`` (which lists them all) and the palette key, and drops the
rest where the terminal is narrow."""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; stable since Textual 0.60

HELP_ACTIONS = frozenset({"help", "app.help"})

Entry = tuple[Binding, bool, str]  # (binding, enabled, tooltip)


def fitting(entries: list[tuple[Entry, str]], room: int) -> list[Entry]:
    """The entries (each with its key as shown) that fit ``room`` cells, in order: the help
    key always, the others until one does not fit."""
    def width(entry: Entry, key: str) -> int:
        return cell_len(key) + 1 + cell_len(entry[0].description) + 1

    helps = [(e, k) for e, k in entries if e[0].action in HELP_ACTIONS]
    room -= sum(width(e, k) for e, k in helps)
    out: list[Entry] = []
    for entry, key in entries:
        if entry[0].action in HELP_ACTIONS:
            out.append(entry)
            continue
        room -= width(entry, key)
        if room < 0:
            break
        out.append(entry)
    out += [e for e, _k in helps if e not in out]
    return out


class KeyFooter(Footer):
    """See the module docstring; compact."""

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._laid_for = 0

    def _entries(self) -> Iterator[tuple[Entry, str]]:
        seen: set[str] = set()
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                yield (binding, enabled, tooltip), self.app.get_key_display(binding)

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        width = self.size.width or self.app.size.width
        self._laid_for = width
        room = width - 1
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
            if palette is not None:
                _node, binding, _enabled, _tooltip = palette
                room -= cell_len(self.app.get_key_display(binding)) + 2 + cell_len(
                    binding.description)
        for binding, enabled, tooltip in fitting(list(self._entries()), room):
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            binding.description, binding.action, disabled=not enabled,
                            tooltip=tooltip or binding.tooltip or binding.description,
                            ).data_bind(compact=Footer.compact)
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            yield FooterKey(binding.key, self.app.get_key_display(binding),
                            binding.description, binding.action, classes="-command-palette",
                            disabled=not enabled,
                            tooltip=binding.tooltip or binding.description)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_for and self._bindings_ready:
            self.call_after_refresh(self.recompose)
