"""What each terminal pastes when files are dropped, typed @paths, and paths typed without bracketed paste."""

from __future__ import annotations

import shlex
import string
import tempfile
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from massgen.attachments import extract_at_paths, find_typed_paths, load_attachment, parse_paste, scan_paste


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Files whose names need every kind of quoting."""
    folder = tmp_path / "My Pictures"
    folder.mkdir()
    names = {"plain": "a.png", "space": "two words.png", "quote": "it's \"here\".png", "dollar": "cost $5.txt",
             "unicode": "café ☕ 写真.png", "newline": "line\nbreak.txt"}
    out = {}
    for key, name in names.items():
        path = folder / name
        path.write_bytes(b"x")
        out[key] = path
    return out


def gnome(*paths: Path) -> str:
    """GNOME Terminal / VTE: g_shell_quote each path, space-joined, trailing space."""
    return " ".join("'" + str(p).replace("'", "'\\''") + "'" for p in paths) + " "


def backslashed(*paths: Path) -> str:
    """iTerm2 / Terminal.app: every shell character escaped with a backslash."""
    special = set(" \t'\"$\\\n()&;|<>*?[]{}!#`")
    return " ".join("".join("\\" + c if c in special else c for c in str(p)) for p in paths)


def test_gnome_single_quoted_with_trailing_space(files, tmp_path):
    picked = [files["space"], files["quote"], files["dollar"]]
    assert parse_paste(gnome(*picked), tmp_path, tmp_path) == picked


def test_iterm_backslash_escaped(files, tmp_path):
    picked = [files["space"], files["quote"], files["unicode"]]
    assert parse_paste(backslashed(*picked), tmp_path, tmp_path) == picked


def test_terminal_app_backslash_escaped_single_file_with_trailing_space(files, tmp_path):
    assert parse_paste(backslashed(files["space"]) + " ", tmp_path, tmp_path) == [files["space"]]


def test_kitty_raw_newline_separated(files, tmp_path):
    picked = [files["space"], files["quote"], files["unicode"]]
    assert parse_paste("\n".join(map(str, picked)) + "\n", tmp_path, tmp_path) == picked


def test_alacritty_raw_path_with_spaces_and_trailing_space(files, tmp_path):
    assert parse_paste(f"{files['space']} ", tmp_path, tmp_path) == [files["space"]]


def test_wezterm_spaces_only_escaping(files, tmp_path):
    text = str(files["space"]).replace(" ", "\\ ") + " " + str(files["plain"]).replace(" ", "\\ ")
    assert parse_paste(text, tmp_path, tmp_path) == [files["space"], files["plain"]]


def test_file_uris_with_percent_escapes_crlf_and_clipboard_header(files, tmp_path):
    picked = [files["space"], files["unicode"], files["newline"]]
    uris = [f"file://{quote(str(p))}" for p in picked]
    assert parse_paste("copy\r\n" + "\r\n".join(uris), tmp_path, tmp_path) == picked
    assert parse_paste(f"file://localhost{quote(str(files['space']))}", tmp_path, tmp_path) == [files["space"]]


def test_file_uri_of_another_host_says_so(tmp_path):
    (found,) = scan_paste("file://nas.local/share/photo.png", tmp_path, tmp_path)
    assert found.problem == "is a file on another computer (nas.local)"
    assert "nas.local" in load_attachment(found).error


def test_windows_terminal_quoted_windows_path_maps_to_wsl_mount(tmp_path):
    target = tmp_path / "mnt" / "c" / "Users" / "me" / "My Files" / "shot.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x")
    text = '"C:\\Users\\me\\My Files\\shot.png"'
    assert parse_paste(text, tmp_path, tmp_path, wsl_root=tmp_path / "mnt") == [target]
    uri = "file:///C:/Users/me/My%20Files/shot.png"
    assert parse_paste(uri, tmp_path, tmp_path, wsl_root=tmp_path / "mnt") == [target]


def test_windows_terminal_wsl_profile_single_quoted(tmp_path):
    target = tmp_path / "mnt" / "c" / "Users" / "me" / "it's.png"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"x")
    assert parse_paste(gnome(target), tmp_path, tmp_path) == [target]


@pytest.mark.parametrize("text", ["", "   \n", "hello world", "Please review this:\n\ndef f():\n    return 1\n",
                                  "http://example.com/a.png", "https://example.com/My%20File.png",
                                  "/api/v1/users", "1/2 cup of flour"])
def test_ordinary_text_stays_text(text, tmp_path):
    assert parse_paste(text, tmp_path, tmp_path) is None


def test_text_that_mentions_an_existing_path_stays_text(files, tmp_path):
    assert parse_paste(f"what is in {files['plain']} ?", tmp_path, tmp_path) is None


def test_relative_paths_resolve_against_the_given_cwd(files):
    cwd = files["plain"].parent
    assert parse_paste("a.png", cwd, cwd) == [files["plain"]]
    assert parse_paste("./a.png '../My Pictures/two words.png'", cwd, cwd) == [files["plain"], files["space"]]


def test_a_bare_word_naming_a_folder_here_stays_text(files):
    cwd = files["plain"].parent.parent
    assert parse_paste("My Pictures", cwd, cwd) is None
    assert parse_paste("'./My Pictures'", cwd, cwd) == [files["plain"].parent]


def test_tilde_resolves_against_the_given_home(files):
    home = files["plain"].parent.parent
    assert parse_paste("'~/My Pictures/a.png'", "/", home) == [files["plain"]]
    assert parse_paste("~/My\\ Pictures/two\\ words.png", "/", home) == [files["space"]]


def test_a_huge_paste_is_text_without_touching_the_disk(tmp_path):
    assert parse_paste("/tmp/x " * 20_000, tmp_path, tmp_path) is None


names = st.text(alphabet=st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)), min_size=1, max_size=24)


@settings(max_examples=60, deadline=None)
@given(st.lists(names.filter(lambda n: n not in (".", "..") and n.strip() == n and "\n" not in n and "\r" not in n),
                min_size=1, max_size=4, unique=True))
def test_any_names_round_trip_through_every_quoting_style(names_):
    """Whatever the names, each terminal's quoting of them parses back to exactly those files."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = []
        for name in names_:
            try:
                (root / name).write_bytes(b"x")
            except OSError:  # a name the filesystem refuses (too long in bytes)
                return
            paths.append(root / name)
        assert parse_paste(" ".join(shlex.quote(str(p)) for p in paths), root, root) == paths
        assert parse_paste(gnome(*paths), root, root) == paths
        assert parse_paste(backslashed(*paths), root, root) == paths
        assert parse_paste("\n".join(f"file://{quote(str(p))}" for p in paths), root, root) == paths


