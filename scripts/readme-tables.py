#!/usr/bin/env python3
"""Rewrites README.md's configuration table (from application.properties) and its error
tables (from ErrorCode.java), so the three stay one source of truth. ReadmeTest checks it."""
import pathlib
import re

root = pathlib.Path(__file__).resolve().parent.parent
readme = (root / "README.md").read_text()

rows, comment = [], []
for line in (root / "application.properties").read_text().splitlines():
    if line.startswith("# ----"):
        comment = []
    elif line.startswith("#"):
        comment.append(line[1:].strip())
    elif "=" in line and not line.startswith(" "):
        key = line.split("=", 1)[0].strip()
        text = " ".join(comment)
        default = ""
        if "Default:" in text:
            text, default = text.rsplit("Default:", 1)
        rows.append(f"| `{key}` | `{default.strip()}` | {text.strip()} |")
        comment = []
config = "| key | default | meaning |\n|---|---|---|\n" + "\n".join(rows) + "\n"

source = (root / "src/main/java/io/mediaurlingest/ErrorCode.java").read_text()
api, job = [], []
for code, status, meaning in re.findall(r'\w+\("([^"]+)", (\d+), "([^"]+)"\)', source):
    (api if status != "0" else job).append((code, status, meaning))
api_table = "| HTTP | Code | meaning |\n|---|---|---|\n" + "\n".join(f"| {s} | `{c}` | {m} |" for c, s, m in api) + "\n"
job_table = "| ErrorCode | meaning |\n|---|---|\n" + "\n".join(f"| `{c}` | {m} |" for c, s, m in job) + "\n"


def replace(text, start_marker, body):
    """Replaces the table that starts at start_marker, up to the blank line that ends it."""
    a = text.index(start_marker)
    b = text.index("\n\n", a) + 1
    return text[:a] + body + text[b:]


readme = replace(readme, "| key | default | meaning |", config)
readme = replace(readme, "| HTTP | Code | meaning |", api_table)
readme = replace(readme, "| ErrorCode | meaning |", job_table)
(root / "README.md").write_text(readme)
