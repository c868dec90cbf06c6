"""Exposes the pfSense REST API's own descriptions of itself, which live outside the repository.

All three are build inputs, never committed:

  openapi-spec.json     the OpenAPI spec (GET /api/v2/schema/openapi on a firewall). Required.
  native-schema.json    the REST API's native schema (GET /api/v2/schema/native): models, fields,
                        sensitive/write-only flags, conditions, id types. Optional.
  behaviour.json        the package's behaviour dump (validators, sort order, custom validate
                        methods; see ../shared/pfrest/README.md). Optional; only the commands that
                        distil committed tables from it, and their staleness tests, read it.

The spec is looked for, in order, at
  1. $PFSENSE_OPENAPI_SPEC (absolute, or relative to the workspace root),
  2. spec/openapi-spec.json in the workspace (where tools/fetch-spec writes it),
  3. ../shared/openapi-spec.json next to the workspace (a shared checkout of build inputs).
The native schema at $PFSENSE_NATIVE_SCHEMA, spec/native-schema.json, then
../shared/pfrest/native-<version>.json, where <version> is the spec's info.version; the behaviour
dump at $PFSENSE_BEHAVIOUR_DUMP, spec/behaviour.json, then ../shared/pfrest/behaviour-<version>.json.
An optional input that is not found, or that describes another REST API version than the spec,
is written as `{}`: every consumer treats that as "not given" and falls back to the spec alone.

Specs of other REST API versions found in those places (spec/openapi-spec.json,
../shared/openapi-spec.json, ../shared/pfrest/openapi-*.json) are copied to
other-versions/openapi-<version>.json (the filegroup other_versions, maybe empty): the tests of
spec drift compare the build's spec with them. Nothing else reads them.

The chosen files are copied into @pfsense_openapi_spec and watched, so editing one re-runs only
the actions that read it.
"""

_SPEC_ENV = "PFSENSE_OPENAPI_SPEC"
_NATIVE_ENV = "PFSENSE_NATIVE_SCHEMA"
_BEHAVIOUR_ENV = "PFSENSE_BEHAVIOUR_DUMP"

_HOW_TO_GET_ONE = """
Every pfSense firewall with the REST API package serves its spec, without authentication, at
  GET https://<firewall>/api/v2/schema/openapi
Fetch it (and the native schema beside it) into spec/ with
  tools/fetch-spec https://<firewall>        (add --insecure for a self-signed certificate)
or point the build at a copy you already have:
  export PFSENSE_OPENAPI_SPEC=/path/to/openapi-spec.json
"""

def _abs(ws, path):
    return path if path.startswith("/") else ws + "/" + path

def _spec_candidates(rctx, ws):
    env = rctx.getenv(_SPEC_ENV)
    if env:
        return [("$" + _SPEC_ENV, _abs(ws, env))]
    return [
        ("spec/openapi-spec.json", ws + "/spec/openapi-spec.json"),
        ("../shared/openapi-spec.json", ws + "/../shared/openapi-spec.json"),
    ]

def openapi_problem(doc):
    """Returns why a decoded JSON value is not an OpenAPI 3 document, or "" when it is one.

    Args:
      doc: the value json.decode returned (or None when the text is not JSON).
    Returns:
      A reason for a human, or "".
    """
    if type(doc) != "dict":
        return "it is not a JSON object"
    version = doc.get("openapi")
    if version == None:
        if "swagger" in doc:
            return "it is a Swagger %s document; the REST API v2 serves OpenAPI 3" % doc.get("swagger")
        return "it has no \"openapi\" version field"
    if type(version) != "string" or not version.startswith("3."):
        return "its \"openapi\" version is %s, not 3.x" % repr(version)
    if type(doc.get("paths")) != "dict":
        return "it has no \"paths\" object"
    info = doc.get("info")
    if type(info) != "dict" or type(info.get("version")) != "string":
        return "it has no info.version (the REST API version)"
    return ""

def _read_watched(rctx, path):
    """Watches path and returns (its content, its JSON or None), or (None, None) when there is no file."""
    p = rctx.path(path)
    rctx.watch(p)
    if not p.exists or p.is_dir:
        return None, None
    content = rctx.read(p)
    return content, json.decode(content, default = None)

