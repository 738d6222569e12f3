"""Drop repeated inline <script> blocks from the rendered pages.

sphinx-thebe adds its configuration script (`const THEBE_JS_URL = ...`) on
every `env-before-read-docs` event; under Jupyter Book that event fires more
than once per build, so each page declared the same `const` twice and the
browser logged "Identifier 'THEBE_JS_URL' has already been declared" (the
togglebutton selector script is repeated too). This keeps the first copy of
each identical script.
"""


def _drop_repeats(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # an inline script's filename is None or "", depending on who added it
        key = (getattr(script, "filename", script) or "", getattr(script, "attributes", {}).get("body"))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_repeats)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
