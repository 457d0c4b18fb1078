"""`validate`, `to_mongo` and `from_mongo` of each field type with valid and invalid values."""

import datetime
import decimal
import re
from collections import OrderedDict

from bson import Decimal128, ObjectId
from scenario_helpers import check, oid, show, typed

from aiomongodel import Document, EmbeddedDocument
from aiomongodel.errors import ValidationError
from aiomongodel.fields import (
    AnyField,
    BoolField,
    DateTimeField,
    DecimalField,
    EmailField,
    EmbDocField,
    FloatField,
    IntField,
    ListField,
    ObjectIdField,
    RefField,
    StrField,
)


def arg(value):
    """The value as a label part (labels cannot hold ': ')."""
    return show(value).replace(": ", ":")


def validated(field, value):
    """'ok' or the ValidationError's as_dict(); other exceptions propagate to check()."""

    def run():
        try:
            result = field.validate(value)
        except ValidationError as exc:
            return ("invalid", exc.as_dict())
        return ("ok", result)

    return run


class Point(EmbeddedDocument):
    x = IntField(gte=0)
    y = IntField(required=False)


class Owner(Document):
    name = StrField(required=False)


class NamedOwner(Document):
    _id = StrField(max_length=3)


DT = datetime.datetime(2020, 1, 2, 3, 4, 5)
OID = oid(0xABC)

CASES = {
    "any": (
        AnyField(),
        ["x", 1, None, [1], {"a": 1}, object, 2**70],
    ),
    "any_none": (AnyField(allow_none=True), [None]),
    "any_choices": (AnyField(choices=[1, "a"]), [1, "a", 2, None]),
    "str": (StrField(), ["abc", "", None, 1, b"x", ["a"], True]),
    "str_blank": (StrField(allow_blank=True), ["", "x"]),
    "str_none": (StrField(allow_none=True), [None, ""]),
    "str_regex": (StrField(regex=r"^[a-z]+$"), ["abc", "ABC", "", "abc1"]),
    "str_regex_search": (StrField(regex=r"[0-9]{2}"), ["ab12", "12ab", "x"]),
    "str_regex_compiled": (StrField(regex=re.compile(r"^a", re.I)), ["Abc", "b"]),
    "str_min": (StrField(min_length=3), ["ab", "abc", ""]),
    "str_min0": (StrField(min_length=0), [""]),
    "str_max": (StrField(max_length=3), ["abcd", "abc", ""]),
    "str_max0": (StrField(max_length=0), ["", "a"]),
    "str_all": (
        StrField(regex=r"^[a-z]*$", min_length=2, max_length=4),
        ["", "A", "ABCDEF", "a", "abcdef", "abc"],
    ),
    "str_all_blank": (
        StrField(regex=r"^[a-z]+$", min_length=2, allow_blank=True),
        ["", "a", "AB"],
    ),
    "str_choices": (
        StrField(choices=["a", "b"], max_length=0, regex="z"),
        ["a", "c", "", None, 1],
    ),
    "str_choices_dict": (StrField(choices={"a": "A", "b": "B"}), ["a", "A", "c"]),
    "email": (
        EmailField(),
        ["a@b.cd", "a.b+c@d-e.fg", "ab", "a@b", "", None, 5, "a@b.c d"],
    ),
    "email_max": (EmailField(max_length=5), ["a@b.cd", "abcdefg@h.ij", "x"]),
    "int": (
        IntField(),
        [
            1,
            0,
            -5,
            True,
            False,
            1.0,
            "1",
            None,
            decimal.Decimal(1),
            2**63 - 1,
            2**63,
            -(2**63),
            -(2**63) - 1,
            2**70,
        ],
    ),
    "int_bounds": (
        IntField(gt=0, gte=2, lt=10, lte=8),
        [0, 1, 2, 8, 9, 10, 11, 5],
    ),
    "int_gt": (IntField(gt=5, lte=13), [5, 6, 13, 14, 0]),
    "int_none": (IntField(allow_none=True, gt=0), [None, 0]),
    "int_choices": (IntField(choices=[1, 2], gt=10), [1, 3, 11, True]),
    "float": (
        FloatField(),
        [1.5, 0.0, 1, True, "1.5", None, float("nan"), float("inf"), decimal.Decimal("1.5")],
    ),
    "float_bounds": (FloatField(gte=0.5, lt=1.0), [0.4, 0.5, 1.0, 0.9, float("nan")]),
    "decimal": (
        DecimalField(),
        [
            decimal.Decimal("1.5"),
            decimal.Decimal("NaN"),
            decimal.Decimal("sNaN"),
            decimal.Decimal("Infinity"),
            decimal.Decimal("1E+6145"),
            decimal.Decimal("1E-6177"),
            decimal.Decimal("1." + "1" * 40),
            1,
            1.5,
            "1.5",
            None,
            True,
        ],
    ),
    "decimal_bounds": (
        DecimalField(gt=decimal.Decimal(0), lte=decimal.Decimal(10)),
        [decimal.Decimal(0), decimal.Decimal("0.1"), decimal.Decimal(11)],
    ),
    "bool": (BoolField(), [True, False, 1, 0, "true", None]),
    "bool_choices": (BoolField(choices=[True]), [True, False]),
    "datetime": (
        DateTimeField(),
        [DT, datetime.date(2020, 1, 2), "2020-01-02", 0, None],
    ),
    "objectid": (ObjectIdField(), [OID, str(OID), b"abcdefghijkl", None, 1]),
    "embdoc": (
        EmbDocField(Point),
        [Point(x=1), Point(x=-1), Point(), Point(x="a"), {"x": 1}, None, Owner()],
    ),
    "embdoc_none": (EmbDocField(Point, allow_none=True), [None]),
    "list": (
        ListField(IntField(gt=0)),
        [[1, 2], [], [0, 1, -1], (1, 2), None, "12", [None], {1: 2}, [1, "a"]],
    ),
    "list_bounds": (
        ListField(IntField(), min_length=2, max_length=3),
        [[1], [1, 2], [1, 2, 3, 4], [], [1, "a"], ["a"]],
    ),
    "list_emb": (ListField(EmbDocField(Point)), [[Point(x=1), Point(x=-2), Point()], [{"x": 1}]]),
    "list_nested": (ListField(ListField(IntField())), [[[1], ["a"]], [1]]),
    "list_choices": (ListField(IntField(), choices=[(1,)]), [[1], [2]]),
    "ref_oid": (
        RefField(Owner),
        [OID, str(OID), Owner(_id=OID), Owner(), NamedOwner(_id="a"), None, 1],
    ),
    "ref_str": (
        RefField(NamedOwner),
        ["abc", "abcd", NamedOwner(_id="ab"), NamedOwner(_id="abcd"), 1, None, Owner()],
    ),
    "ref_none": (RefField(Owner, allow_none=True), [None]),
}

