"""The minimal update between two stored forms (``aiomongodel.changes``), without a server.

The server-side half (the update applied gives what ``save()`` stores) is in
``tests/queryset/test_save_changes.py``.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from typing import Any

import pytest
from bson import SON, Decimal128, Int64, ObjectId, Regex

from aiomongodel.changes import same, stored_copy, update_between


class TestStoredCopy:
    def test_shares_no_container(self) -> None:
        value: dict[str, Any] = {"a": [1, {"b": [2]}], "c": {"d": {"e": 1}}}
        copy = stored_copy(value)
        assert copy == value
        value["a"][1]["b"].append(3)
        value["c"]["d"]["e"] = 2
        assert copy == {"a": [1, {"b": [2]}], "c": {"d": {"e": 1}}}

    def test_tuples_become_lists_as_bson_stores_them(self) -> None:
        assert stored_copy({"a": (1, (2,))}) == {"a": [1, [2]]}

    def test_mappings_inside_plain_containers_become_dicts(self) -> None:
        inner = SON([("b", [1])])
        copy = stored_copy({"a": [inner, (OrderedDict(c=2),)]})
        assert copy == {"a": [{"b": [1]}, [{"c": 2}]]}
        assert type(copy["a"][0]) is dict
        assert type(copy["a"][1][0]) is dict
        inner["b"].append(2)
        assert copy["a"][0] == {"b": [1]}

    def test_scalars_are_shared_and_keep_their_types(self) -> None:
        scalars = [
            "s",
            1,
            Int64(2),
            1.5,
            True,
            None,
            b"x",
            ObjectId(),
            datetime.datetime(2026, 1, 1),
            Decimal128("1.10"),
            Regex("^a"),
        ]
        copy = stored_copy({"v": scalars})
        assert all(a is b for a, b in zip(copy["v"], scalars, strict=True))


class TestSame:
    @pytest.mark.parametrize(
        ("a", "b"),
        [
            (1, 1.0),
            (1, True),
            (0, False),
            (0.0, -0.0),
            (1, Int64(1)),
            ("1", 1),
            ({"a": 1, "b": 2}, {"b": 2, "a": 1}),  # stored key order differs
            ([1, 2], [2, 1]),
            ({"a": 1}, [1]),
            (None, 0),
        ],
    )
    def test_values_stored_differently_differ(self, a: Any, b: Any) -> None:
        assert not same(a, b)
        assert not same(b, a)

    @pytest.mark.parametrize(
        ("a", "b"),
        [
            (float("nan"), float("nan")),
            ([1, (2, 3)], (1, [2, 3])),
            (ObjectId("5f0000000000000000000000"), ObjectId("5f0000000000000000000000")),
            (Decimal128("1.5"), Decimal128("1.5")),
            (datetime.datetime(2024, 1, 2), datetime.datetime(2024, 1, 2)),
        ],
    )
    def test_values_stored_alike_are_the_same(self, a: Any, b: Any) -> None:
        assert same(a, b)

    def test_a_comparison_that_raises_counts_as_changed(self) -> None:
        class Odd:
            def __eq__(self, other: object) -> bool:
                raise RuntimeError("no")

            __hash__ = object.__hash__

        assert not same(Odd(), Odd())


class TestUpdateBetween:
    def test_nothing_changed_is_no_update(self) -> None:
        stored = {"_id": 1, "a": [1, {"b": 2}], "c": {"d": None}}
        assert update_between(stored, stored_copy(stored)) == {}

    def test_changed_added_and_removed_top_level_fields(self) -> None:
        update = update_between({"_id": 1, "a": 1, "b": 2}, {"_id": 1, "a": 3, "c": 4})
        assert update == {"$set": {"a": 3, "c": 4}, "$unset": {"b": ""}}

    def test_embedded_documents_are_updated_by_dotted_paths(self) -> None:
        stored = {"e": {"x": 1, "y": {"z": 2, "w": 3}}}
        current = {"e": {"x": 1, "y": {"z": 5}, "n": 6}}
        assert update_between(stored, current) == {
            "$set": {"e.y.z": 5, "e.n": 6},
            "$unset": {"e.y.w": ""},
        }

    def test_an_embedded_document_whose_key_order_changed_is_set_whole(self) -> None:
        # Dotted updates keep the stored order, so they would store another document.
        stored = {"e": {"x": 1, "y": 2}}
        current = {"e": {"y": 2, "x": 1}}
        assert update_between(stored, current) == {"$set": {"e": {"y": 2, "x": 1}}}

    def test_keys_added_out_of_lexicographic_order_set_the_document_whole(self) -> None:
        # The server adds the fields of one update in lexicographic order.
        assert update_between({"e": {"k": 1}}, {"e": {"k": 1, "b": 2, "a": 3}}) == {
            "$set": {"e": {"k": 1, "b": 2, "a": 3}}
        }
        assert update_between({"e": {"k": 1}}, {"e": {"k": 1, "a": 3, "b": 2}}) == {
            "$set": {"e.a": 3, "e.b": 2}
        }

    def test_a_key_added_before_a_kept_one_sets_the_document_whole(self) -> None:
        stored = {"e": {"y": 2}}
        current = {"e": {"x": 1, "y": 2}}
        assert update_between(stored, current) == {"$set": {"e": {"x": 1, "y": 2}}}

    @pytest.mark.parametrize("key", ["a.b", "$x", ""])
    def test_a_key_that_cannot_be_in_a_path_sets_the_document_whole(self, key: str) -> None:
        stored: dict[str, Any] = {"e": {"k": 1}}
        current: dict[str, Any] = {"e": {"k": 1, key: 2}}
        assert update_between(stored, current) == {"$set": {"e": current["e"]}}

    def test_items_of_a_list_of_the_same_length_are_set_by_index(self) -> None:
        stored = {"l": [1, {"a": 1, "b": [1, 2]}, 3]}
        current = {"l": [1, {"a": 2, "b": [1, 5]}, 4]}
        assert update_between(stored, current) == {"$set": {"l.1.a": 2, "l.1.b.1": 5, "l.2": 4}}

    def test_items_appended_are_pushed(self) -> None:
        update = update_between({"l": [1, 2]}, {"l": [1, 2, 3, 4]})
        assert update == {"$push": {"l": {"$each": [3, 4]}}}

    def test_a_list_cut_to_a_prefix_is_sliced(self) -> None:
        assert update_between({"l": [1, 2, 3]}, {"l": [1]}) == {
            "$push": {"l": {"$each": [], "$slice": 1}}
        }
        assert update_between({"l": [1, 2, 3]}, {"l": []}) == {
            "$push": {"l": {"$each": [], "$slice": 0}}
        }

    @pytest.mark.parametrize(
        ("before", "after"),
        [([1, 2, 3], [0, 1, 2, 3]), ([1, 2, 3], [1, 3]), ([1, 2], [2, 1, 3])],
    )
    def test_other_list_changes_set_the_list_whole(
        self, before: list[int], after: list[int]
    ) -> None:
        assert update_between({"l": before}, {"l": after}) == {"$set": {"l": after}}

    def test_a_value_of_another_type_is_set(self) -> None:
        stored: dict[str, Any] = {"a": 1, "b": {"x": 1}, "c": [1]}
        current: dict[str, Any] = {"a": 1.0, "b": [1], "c": {"x": 1}}
        assert update_between(stored, current) == {"$set": current}

    def test_skipped_keys_are_left_out(self) -> None:
        update = update_between({"v": 1, "a": 1}, {"v": 2, "a": 2}, frozenset({"v"}))
        assert update == {"$set": {"a": 2}}
        assert update_between({"v": 1}, {}, frozenset({"v"})) == {}
