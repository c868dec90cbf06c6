"""npm_tools: the real MCP clients the tests run (third_party/npm/package.json), from the npm registry.

Runs `npm ci` on the committed package.json and package-lock.json with the host's Node.js (>= 18;
tools/bootstrap/install-system-deps.sh installs Debian's when there is none), so the versions
are exact and the same on every machine. Only tests that name these labels fetch them:

  @npm_tools//:claude         the Claude Code CLI (its native binary for this platform)
  @npm_tools//:node           the Node.js binary the packages were installed with
  @npm_tools//:mcp_sdk        the MCP TypeScript SDK and its dependencies (node_modules/...)
  @npm_tools//:node_modules   a file inside node_modules/, to find the folder in runfiles

npm's download cache is ~/.cache/pfsense-mcp/npm, so a second output base installs offline.
"""

def _npm_tools_impl(rctx):
    node = rctx.which("node")
    npm = rctx.which("npm")
    if node == None or npm == None:
        fail("npm_tools: Node.js and npm are needed for the MCP client tests and were not found on PATH. " +
             "tools/bazel installs them on Debian (tools/bootstrap/install-system-deps.sh); elsewhere install Node.js >= 18.")
    version = rctx.execute([node, "--version"]).stdout.strip()
    major = version.lstrip("v").split(".")[0]
    if not major.isdigit() or int(major) < 18:
        fail("npm_tools: Node.js %s at %s is too old: the MCP TypeScript SDK and the Claude Code CLI need 18 or newer." % (version, node))

    rctx.symlink(rctx.attr.package_json, "package.json")
    rctx.symlink(rctx.attr.package_lock, "package-lock.json")
    home = rctx.os.environ.get("HOME", "")
    cache = home + "/.cache/pfsense-mcp/npm" if home else str(rctx.path(".npm-cache"))
    rctx.report_progress("npm ci (Claude Code CLI, MCP TypeScript SDK)")
    res = rctx.execute(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error", "--cache", cache],
        timeout = 900,
        environment = {"npm_config_update_notifier": "false"},
        quiet = True,
    )
    if res.return_code != 0:
        fail("npm_tools: `npm ci` failed (exit %d). The MCP client tests need the npm registry on first use " % res.return_code +
             "(or a warm cache at %s).\n%s\n%s" % (cache, res.stdout[-3000:], res.stderr[-3000:]))
    claude = "node_modules/@anthropic-ai/claude-code/bin/claude.exe"
    if not rctx.path(claude).exists:
        fail("npm_tools: npm ci finished but %s is missing (was the platform package skipped?)" % claude)
    rctx.symlink(node, "node")
    rctx.file("BUILD.bazel", """\
exports_files(["node", "package.json"], visibility = ["//visibility:public"])

filegroup(
    name = "claude",
    srcs = ["{claude}"],
    visibility = ["//visibility:public"],
)

filegroup(
    name = "mcp_sdk",
    srcs = glob(
        ["node_modules/**"],
        exclude = ["node_modules/@anthropic-ai/**", "node_modules/**/* *"],
    ),
    visibility = ["//visibility:public"],
)

filegroup(
    name = "node_modules",
    srcs = ["node_modules/.package-lock.json"],
    visibility = ["//visibility:public"],
)
""".format(claude = claude))

npm_tools = repository_rule(
    implementation = _npm_tools_impl,
    attrs = {
        "package_json": attr.label(default = "//third_party/npm:package.json", allow_single_file = True),
        "package_lock": attr.label(default = "//third_party/npm:package-lock.json", allow_single_file = True),
    },
    environ = ["PATH", "HOME"],
    doc = "Installs third_party/npm/package-lock.json with npm ci; see the file's docstring.",
)
