#!/usr/bin/env python3
"""A host saving an episode in the admin, once a second, for the soak (bench/soak.sh).

Signs in like a browser (the sign-in form's CSRF token, the session cookie), then in a loop opens
the episode's editor, changes its title and posts the form back exactly as the page built it.
Counts saves and failures into STATUS_FILE as "saves failures" after every save.
The episode is the last one the admin's episode list links to (the oldest): the soak's other
writer imports the newest every second, and two writers of one episode meet the editor's
conflict rule (409) by design.
Usage: admin_saver.py BASE_URL EMAIL PASSWORD STATUS_FILE
"""
import http.cookiejar
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser


class Forms(HTMLParser):
    """Every form of a page as a list of (name, value) fields a browser would submit."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.current, self.textarea, self.select = [], None, None, None
        self.option_text = None  # an <option> without a value submits its text

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action", ""), "fields": []}
            self.forms.append(self.current)
        elif tag == "option" and self.select is not None:
            if self.select[1] is None or "selected" in a:
                self.select[1] = a.get("value", "")
                self.option_text = None if "value" in a else self.select
        elif self.current is None or "name" not in a:
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.current["fields"].append([a["name"], a.get("value", "")])
        elif tag == "textarea":
            self.textarea = [a["name"], ""]
            self.current["fields"].append(self.textarea)
        elif tag == "select":
            self.select = [a["name"], None]
            self.current["fields"].append(self.select)


    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data
        elif self.option_text is not None:
            self.option_text[1] += data.strip()

    def handle_endtag(self, tag):
        if tag == "textarea":
            self.textarea = None
        elif tag == "select":
            self.select = None
        elif tag == "option":
            self.option_text = None
        elif tag == "form":
            self.current = None


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main():
    base, email, password, status_file = sys.argv[1:5]
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

    def get(path):
        return browser.open(base + path, timeout=30).read().decode()

    def post(path, fields):
        pairs = fields.items() if isinstance(fields, dict) else fields
        body = urllib.parse.urlencode([(name, value or "") for name, value in pairs]).encode()
        try:
            return browser.open(base + path, data=body, timeout=30).status
        except urllib.error.HTTPError as answer:
            return answer.code

    login = next(f for f in forms_of(get("/admin/login")) if any(n == "password" for n, _ in f["fields"]))
    fields = dict(login["fields"]) | {"email": email, "password": password}
    if post("/admin/login", fields) not in (200, 303):
        sys.exit("admin_saver: cannot sign in")
    editors = re.findall(r'href="(/admin/episodes/[0-9]+)"', get("/admin/episodes"))
    if not editors:
        sys.exit("admin_saver: the admin lists no episode")
    editor_path = editors[-1]
    saves = failures = 0
    while True:
        saves += 1
        try:
            page = forms_of(get(editor_path))
            form = next(f for f in page if any(n == "version" for n, _ in f["fields"]))
            fields = [[n, f"Soak save {saves}" if n == "title" else v] for n, v in form["fields"]]
            answer = post(form["action"] or editor_path, fields)
            if answer not in (200, 303):
                failures += 1
                print(f"admin_saver: save {saves}: the server answered {answer}", file=sys.stderr)
        except Exception as error:  # any failure counts; the soak reports the total
            failures += 1
            print(f"admin_saver: save {saves}: {error!r}", file=sys.stderr)
        write_status(status_file, saves, failures)
        time.sleep(1)


def write_status(status_file, saves, failures):
    """Replaces the status file in one step: the soak stops this process at any instant and
    must never read a file truncated but not yet written."""
    partial = status_file + ".partial"
    with open(partial, "w") as out:
        out.write(f"{saves} {failures}\n")
    os.replace(partial, status_file)


if __name__ == "__main__":
    main()
