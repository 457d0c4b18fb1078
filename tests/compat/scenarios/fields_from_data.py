"""`from_data` of every field type with values of every other type, shown with their types."""

import datetime
import decimal
import pathlib
import uuid

from scenario_helpers import check, oid, typed

from aiomongodel import Document, EmbeddedDocument
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


class Point(EmbeddedDocument):
    x = IntField()
    y = IntField(required=False)


class Owner(Document):
    name = StrField(required=False)


class NamedOwner(Document):
    _id = StrField()


class IntOwner(Document):
    _id = IntField()


FIELDS = {
    "any": AnyField(),
    "str": StrField(),
    "email": EmailField(),
    "int": IntField(),
    "float": FloatField(),
    "decimal": DecimalField(),
    "bool": BoolField(),
    "datetime": DateTimeField(),
    "objectid": ObjectIdField(),
    "embdoc": EmbDocField(Point),
    "list_int": ListField(IntField()),
    "list_emb": ListField(EmbDocField(Point)),
    "ref_oid": RefField(Owner),
    "ref_str": RefField(NamedOwner),
    "ref_int": RefField(IntOwner),
}

OID = oid(0xABC)

VALUES = {
    "str": "abc",
    "str12": "12",
    "str-5": "-5",
    "str1.5": "1.5",
    "str1e3": "1e3",
    "str_true": "true",
    "str_false": "false",
    "str_False": "False",
    "str_0": "0",
    "str_no": "no",
    "str_off": "off",
    "str_space_false": " FALSE ",
    "str_empty": "",
    "str_spaces": "  7  ",
    "str_nan": "nan",
    "str_inf": "inf",
    "int0": 0,
    "int1": 1,
    "int13": 13,
    "int-5": -5,
    "bigint": 2**70,
    "float1.3": 1.3,
    "float1.0": 1.0,
    "float_nan": float("nan"),
    "float_inf": float("inf"),
    "decimal": decimal.Decimal("1.50"),
    "decimal_nan": decimal.Decimal("NaN"),
    "true": True,
    "false": False,
    "none": None,
    "list": [1, "2"],
    "list_dicts": [{"x": 1}, {"x": "2", "z": 3}],
    "empty_list": [],
    "tuple": (1, 2),
    "dict": {"x": "5", "y": 2},
    "dict_unknown": {"x": 1, "nope": 2},
    "empty_dict": {},
    "datetime": datetime.datetime(2020, 1, 2, 3, 4, 5),
    "date": datetime.date(2020, 1, 2),
    "objectid": OID,
    "oid_hex": str(OID),
    "bytes12": b"abcdefghijkl",
    "bytes3": b"abc",
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "path": pathlib.PurePosixPath("/tmp/x"),
    "embedded": Point(x=1, y=2),
    "document": Owner(_id=oid(7), name="bob"),
    "named_document": NamedOwner(_id="ann"),
    "set": {3},
}

for fname, field in FIELDS.items():
    for vname, value in VALUES.items():
        check(f"{fname}.from_data({vname})", lambda f=field, v=value: f.from_data(v), typed)

# identity: is the very same object returned?
check(
    "embdoc.same_instance",
    lambda: FIELDS["embdoc"].from_data(VALUES["embedded"]) is VALUES["embedded"],
)
check(
    "ref_oid.same_instance",
    lambda: FIELDS["ref_oid"].from_data(VALUES["document"]) is VALUES["document"],
)
check("any.same_list", lambda: FIELDS["any"].from_data(VALUES["list"]) is VALUES["list"])
check("list_int.new_list", lambda: FIELDS["list_int"].from_data(VALUES["list"]) is VALUES["list"])
check("str.same_str", lambda: FIELDS["str"].from_data(VALUES["str"]) is VALUES["str"])
