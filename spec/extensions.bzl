"""Exposes the pfSense REST API OpenAPI spec, which lives outside the repository, as a label.

The spec is a build input, never committed. The repository rule looks, in order, at
  1. $PFSENSE_OPENAPI_SPEC (absolute, or relative to the workspace root),
  2. spec/openapi-spec.json in the workspace (where tools/fetch-spec writes it),
  3. ../shared/openapi-spec.json next to the workspace (a shared checkout of build inputs),
and copies the first one found to @pfsense_openapi_spec//:openapi-spec.json. The file is watched,
so editing it re-runs only the actions that read it.
"""

_ENV = "PFSENSE_OPENAPI_SPEC"

_HOW_TO_GET_ONE = """
Every pfSense firewall with the REST API package serves its spec, without authentication, at
  GET https://<firewall>/api/v2/schema/openapi
Fetch it into spec/openapi-spec.json with
  tools/fetch-spec https://<firewall>        (add --insecure for a self-signed certificate)
or point the build at a copy you already have:
  export PFSENSE_OPENAPI_SPEC=/path/to/openapi-spec.json
"""

def _candidates(rctx):
    ws = str(rctx.workspace_root)
    env = rctx.getenv(_ENV)
    if env:
        path = env if env.startswith("/") else ws + "/" + env
        return [("$" + _ENV, path)]
    return [
        ("spec/openapi-spec.json", ws + "/spec/openapi-spec.json"),
        ("../shared/openapi-spec.json", ws + "/../shared/openapi-spec.json"),
    ]

def _openapi_spec_repo_impl(rctx):
    tried = []
    for label, path in _candidates(rctx):
        p = rctx.path(path)
        rctx.watch(p)
        if not p.exists or p.is_dir:
            tried.append("  %s (%s): not found" % (label, path))
            continue
        content = rctx.read(p)
        head = content[:4096]
        if not head.lstrip().startswith("{") or '"openapi"' not in head:
            fail("%s (%s) is not an OpenAPI JSON document: it should start with {\"openapi\": ...}.\n%s" % (label, path, _HOW_TO_GET_ONE))

        # A copy, not a symlink: the sandbox may not see the original's directory (e.g. /tmp).
        rctx.file("openapi-spec.json", content, executable = False)
        rctx.file("BUILD.bazel", 'exports_files(["openapi-spec.json"], visibility = ["//visibility:public"])\n')
        return
    fail("The pfSense REST API OpenAPI spec was not found. Looked at:\n%s\n%s" % ("\n".join(tried), _HOW_TO_GET_ONE))

_openapi_spec_repo = repository_rule(
    implementation = _openapi_spec_repo_impl,
    environ = [_ENV],
    local = True,
)

def _openapi_spec_impl(_mctx):
    _openapi_spec_repo(name = "pfsense_openapi_spec")

openapi_spec = module_extension(
    implementation = _openapi_spec_impl,
    doc = "Makes @pfsense_openapi_spec//:openapi-spec.json point at the spec (see the file's docstring).",
)
