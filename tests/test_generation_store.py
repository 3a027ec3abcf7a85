"""The continuation store: bounded LRU, expiry, ids that name their backend, saving and loading."""

from __future__ import annotations

import json

import pytest

from massgen.generation.store import Continuation, ContinuationError, ContinuationStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_ids_name_the_backend_and_use_the_provider_ref_when_given():
    store = ContinuationStore()
    own = store.add("demo", "image", "a fox")
    provider = store.add("openai", "image", "a cat", provider_ref="resp_42")
    assert own.id.startswith("demo:") and len(own.id) > len("demo:") + 8
    assert provider.id == "openai:resp_42"
    assert store.get(provider.id).prompt == "a cat"


def test_least_recently_used_goes_first_when_full():
    store = ContinuationStore(max_entries=3)
    a, b, c = (store.add("demo", "image", p) for p in "abc")
    store.get(a.id)  # a is now the most recent
    d = store.add("demo", "image", "d")
    assert b.id not in store
    assert {a.id, c.id, d.id} == set(store.ids())
    assert len(store) == 3


def test_entries_expire_after_the_ttl_since_last_use():
    clock = Clock()
    store = ContinuationStore(ttl_seconds=60, clock=clock)
    entry = store.add("demo", "image", "x")
    clock.now += 50
    assert store.get(entry.id) is not None  # use refreshes it
    clock.now += 50
    assert store.get(entry.id) is not None
    clock.now += 61
    assert store.get(entry.id) is None
    with pytest.raises(ContinuationError, match="unknown or expired"):
        store.require(entry.id)


def test_save_and_load_round_trip_keeps_order_and_data(tmp_path):
    store = ContinuationStore()
    first = store.add("demo", "image", "one", path=tmp_path / "one.png", data={"spec": {"hue": 0.5}})
    second = store.add("openai", "image", "two", provider_ref="resp_9", model="gpt-image-2")
    target = store.save(tmp_path / "session" / "continuations.json")
    loaded = ContinuationStore.load(target)
    assert loaded.ids() == [first.id, second.id]
    again = loaded.get(first.id)
    assert again.data == {"spec": {"hue": 0.5}} and again.path == str(tmp_path / "one.png")
    assert loaded.get(second.id).model == "gpt-image-2"
    assert not list(target.parent.glob("*.tmp"))


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
    entry = Continuation("demo:1", "demo", "image", "p", path=str(tmp_path / "gone.png"))
    with pytest.raises(ContinuationError, match="gone.png is gone"):
        entry.require_path()
