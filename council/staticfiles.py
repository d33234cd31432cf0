"""whitenoise's compressed manifest storage, with each static file's URL worked out once per process.

Every page names its style sheets and scripts with `{% static %}`; the manifest storage looks each
name up (cleaning the name, splitting and quoting the URL) on every call, about a tenth of a cached
dashboard's request in benchmarks/request_cost.py --profile. The manifest does not change while a
process runs (collectstatic runs before the servers start), so the answer is kept."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        try:
            return self._urls[name]
        except KeyError:
            url = self._urls[name] = super().url(name)
            return url
