"""SuggestionsScreen: sentences holding a tag's cue words that are not tagged yet, to accept
(``a``), reject (``x``/``r``, remembered) or skip (``space``/``s``); Enter opens the article
at the sentence (Esc comes back here)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from reader.annotations.format import AnnotationFileError
from reader.review import suggest
from reader.review.rows import matching_articles
from reader.review.suggest import Suggestion
from reader.ui.messages import AnnotationsChanged, OpenPassage, announce
from reader.ui.screens.review_overview import clip
from reader.ui.services import Services
from reader.ui.widgets.key_footer import KeyFooter

SCREEN_NAME = "suggestions"
CUE_STYLE = "bold reverse"


def cue_spans(sentence: str, cues: Sequence[str]) -> list[tuple[int, int]]:
    """Words of ``sentence`` that look like one of ``cues`` (the cue or a word sharing its
    beginning: stemming found them, this only shows them)."""
    spans: list[tuple[int, int]] = []
    for cue in cues:
        words = cue.split()
        if not words:
            continue
        stems = [re.escape(w[: max(4, len(w) - 2)]) if len(w) > 4 else re.escape(w)
                 for w in words]
        pattern = r"\w*" + r"\w*\W+\w*".join(stems) + r"\w*"
        spans += [(m.start(), m.end()) for m in re.finditer(pattern, sentence, re.I)]
    return sorted(set(spans))


class SuggestionsLoaded(Message):
    def __init__(self, suggestions: list[Suggestion], error: str = "") -> None:
        super().__init__()
        self.suggestions, self.error = suggestions, error


class SuggestionsProgress(Message):
    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SuggestionsProgress)


class SuggestionsScreen(Screen[None]):
    CSS_PATH = "suggestions.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="Back", id="suggestions_back"),
        Binding("a", "accept", "Accept", tooltip="Tag this sentence with the tag",
                id="suggestion_accept"),
        Binding("x,r", "reject", "Reject", tooltip="Do not propose this sentence for this "
                "tag again", id="suggestion_reject"),
        Binding("space,s", "skip", "Skip", tooltip="Leave it for now, go to the next",
                id="suggestion_skip"),
    ]

    def __init__(self, services: Services, tags: Sequence[str] | None = None,
                 query: str = "") -> None:
        super().__init__()
        self.services = services
        self.tags = list(tags) if tags else None
        self.search_query = query.strip()  # only the articles this search finds
        self.suggestions: list[Suggestion] = []
        self.accepted = self.rejected = self.skipped = 0

    def compose(self) -> ComposeResult:
        yield Static("Finding sentences with the tags' cue words…", id="suggestions-status")
        yield ProgressBar(id="suggestions-progress", show_eta=False)
        yield OptionList(id="suggestions-list")
        yield KeyFooter()

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#suggestions-list", OptionList)

    def on_mount(self) -> None:
        self.option_list.focus()
        self.load()

    @work(thread=True, exclusive=True, group="suggestions", exit_on_error=False,
          name="find suggestions")
    def load(self) -> None:
        app = self.services
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            if worker.is_cancelled:
                raise KeyboardInterrupt
            self.post_message(SuggestionsProgress(done, total))

        try:
            ids = None
            if self.search_query:
                wanted = matching_articles(app.config, self.search_query, app.index)
                ids = [m.id for m in app.articles if m.id in wanted] or sorted(wanted)
            # the index names the articles holding a cue while it is up to date; while it
            # is being brought up to date every article is read
            index = app.index if app.keeper.idle else None
            found = suggest.suggest(app.config, self.tags, ids, store=app.store,
                                    library=app.library, vocabulary=app.vocabulary,
                                    progress=progress, index=index)
        except KeyboardInterrupt:
            return
        except (KeyError, OSError, ValueError) as exc:
            self.post_message(SuggestionsLoaded([], str(exc)))
            return
        self.post_message(SuggestionsLoaded(found))

    def on_suggestions_progress(self, message: SuggestionsProgress) -> None:
        bar = self.query_one("#suggestions-progress", ProgressBar)
        bar.display = message.done < message.total
        bar.update(total=message.total, progress=message.done)

    def on_suggestions_loaded(self, message: SuggestionsLoaded) -> None:
        self.query_one("#suggestions-progress").display = False
        if message.error:
            self._status(f"Cannot suggest: {message.error}")
            return
        self.suggestions = message.suggestions
        option_list = self.option_list
        option_list.clear_options()
        option_list.add_options([Option(self._prompt(s)) for s in self.suggestions])
        if self.suggestions:
            option_list.highlighted = 0
        self._update_status()

    def _prompt(self, s: Suggestion) -> Text:
        tag = self.services.vocabulary.get(s.tag)
        colour = tag.colour if tag is not None else "#888888"
        sentence = " ".join(s.sentence.split())
        body = Text(sentence)
        for a, b in cue_spans(sentence, s.cues or (s.cue,)):
            body.stylize(CUE_STYLE, a, b)
        head = Text.assemble((f"{s.tag}", f"bold {colour}"), "  ",
                             (f"cue: {', '.join(s.cues or (s.cue,))}", "dim"))
        width = max(20, self.app.size.width - 8)  # the title on one line of its own
        title = Text(clip(s.title or s.article_id, width), style="italic")
        return Text("\n").join([head, title, body])

    def _status(self, text: str, counts: bool = False) -> None:
        status = self.query_one("#suggestions-status", Static)
        status.update(text)
        status.set_class(counts, "-counts")

    def _update_status(self) -> None:
        """One line (cut with an ellipsis where narrow): what was done here first, then what
        is left, per tag."""
        per_tag = Counter(s.tag for s in self.suggestions)
        tags = ", ".join(f"{t} {n}" for t, n in per_tag.most_common())
        n = len(self.suggestions)
        scope = f" · in the articles of “{self.search_query}”" if self.search_query else ""
        if self.suggestions or self.accepted or self.rejected:
            self._status(f"{n} to review{scope} · accepted {self.accepted} · rejected "
                         f"{self.rejected} · skipped {self.skipped}"
                         f"{' · ' + tags if tags else ''}", counts=True)
        else:
            self._status(f"No suggestions{scope}: every sentence with a cue word is tagged "
                         "(add cue words to tags in the vocabulary for more).")

    # -- actions ---------------------------------------------------------------------------
    def _current(self) -> tuple[int, Suggestion] | None:
        i = self.option_list.highlighted
        if i is None or not 0 <= i < len(self.suggestions):
            return None
        return i, self.suggestions[i]

    def _drop(self, i: int) -> None:
        del self.suggestions[i]
        self.option_list.remove_option_at_index(i)
        if self.suggestions:
            self.option_list.highlighted = min(i, len(self.suggestions) - 1)
        self._update_status()

    def action_accept(self) -> None:
        current = self._current()
        if current is None:
            return
        i, s = current
        try:
            suggest.accept(self.services.config, s, self.services.store,
                           library=self.services.library)
        except (AnnotationFileError, OSError, LookupError, ValueError) as exc:
            self.notify(f"Could not tag: {exc}", severity="error")
            return
        self.accepted += 1
        self._drop(i)
        self.notify(f"Tagged {s.tag}: “{' '.join(s.sentence.split())[:50]}”")
        self._changed(s.article_id)

    def _changed(self, article_id: str) -> None:
        announce(self, AnnotationsChanged([article_id], "suggestions"))

    def action_reject(self) -> None:
        current = self._current()
        if current is None:
            return
        i, s = current
        try:
            suggest.reject(self.services.config, s)
        except (OSError, ValueError) as exc:
            self.notify(f"Could not remember the rejection: {exc}", severity="error")
            return
        self.rejected += 1
        self._drop(i)

    def action_skip(self) -> None:
        current = self._current()
        if current is None:
            return
        i, _ = current
        self.skipped += 1
        if i + 1 < len(self.suggestions):
            self.option_list.highlighted = i + 1
        self._update_status()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if not 0 <= event.option_index < len(self.suggestions):
            return
        s = self.suggestions[event.option_index]
        install(self.app, self)
        announce(self, OpenPassage(s.article_id, s.start, s.end, back_to=SCREEN_NAME))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(f"{event.worker.name}: {event.worker.error}",
                        title="Something went wrong", severity="error", timeout=10)

    def action_back(self) -> None:
        self.app.pop_screen()


def install(app: App[Any], screen: SuggestionsScreen) -> None:
    """Keep ``screen`` (so Esc from an opened article comes back to it as it was)."""
    if app.is_screen_installed(SCREEN_NAME):
        if app.get_screen(SCREEN_NAME) is screen:
            return
        app.uninstall_screen(SCREEN_NAME)
    app.install_screen(screen, SCREEN_NAME)


def open_suggestions(app: App[Any], services: Services,
                     tags: Sequence[str] | None = None, query: str = "") -> None:
    """Show fresh suggestions (for ``tags``, or every tag; in the articles ``query`` finds,
    or all)."""
    if app.is_screen_installed(SCREEN_NAME):
        old = app.get_screen(SCREEN_NAME)
        if old not in app.screen_stack:
            app.uninstall_screen(SCREEN_NAME)
    app.push_screen(SuggestionsScreen(services, tags, query))