# --- typed @paths ------------------------------------------------------------------------------


def test_at_path_plain_and_quoted(files):
    cwd = files["plain"].parent
    text, found = extract_at_paths('compare @a.png with @"two words.png" and @\'it\'\\\'\'s "here".png\'', cwd, cwd)
    assert [d.path for d in found] == [files["plain"], files["space"], files["quote"]]
    assert text == 'compare a.png with two words.png and it\'s "here".png'


def test_at_path_with_escaped_spaces_and_trailing_punctuation(files):
    cwd = files["plain"].parent
    text, found = extract_at_paths("look at @two\\ words.png, please", cwd, cwd)
    assert [d.path for d in found] == [files["space"]]
    assert text == "look at two words.png, please"


def test_at_words_that_are_not_files_stay_text(files):
    cwd = files["plain"].parent
    original = "thanks @everyone, mail me@example.com"
    assert extract_at_paths(original, cwd, cwd) == (original, [])


def test_at_path_that_is_missing_is_reported(tmp_path):
    text, (found,) = extract_at_paths("see @./gone.png", tmp_path, tmp_path)
    assert found.path == tmp_path / "gone.png" and not found.exists
    assert "file not found" in load_attachment(found).error


# --- paths typed without bracketed paste --------------------------------------------------------


def test_a_drop_that_arrived_as_keystrokes_is_found_on_submit(files, tmp_path):
    text, found = find_typed_paths(gnome(files["space"], files["plain"]), tmp_path, tmp_path)
    assert text == "" and [d.path for d in found] == [files["space"], files["plain"]]


def test_paths_inside_a_sentence_are_attached_and_the_sentence_kept(files, tmp_path):
    sentence = f"describe {backslashed(files['space'])} and {gnome(files['quote'])}please"
    text, found = find_typed_paths(sentence, tmp_path, tmp_path)
    assert text == sentence
    assert [d.path for d in found] == [files["space"], files["quote"]]


def test_folders_and_missing_paths_in_a_sentence_are_left_alone(files, tmp_path):
    sentence = f"what lives in {files['plain'].parent} or /api/v1/users?"
    assert find_typed_paths(sentence, tmp_path, tmp_path) == (sentence, [])


def test_every_printable_ascii_name_survives_gnome_quoting(tmp_path):
    name = "".join(c for c in string.printable if c not in "/\n\r\x0b\x0c\t")
    path = tmp_path / name
    path.write_bytes(b"x")
    assert parse_paste(gnome(path), tmp_path, tmp_path) == [path]
    assert parse_paste(backslashed(path), tmp_path, tmp_path) == [path]
