"""aiomongodel.utils: snake_case and import_class."""

import sys

from scenario_helpers import check

from aiomongodel import utils
from aiomongodel.utils import import_class, snake_case

NAMES = [
    "User",
    "HTTPRequest",
    "ABTest",
    "Doc2Doc",
    "Test_Doc",
    "getHTTPResponseCode",
    "CamelCase",
    "camelCase",
    "Camel2Camel2Case",
    "getHTTP2Response",
    "HTTP2Request",
    "ABC",
    "A",
    "a",
    "",
    "already_snake",
    "Snake_Case",
    "_Private",
    "__Dunder",
    "Trailing_",
    "UPPER_CASE",
    "MyXMLParser",
    "IPv6Address",
    "Version2",
    "V2Api",
    "User123Profile",
    "ÄrgerDoc",
    "with space",
    "Dots.In.Name",
    "ABCdefGHI",
    "aB",
    "Ab",
    "AB",
]
for name in NAMES:
    check(f"snake_case({name!r})", lambda n=name: snake_case(n))

check("snake_case(None)", lambda: snake_case(None))
check("snake_case(1)", lambda: snake_case(1))

check("cache.type", lambda: type(utils.CLASSES_CACHE).__name__)
check(
    "cache.initial_keys",
    lambda: sorted(k for k in utils.CLASSES_CACHE if not k.startswith("aiomongodel")),
)

CLASS_PATHS = [
    "aiomongodel.Document",
    "aiomongodel.document.Document",
    "aiomongodel.EmbeddedDocument",
    "aiomongodel.fields.StrField",
    "collections.OrderedDict",
    "os.path.join",
    "__main__.Local",
    "Xxx",
    "aiomongodel.WrongNameClass",
    "wrong.Class",
    "aiomongodel.",
    ".Document",
    "",
    "aiomongodel.utils.CLASSES_CACHE",
]


class Local:
    pass


for path in CLASS_PATHS:
    check(f"import_class({path!r})", lambda p=path: import_class(p))

check("import_class(None)", lambda: import_class(None))
check("import_class(1)", lambda: import_class(1))
check("import_class(Local)", lambda: import_class(Local))
check(
    "import_class.same",
    lambda: import_class("collections.OrderedDict") is import_class("collections.OrderedDict"),
)
check("cache.has_ordered_dict", lambda: "collections.OrderedDict" in utils.CLASSES_CACHE)
check("cache.has_local", lambda: utils.CLASSES_CACHE.get("__main__.Local") is Local)
check("cache.has_wrong", lambda: "aiomongodel.WrongNameClass" in utils.CLASSES_CACHE)
check("cache.bad_paths_not_kept", lambda: "wrong.Class" in utils.CLASSES_CACHE)


def cached_value():
    utils.CLASSES_CACHE["fake.path.Thing"] = int
    return import_class("fake.path.Thing")


check("cache.is_consulted", cached_value)


def replaced_cache():
    utils.CLASSES_CACHE.pop("collections.OrderedDict", None)
    sys.modules.pop("json", None)
    return import_class("json.JSONDecoder").__name__


check("import_class.imports_module", replaced_cache)
check("cache.module_is_dict", lambda: isinstance(utils.CLASSES_CACHE, dict))