for fname, (field, values) in CASES.items():
    for value in values:
        check(f"{fname}.validate({arg(value)})", validated(field, value))

# to_mongo and from_mongo
CONVERSIONS = {
    "str": (StrField(), ["a", None, 1]),
    "int": (IntField(), [1, None, "x"]),
    "float": (FloatField(), [1.5, None, 1]),
    "bool": (BoolField(), [True, None]),
    "datetime": (DateTimeField(), [DT, None]),
    "objectid": (ObjectIdField(), [OID, None, str(OID)]),
    "any": (AnyField(), [{"a": [1]}, None, Point(x=1)]),
    "decimal": (
        DecimalField(),
        [decimal.Decimal("1.50"), None, decimal.Decimal("NaN"), 1, "2.5"],
    ),
    "embdoc": (EmbDocField(Point), [Point(x=1, y=2), Point(), None, Point(y=5)]),
    "list_emb": (ListField(EmbDocField(Point)), [[Point(x=1)], [], None]),
    "list_int": (ListField(IntField()), [[1, 2], None]),
    "ref_oid": (RefField(Owner), [Owner(_id=OID), OID, None]),
    "ref_str": (RefField(NamedOwner), [NamedOwner(_id="ab"), "ab", None]),
}
for fname, (field, values) in CONVERSIONS.items():
    for value in values:
        check(f"{fname}.to_mongo({arg(value)})", lambda f=field, v=value: f.to_mongo(v), typed)

FROM_MONGO = {
    "str": (StrField(), ["a", None]),
    "int": (IntField(), [1, None]),
    "objectid": (ObjectIdField(), [OID, None]),
    "datetime": (DateTimeField(), [DT, None]),
    "decimal": (
        DecimalField(),
        [Decimal128("1.50"), Decimal128("NaN"), 1.5, 2, "3.25", decimal.Decimal("4.5"), None],
    ),
    "embdoc": (
        EmbDocField(Point),
        [{"x": 1, "y": 2}, {"x": 1, "zz": 3}, {}, OrderedDict([("y", 2), ("x", 1)]), None],
    ),
    "list_emb": (ListField(EmbDocField(Point)), [[{"x": 1}], [], None]),
    "list_int": (ListField(IntField()), [[1, 2], None]),
    "ref_oid": (RefField(Owner), [OID, None]),
    "ref_str": (RefField(NamedOwner), ["ab", None]),
}
for fname, (field, values) in FROM_MONGO.items():
    for value in values:
        check(f"{fname}.from_mongo({arg(value)})", lambda f=field, v=value: f.from_mongo(v), typed)

check("ObjectId.unused", lambda: ObjectId is not None)

# Options changed after the field was created apply to the next validation, as in 0.2.
MUTATED = StrField(max_length=3, regex="a")
MUTATED.max_length = 1
check("str.mutated_max_length.validate('ab')", validated(MUTATED, "ab"))
MUTATED.regex = re.compile("b")
check("str.mutated_regex.validate('a')", validated(MUTATED, "a"))