def _read_spec(rctx, ws):
    tried = []
    for label, path in _spec_candidates(rctx, ws):
        content, doc = _read_watched(rctx, path)
        if content == None:
            tried.append("  %s (%s): not found" % (label, path))
            continue
        if doc == None:
            fail("%s (%s) is not an OpenAPI spec: it is not valid JSON (the build reads the JSON form the firewall serves).\n%s" % (label, path, _HOW_TO_GET_ONE))
        problem = openapi_problem(doc)
        if problem:
            fail("%s (%s) is not an OpenAPI 3 spec: %s.\n%s" % (label, path, problem, _HOW_TO_GET_ONE))
        return content, doc["info"]["version"]
    fail("The pfSense REST API OpenAPI spec was not found. Looked at:\n%s\n%s" % ("\n".join(tried), _HOW_TO_GET_ONE))

def _find_optional(rctx, ws, env, workspace_file, shared_name, version, required_keys, what):
    """Returns (content, origin) of an optional input, or ("{}", reason) when there is none."""
    env_path = rctx.getenv(env)
    if env_path:
        candidates = [("$" + env, _abs(ws, env_path))]
    else:
        candidates = [
            (workspace_file, ws + "/" + workspace_file),
            ("../shared/pfrest/" + shared_name, ws + "/../shared/pfrest/" + shared_name),
        ]
    for label, path in candidates:
        content, doc = _read_watched(rctx, path)
        if content == None:
            continue
        if type(doc) != "dict" or [k for k in required_keys if k not in doc]:
            fail("%s (%s) is not a REST API %s: expected a JSON object with %s." % (label, path, what, ", ".join(required_keys)))
        got = doc.get("version", "")
        if got and got != version:
            # A description of another version would mislead every consumer: say so and go on
            # with the spec alone rather than mix two versions.
            print("WARNING: %s (%s) describes REST API %s but the spec is %s: not used." % (label, path, got, version))
            return "{}", "%s is for %s" % (label, got)
        return content, label
    return "{}", "not found"

def _other_versions(rctx, ws, version):
    """Returns {version: content} of the OpenAPI specs of other REST API versions beside the build's."""
    paths = [ws + "/spec/openapi-spec.json", ws + "/../shared/openapi-spec.json"]
    pfrest = rctx.path(ws + "/../shared/pfrest")
    if pfrest.exists and pfrest.is_dir:
        paths += sorted([str(f) for f in pfrest.readdir() if f.basename.startswith("openapi-") and f.basename.endswith(".json")])
    found = {}
    for path in paths:
        content, doc = _read_watched(rctx, path)
        if content == None:
            continue
        if doc == None or openapi_problem(doc):
            print("WARNING: %s is not an OpenAPI 3 spec: not used as another REST API version." % path)
            continue
        v = doc["info"]["version"]
        if v != version and v not in found:
            found[v] = content
    return found

def _openapi_spec_repo_impl(rctx):
    ws = str(rctx.workspace_root)
    spec, version = _read_spec(rctx, ws)
    native, native_origin = _find_optional(
        rctx,
        ws,
        _NATIVE_ENV,
        "spec/native-schema.json",
        "native-%s.json" % version,
        version,
        ["models", "endpoints"],
        "native schema",
    )
    behaviour, behaviour_origin = _find_optional(
        rctx,
        ws,
        _BEHAVIOUR_ENV,
        "spec/behaviour.json",
        "behaviour-%s.json" % version,
        version,
        ["models"],
        "behaviour dump",
    )

    # Copies, not symlinks: the sandbox may not see the originals' directory (e.g. /tmp).
    rctx.file("openapi-spec.json", spec, executable = False)
    rctx.file("native-schema.json", native, executable = False)
    rctx.file("behaviour.json", behaviour, executable = False)
    others = _other_versions(rctx, ws, version)
    for v in sorted(others.keys()):
        rctx.file("other-versions/openapi-%s.json" % v, others[v], executable = False)
    rctx.file("inputs.txt", "spec %s\nnative schema: %s\nbehaviour dump: %s\nother versions: %s\n" % (
        version,
        native_origin,
        behaviour_origin,
        ", ".join(sorted(others.keys())) or "none",
    ))
    rctx.file("BUILD.bazel", 'exports_files(["openapi-spec.json", "native-schema.json", "behaviour.json", "inputs.txt"], visibility = ["//visibility:public"])\n' +
                             'filegroup(name = "other_versions", srcs = glob(["other-versions/*.json"]), visibility = ["//visibility:public"])\n')

_openapi_spec_repo = repository_rule(
    implementation = _openapi_spec_repo_impl,
    environ = [_SPEC_ENV, _NATIVE_ENV, _BEHAVIOUR_ENV],
    local = True,
)

def _openapi_spec_impl(_mctx):
    _openapi_spec_repo(name = "pfsense_openapi_spec")

openapi_spec = module_extension(
    implementation = _openapi_spec_impl,
    doc = "Makes @pfsense_openapi_spec point at the spec, native schema and behaviour dump (see the file's docstring).",
)
