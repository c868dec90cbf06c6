"""npm_tools: the real MCP clients the tests run (third_party/npm/package.json), from the npm registry.

The packages of the committed package-lock.json are fetched by Bazel's own downloader, each
checked against the lockfile's SHA-512 integrity, into node_modules/ as npm would lay them out
(nested copies included; optional platform packages only for this machine). No npm client runs:
Bazel's repository cache keeps the downloads, so a second output base (or a machine without
the registry, given the cache) needs no network. The host's Node.js (>= 18) runs them;
tools/bootstrap/install-system-deps.sh installs Debian's when there is none.

  @npm_tools//:claude         the Claude Code CLI: its native binary for this platform
  @npm_tools//:node           the Node.js binary on PATH
  @npm_tools//:packages       every other package (node_modules/...): the MCP TypeScript SDK,
                              the MCP Bundle tool (@anthropic-ai/mcpb) and their dependencies
  @npm_tools//:node_modules   node_modules/package-lock.json, to find the folder in runfiles

Regenerate the lockfile after changing package.json (exact versions only):
  cd third_party/npm && npm install --package-lock-only --omit-lockfile-registry-resolved
"""

_REGISTRY = "https://registry.npmjs.org/"

# npm's names for this machine (process.platform, process.arch) from Bazel's.
_OS = {"linux": "linux", "mac os x": "darwin"}
_CPU = {"amd64": "x64", "x86_64": "x64", "aarch64": "arm64", "arm64": "arm64"}

def _matches(constraint, value):
    """npm's os/cpu/libc fields: a list of allowed values, or of !excluded ones."""
    if not constraint:
        return True
    allowed = [c for c in constraint if not c.startswith("!")]
    if ("!" + value) in constraint:
        return False
    return not allowed or value in allowed

def _tarball(name, version):
    base = name.split("/")[-1]
    return "%s%s/-/%s-%s.tgz" % (_REGISTRY, name, base, version)

def _npm_tools_impl(rctx):
    node = rctx.which("node")
    if node == None:
        fail("npm_tools: Node.js was not found on PATH; the MCP client tests need it. " +
             "tools/bazel installs it on Debian (tools/bootstrap/install-system-deps.sh); elsewhere install Node.js >= 18.")
    version = rctx.execute([node, "--version"]).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < 18:
        fail("npm_tools: Node.js %s at %s is too old: the MCP TypeScript SDK and the Claude Code CLI need 18 or newer." % (version, node))

    host_os = _OS.get(rctx.os.name.lower(), rctx.os.name.lower())
    host_cpu = _CPU.get(rctx.os.arch, rctx.os.arch)
    lock = json.decode(rctx.read(rctx.attr.package_lock))
    if lock.get("lockfileVersion", 0) < 2:
        fail("npm_tools: %s has lockfileVersion %s; regenerate it with npm 7 or newer (see npm.bzl)" % (rctx.attr.package_lock, lock.get("lockfileVersion")))

    fetched = 0
    for path, pkg in sorted(lock["packages"].items()):
        if path == "" or pkg.get("link") or pkg.get("dev"):
            continue
        if not (_matches(pkg.get("os"), host_os) and _matches(pkg.get("cpu"), host_cpu) and _matches(pkg.get("libc"), "glibc")):
            continue
        name = path.split("node_modules/")[-1]
        if not pkg.get("integrity"):
            fail("npm_tools: %s has no integrity in the lockfile" % path)
        rctx.report_progress("fetching %s@%s" % (name, pkg["version"]))
        tmp = "_tmp/" + path
        rctx.download_and_extract(url = pkg.get("resolved", _tarball(name, pkg["version"])), output = tmp, integrity = pkg["integrity"], type = "tar.gz")

        # A package tarball holds one top folder, usually package/.
        tops = rctx.path(tmp).readdir()
        if len(tops) != 1:
            fail("npm_tools: %s@%s does not unpack into one folder" % (name, pkg["version"]))
        res = rctx.execute(["mkdir", "-p", str(rctx.path(path).dirname)])
        res = rctx.execute(["mv", str(tops[0]), str(rctx.path(path))])
        if res.return_code != 0:
            fail("npm_tools: moving %s into place: %s" % (name, res.stderr))
        fetched += 1
    rctx.delete("_tmp")
    rctx.file("node_modules/package-lock.json", rctx.read(rctx.attr.package_lock))

    # The CLI's own postinstall only copies its platform package's binary over a placeholder:
    # the tests run that binary directly.
    claude = "node_modules/@anthropic-ai/claude-code-%s-%s/claude" % (host_os, host_cpu)
    if not rctx.path(claude).exists:
        fail("npm_tools: the Claude Code CLI has no native package for %s-%s in the lockfile" % (host_os, host_cpu))
    rctx.execute(["chmod", "+x", claude])
    rctx.symlink(node, "node")
    rctx.file("BUILD.bazel", """\
# {fetched} packages of third_party/npm/package-lock.json (see npm.bzl).
exports_files(["node"], visibility = ["//visibility:public"])

filegroup(
    name = "claude",
    srcs = ["{claude}"],
    visibility = ["//visibility:public"],
)

filegroup(
    name = "packages",
    srcs = glob(
        ["node_modules/**"],
        exclude = ["node_modules/@anthropic-ai/claude-code*/**", "node_modules/**/* *"],
    ),
    visibility = ["//visibility:public"],
)

filegroup(
    name = "node_modules",
    srcs = ["node_modules/package-lock.json"],
    visibility = ["//visibility:public"],
)
""".format(claude = claude, fetched = fetched))

npm_tools = repository_rule(
    implementation = _npm_tools_impl,
    attrs = {
        "package_lock": attr.label(default = "//third_party/npm:package-lock.json", allow_single_file = True),
    },
    environ = ["PATH"],
    doc = "Fetches the packages of third_party/npm/package-lock.json; see the file's docstring.",
)
