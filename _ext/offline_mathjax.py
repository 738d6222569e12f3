"""Serve MathJax from the built book instead of a CDN, so math renders offline.

MathJax 3 comes from the pinned PyPI package ``django-static-mathjax``: it
installs the plain MathJax files under ``mathjax/static/mathjax`` (Django is
not needed). This extension points Sphinx's ``mathjax_path`` at
``_static/mathjax/tex-chtml.js`` and copies MathJax's ready-to-use ``es5``
bundle (the loader, its components and fonts) there after the build.
"""

import shutil
from pathlib import Path

TARGET = "mathjax"  # under the build's _static


def _mathjax_es5() -> Path:
    import mathjax  # the package django-static-mathjax installs

    es5 = Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"
    if not (es5 / "tex-chtml.js").exists():
        raise RuntimeError(f"MathJax files not found in {es5}; reinstall django-static-mathjax.")
    return es5


def _set_path(app):
    _mathjax_es5()  # fail early, before a long build, if MathJax is missing
    app.config.mathjax_path = f"{TARGET}/tex-chtml.js"


def _copy_files(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(_mathjax_es5(), Path(app.outdir) / "_static" / TARGET, dirs_exist_ok=True)


def setup(app):
    app.connect("builder-inited", _set_path)
    app.connect("build-finished", _copy_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
