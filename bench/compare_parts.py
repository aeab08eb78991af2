"""Compare two .xlsx files part by part: the same parts, each XML part the same once
canonicalised (C14N 2.0: attribute order, empty-element form and quoting do not count), and
the same bytes for anything else. The core properties' timestamps are left out.

Run: python bench/compare_parts.py OLD.xlsx NEW.xlsx; exits 1 and names each differing part.
"""

from __future__ import annotations

import re
import sys
import zipfile
from xml.etree.ElementTree import canonicalize

_STAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def parts(path: str) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        out = {}
        for name in archive.namelist():
            data = archive.read(name)
            if name == "docProps/core.xml":
                data = _STAMPS.sub(b"", data)
            if name.endswith((".xml", ".rels")):
                data = canonicalize(xml_data=data.decode("utf-8")).encode("utf-8")
            out[name] = data
        return out


def differences(old: str, new: str) -> list[str]:
    a, b = parts(old), parts(new)
    found = [f"only in {old}: {n}" for n in sorted(set(a) - set(b))]
    found += [f"only in {new}: {n}" for n in sorted(set(b) - set(a))]
    for name in sorted(set(a) & set(b)):
        if a[name] != b[name]:
            x, y = a[name], b[name]
            common = min(len(x), len(y))
            at = next((i for i in range(common) if x[i] != y[i]), common)
            around = slice(max(0, at - 60), at + 60)
            found.append(f"{name} differs at byte {at}: {x[around]!r} / {y[around]!r}")
    return found


if __name__ == "__main__":
    found = differences(sys.argv[1], sys.argv[2])
    print("\n".join(found) or f"the same, part by part ({len(parts(sys.argv[1]))} parts)")
    sys.exit(1 if found else 0)
