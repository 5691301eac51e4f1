#!/usr/bin/env python3
"""N seed-shaped episodes, written twice from the same markdown: as notes files for
`shownotes import notes` and as a minimal Hugo site (no theme: three small layouts).

    python3 bench/corpus.py N OUT     # OUT/notes/1.md … and OUT/hugo/

Each episode is the seed (tests/fixtures/notes/python-bytes-434-seed.md) renumbered, with its
topic links and video ids made unique per episode, as `cargo bench --bench import` does.
"""

import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
SEED = os.path.join(ROOT, "tests", "fixtures", "notes", "python-bytes-434-seed.md")

HUGO_CONFIG = """baseURL = "http://127.0.0.1/"
title = "Python Bytes"
languageCode = "en"
disableKinds = ["taxonomy", "term"]
paginate = 50
[markup.goldmark.renderer]
  unsafe = false
"""

BASEOF = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="/">{{ site.Title }}</a></header><main>{{ block "main" . }}{{ end }}</main></body></html>
"""

SINGLE = """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<time>{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}</article>{{ end }}
"""

LIST = """{{ define "main" }}<h1>{{ .Title }}</h1><ul>
{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}
</ul>{{ end }}
"""


def episode(seed, n):
    return (
        seed.replace("# Python Bytes 434", f"# Python Bytes {n}")
        .replace("https://blog.trailofbits.com/", f"https://blog{n}.example.com/")
        .replace("watch?v=", f"watch?v=e{n}x")
    )


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    count, out = int(sys.argv[1]), sys.argv[2]
    with open(SEED, encoding="utf-8") as f:
        seed = f.read()
    hugo = os.path.join(out, "hugo")
    write(os.path.join(hugo, "hugo.toml"), HUGO_CONFIG)
    write(os.path.join(hugo, "layouts", "_default", "baseof.html"), BASEOF)
    write(os.path.join(hugo, "layouts", "_default", "single.html"), SINGLE)
    write(os.path.join(hugo, "layouts", "_default", "list.html"), LIST)
    write(os.path.join(hugo, "content", "episodes", "_index.md"), '---\ntitle: "Episodes"\n---\n')
    for n in range(1, count + 1):
        notes = episode(seed, n)
        write(os.path.join(out, "notes", f"{n}.md"), notes)
        # Hugo takes the title from front matter; the body is the same markdown, heading aside.
        body = notes.split("\n", 1)[1]
        front = f'---\ntitle: "Python Bytes {n}"\ndate: 2020-01-01T00:00:00Z\nweight: {n}\n---\n'
        write(os.path.join(hugo, "content", "episodes", f"{n}.md"), front + body)


if __name__ == "__main__":
    main()
