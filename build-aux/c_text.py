"""Shared by the embed_* scripts: a file's bytes as a C string literal, one source line per line."""
import sys


def read_text(path):
    with open(path, "rb") as f:
        body = f.read()
    if b"\0" in body:
        sys.exit(f"{path}: NUL byte")
    return body


def c_string(data):
    lines = []
    for line in data.split(b"\n"):
        esc = "".join(
            chr(b) if 0x20 <= b < 0x7F and b not in (0x22, 0x5C, 0x3F) else f"\\{b:03o}"
            for b in line + b"\n")
        lines.append(f'    "{esc}"')
    return "\n".join(lines)
