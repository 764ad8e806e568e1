"""The shape a descriptor (datapackage.json) must have before any check reads it.

A descriptor is outside data: any key may be missing, of the wrong type, huge or odd.  It
is checked here, once, against typed models of the parts the package checks use (other
keys are left to frictionless), and every problem becomes a message naming where it is
(`resources[3].schema.fields[0].constraints`).  The checks that follow can then trust
what they read.  Keys a Table Schema allows in two forms (`primaryKey` and a foreign
key's `fields` as one name or a list) are brought to the list form.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any

from typing import ClassVar

from pydantic import (BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, StrictStr, ValidationError,
                      model_validator)

_Names = list[StrictStr] | StrictStr
_UNION_TAGS = {"str", "int", "float", "bool"}  # pydantic's names for the member of a union it tried


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)
    # keys the checks test for presence: absent is fine, but present they must hold a value
    no_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _present_keys_have_values(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in cls.no_null:
                if key in data and data[key] is None:
                    raise ValueError(f"`{key}` is null; leave it out or give it a value")
        return data


class _Constraints(_Model):
    no_null = ("enum", "pattern", "minimum")
    required: StrictBool | None = None
    unique: StrictBool | None = None
    enum: list[Any] | None = None
    pattern: StrictStr | None = None
    minimum: StrictInt | StrictFloat | StrictStr | None = None


class _Field(_Model):
    no_null = ("constraints", "trueValues", "falseValues")
    name: Annotated[StrictStr, Field(min_length=1)]
    type: StrictStr = "string"
    constraints: _Constraints = _Constraints()
    trueValues: list[StrictStr] | None = None
    falseValues: list[StrictStr] | None = None


class _Reference(_Model):
    resource: StrictStr = ""
    fields: _Names


class _ForeignKey(_Model):
    fields: _Names
    reference: _Reference


class _Schema(_Model):
    no_null = ("foreignKeys",)
    fields: list[_Field]
    primaryKey: _Names | None = None
    foreignKeys: list[_ForeignKey] | None = None


class _Resource(_Model):
    no_null = ("schema",)
    name: Annotated[StrictStr, Field(min_length=1)]
    path: Annotated[StrictStr, Field(min_length=1)]
    schema_: _Schema = Field(alias="schema")
    format: StrictStr | None = None
    bytes: StrictInt | None = None
    hash: StrictStr | None = None


class _Descriptor(_Model):
    name: StrictStr
    version: StrictStr | None = None
    resources: Annotated[list[_Resource], Field(min_length=1)]


def _where(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part == "schema_":
            out += ".schema"
        elif part in _UNION_TAGS or "[" in str(part):
            continue  # the reader needs the place, not which member of a union was tried
        else:
            out += f".{part}"
    return out.lstrip(".")


def descriptor_problems(desc: Any) -> list[str]:
    """What is wrong with the shape of a descriptor, each naming where; [] when it can be checked.

    Brings `primaryKey` and foreign-key `fields` given as one name to lists, in place.
    """
    if not isinstance(desc, dict):
        return [f"the descriptor is a JSON {type(desc).__name__}, not an object"]
    try:
        _Descriptor.model_validate(desc)
    except ValidationError as exc:
        seen: dict[str, str] = {}
        for e in exc.errors():
            where = _where(e["loc"]) or "the descriptor"
            seen.setdefault(where, f"`{where}`: {_message(e)}")
        return list(seen.values())[:20]
    problems: list[str] = []
    names = []
    for i, r in enumerate(desc["resources"]):
        names.append(r["name"])
        path = r["path"]
        if Path(path).is_absolute() or ".." in Path(path).parts or "\x00" in path:
            problems.append(f"resource {r['name']!r}: `path` must be a file inside the package")
        schema = r["schema"]
        if isinstance(schema.get("primaryKey"), str):
            schema["primaryKey"] = [schema["primaryKey"]]
        field_names = [f["name"] for f in schema["fields"]]
        if len(set(field_names)) != len(field_names):
            problems.append(f"resource {r['name']!r}: field names are not unique")
        for f in schema["fields"]:
            cons = f.get("constraints") or {}
            where = f"resources[{i}] field {f['name']!r}"
            if "pattern" in cons:
                try:
                    re.compile(cons["pattern"])
                except (re.error, RecursionError, OverflowError) as exc:
                    problems.append(f"{where}: `pattern` is not a regular expression ({exc})")
            if "minimum" in cons and f.get("type") in ("integer", "number") and not _finite_number(cons["minimum"]):
                problems.append(f"{where}: `minimum` {cons['minimum']!r} is not a finite number")
        for k, fk in enumerate(schema.get("foreignKeys") or []):
            for part in (fk, fk["reference"]):
                if isinstance(part["fields"], str):
                    part["fields"] = [part["fields"]]
            if len(fk["fields"]) != len(fk["reference"]["fields"]) or not fk["fields"]:
                problems.append(f"resources[{i}].schema.foreignKeys[{k}]: `fields` and `reference.fields` must "
                                "name the same number of columns")
    if len(set(names)) != len(names):
        problems.append("resource names are not unique")
    return problems


def _message(error: Any) -> str:
    msg = re.sub(r" or instance of \w+", "", error["msg"]).removeprefix("Value error, ")
    msg = msg[:1].lower() + msg[1:]
    if error["type"] not in ("missing", "value_error"):
        shown = repr(error.get("input"))
        msg += f" (it is {shown[:60] + '…' if len(shown) > 60 else shown})"
    return msg


def _finite_number(value: object) -> bool:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
