"""The continuation store: bounded LRU, expiry, ids that name their backend, saving and loading."""

from __future__ import annotations

import json

import pytest

from massgen.generation.store import Continuation, ContinuationError, ContinuationStore
from massgen.media import MediaItem, MediaType


def made(backend: str, prompt: str, **fields) -> MediaItem:
    """An image a backend made from a prompt, as generation hands it to the store."""
    return MediaItem("image/png", generator=backend, prompt=prompt, **fields)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ids_name_the_backend_and_use_the_provider_ref_when_given():
    store = ContinuationStore()
    own = store.add(made("demo", "a fox"))
    provider = store.add(made("openai", "a cat"), provider_ref="resp_42")
    assert own.id.startswith("demo:") and len(own.id) > len("demo:") + 8
    assert provider.id == "openai:resp_42"
    assert store.get(provider.id).item.prompt == "a cat"


def test_least_recently_used_goes_first_when_full():
    store = ContinuationStore(max_entries=3)
    a, b, c = (store.add(made("demo", p)) for p in "abc")
    store.get(a.id)  # a is now the most recent
    d = store.add(made("demo", "d"))
    assert b.id not in store and store.forgot(b.id)  # pushed out: a later miss reads as an expiry
    assert {a.id, c.id, d.id} == set(store.ids())
    assert len(store) == 3


def test_entries_expire_after_the_ttl_since_last_use():
    clock = Clock()
    store = ContinuationStore(ttl_seconds=60, clock=clock)
    entry = store.add(made("demo", "x"))
    clock.now += 50
    assert store.get(entry.id) is not None  # use refreshes it
    clock.now += 50
    assert store.get(entry.id) is not None
    clock.now += 61
    assert store.get(entry.id) is None
    with pytest.raises(ContinuationError, match="unknown or expired"):
        store.require(entry.id)
    assert store.forgot(entry.id) and not store.forgot("demo:never-made")


def test_save_and_load_round_trip_keeps_order_and_data(tmp_path):
    store = ContinuationStore()
    first = store.add(made("demo", "one", path=str(tmp_path / "one.png")), data={"spec": {"hue": 0.5}})
    second = store.add(made("openai", "two", model="gpt-image-2"), provider_ref="resp_9")
    target = store.save(tmp_path / "session" / "continuations.json")
    loaded = ContinuationStore.load(target)
    assert loaded.ids() == [first.id, second.id]
    again = loaded.get(first.id)
    assert again.data == {"spec": {"hue": 0.5}} and again.item.path == str(tmp_path / "one.png")
    assert loaded.get(second.id).item.model == "gpt-image-2" and loaded.get(second.id).item == second.item
    assert not list(target.parent.glob("*.tmp"))


def test_paths_inside_the_folder_are_saved_relative_so_the_folder_can_move(tmp_path):
    store = ContinuationStore()
    entry = store.add(made("demo", "one", path=str(tmp_path / "old" / "media" / "one.png")))
    store.save(tmp_path / "old" / "continuations.json", tmp_path / "old")
    saved = json.loads((tmp_path / "old" / "continuations.json").read_text())
    assert saved["entries"][0]["item"]["path"] == "media/one.png"
    (tmp_path / "old").rename(tmp_path / "new")
    moved = ContinuationStore.load(tmp_path / "new" / "continuations.json", tmp_path / "new")
    assert moved.get(entry.id).item.path == str(tmp_path / "new" / "media" / "one.png")


def test_a_file_the_previous_version_wrote_still_loads(tmp_path):
    """continuations.json as massgen-tui wrote it before the store held MediaItems (version 1, flat entries)."""
    old = {"version": 1, "entries": [
        {"id": "demo:ab12", "backend": "demo", "media_type": "image", "prompt": "a lighthouse", "model": "demo-scene-1",
         "path": "media/lighthouse.png", "provider_ref": None, "data": {"spec": {"hue": 0.1}},
         "created": 1000.0, "last_used": 1000.0},
        {"id": "openai:resp_7", "backend": "openai", "media_type": "video", "prompt": "waves", "model": "sora-2",
         "path": None, "provider_ref": "resp_7", "data": {}, "created": 990.0, "last_used": 990.0}]}
    path = tmp_path / "continuations.json"
    path.write_text(json.dumps(old))
    store = ContinuationStore.load(path, tmp_path, clock=Clock())
    assert store.ids() == ["openai:resp_7", "demo:ab12"]  # least recently used first
    image = store.get("demo:ab12")
    assert image.item == MediaItem("image/png", generator="demo", prompt="a lighthouse", model="demo-scene-1",
                                   path=str(tmp_path / "media" / "lighthouse.png"))
    assert image.data == {"spec": {"hue": 0.1}} and image.item.media_type == MediaType.IMAGE
    video = store.get("openai:resp_7")
    assert (video.item.media_type, video.item.generator, video.provider_ref) == (MediaType.VIDEO, "openai", "resp_7")


def test_loading_drops_expired_entries():
    clock = Clock()
    text = ContinuationStore(clock=clock).to_json()
    payload = json.loads(text)
    payload["entries"] = [
        {"id": "demo:old", "backend": "demo", "media_type": "image", "prompt": "x", "last_used": 0.0},
        {"id": "demo:new", "backend": "demo", "media_type": "image", "prompt": "y", "last_used": 999.0},
    ]
    loaded = ContinuationStore.from_json(json.dumps(payload), ttl_seconds=100, clock=clock)
    assert loaded.ids() == ["demo:new"]


def test_missing_file_gives_an_empty_store_or_a_clear_error(tmp_path):
    assert len(ContinuationStore.load(tmp_path / "none.json")) == 0
    with pytest.raises(ContinuationError, match="no saved continuations"):
        ContinuationStore.load(tmp_path / "none.json", missing_ok=False)


@pytest.mark.parametrize("content,problem", [("{not json", "not valid JSON"), ('{"entries": 3}', "expected"),
                                             ('{"entries": [{"id": "x"}]}', "lacks")])
def test_corrupt_files_are_one_line_errors(tmp_path, content, problem):
    path = tmp_path / "c.json"
    path.write_text(content)
    with pytest.raises(ContinuationError) as err:
        ContinuationStore.load(path)
    assert problem in str(err.value) and str(path) in str(err.value) and "\n" not in str(err.value)


def test_a_continuation_whose_file_is_gone_says_so(tmp_path):
    entry = Continuation("demo:1", made("demo", "p", path=str(tmp_path / "gone.png")))
    with pytest.raises(ContinuationError, match="gone.png is gone"):
        entry.require_path()
