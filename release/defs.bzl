"""Rules that pack the release: per-platform archives, the MCP Bundle, server.json, SHA256SUMS.

Each runs //release/cmd/pack, whose outputs depend only on their inputs (fixed times, no owners,
sorted entries), so two builds of one commit give the same bytes.
"""

load("@io_bazel_rules_go//go:def.bzl", "go_cross_binary")

# The platforms a release covers, as GOOS_GOARCH. Every one is a pure Go (cgo off) build, so
# the binaries are self-contained: rules_go's platforms without the _cgo suffix turn cgo off.
PLATFORMS = ["linux_amd64", "linux_arm64", "darwin_amd64", "darwin_arm64", "windows_amd64"]

_PACK = attr.label(default = "//release/cmd/pack", executable = True, cfg = "exec")

def _pack(ctx, out, args, inputs, mnemonic):
    ctx.actions.run(
        executable = ctx.executable._pack,
        arguments = [args],
        inputs = inputs,
        outputs = [out],
        mnemonic = mnemonic,
        progress_message = "Packing %{output}",
    )

def _archive_name(version, platform):
    return "pfsense-mcp_%s_%s" % (version, platform)

def _release_archive_impl(ctx):
    goos = ctx.attr.platform.split("_")[0]
    ext = "zip" if goos == "windows" else "tar.gz"
    base = _archive_name(ctx.attr.version, ctx.attr.platform)
    out = ctx.actions.declare_file(base + "." + ext)
    exe = "pfsense-mcp.exe" if goos == "windows" else "pfsense-mcp"
    args = ctx.actions.args()
    args.add("archive")
    args.add("--out", out)
    args.add("--format", ext)
    args.add("--dir", base)
    args.add("--file", "%s=%s:x" % (exe, ctx.file.binary.path))
    inputs = [ctx.file.binary]
    for target, name in ctx.attr.docs.items():
        f = target.files.to_list()[0]
        args.add("--file", "%s=%s" % (name, f.path))
        inputs.append(f)
    args.add("--sums")
    _pack(ctx, out, args, inputs, "ReleaseArchive")
    return [DefaultInfo(files = depset([out]))]

release_archive = rule(
    implementation = _release_archive_impl,
    doc = "pfsense-mcp_<version>_<os>_<arch>.tar.gz (.zip for Windows): the binary, the docs and their SHA256SUMS under one directory.",
    attrs = {
        "binary": attr.label(mandatory = True, allow_single_file = True, doc = "The server built for platform."),
        "docs": attr.label_keyed_string_dict(allow_files = True, doc = "Files to add, with their names in the archive."),
        "platform": attr.string(mandatory = True, values = PLATFORMS),
        "version": attr.string(mandatory = True),
        "_pack": _PACK,
    },
)

def _mcpb_bundle_impl(ctx):
    out = ctx.actions.declare_file("pfsense-mcp_%s.mcpb" % ctx.attr.version)
    args = ctx.actions.args()
    args.add("mcpb")
    args.add("--out", out)
    args.add("--version", ctx.attr.version)
    args.add("--repository", ctx.attr.repository)
    args.add("--license", ctx.file.license)
    inputs = [ctx.file.license]
    if ctx.file.notices:
        args.add("--notices", ctx.file.notices)
        inputs.append(ctx.file.notices)
    for target, platform in ctx.attr.binaries.items():
        f = target.files.to_list()[0]
        args.add("--binary", "%s=%s" % (platform, f.path))
        inputs.append(f)
    _pack(ctx, out, args, inputs, "McpBundle")
    return [DefaultInfo(files = depset([out]))]

mcpb_bundle = rule(
    implementation = _mcpb_bundle_impl,
    doc = "pfsense-mcp_<version>.mcpb: the MCP Bundle that installs the server in Claude Desktop.",
    attrs = {
        "binaries": attr.label_keyed_string_dict(mandatory = True, allow_files = True, doc = "The server per platform (GOOS_GOARCH)."),
        "license": attr.label(mandatory = True, allow_single_file = True),
        "notices": attr.label(allow_single_file = True, doc = "THIRD_PARTY_NOTICES.txt: the licenses of what the binaries link."),
        "repository": attr.string(mandatory = True),
        "version": attr.string(mandatory = True),
        "_pack": _PACK,
    },
)

def _registry_server_json_impl(ctx):
    out = ctx.actions.declare_file("server.json")
    args = ctx.actions.args()
    args.add("serverjson")
    args.add("--out", out)
    args.add("--version", ctx.attr.version)
    args.add("--repository", ctx.attr.repository)
    args.add("--bundle", ctx.file.bundle)
    _pack(ctx, out, args, [ctx.file.bundle], "RegistryServerJson")
    return [DefaultInfo(files = depset([out]))]

registry_server_json = rule(
    implementation = _registry_server_json_impl,
    doc = "server.json for the MCP registry, naming the bundle's release URL and SHA-256.",
    attrs = {
        "bundle": attr.label(mandatory = True, allow_single_file = [".mcpb"]),
        "repository": attr.string(mandatory = True),
        "version": attr.string(mandatory = True),
        "_pack": _PACK,
    },
)

def _sha256sums_impl(ctx):
    out = ctx.actions.declare_file("SHA256SUMS")
    args = ctx.actions.args()
    args.add("sums")
    args.add("--out", out)
    args.add_all(ctx.files.srcs)
    _pack(ctx, out, args, ctx.files.srcs, "Sha256Sums")
    return [DefaultInfo(files = depset([out]))]

sha256sums = rule(
    implementation = _sha256sums_impl,
    doc = "SHA256SUMS of the release's files, for `sha256sum --check`.",
    attrs = {
        "srcs": attr.label_list(mandatory = True, allow_files = True),
        "_pack": _PACK,
    },
)

def pfsense_release(name, binary, version, repository, license, notices, docs, **kwargs):
    """Every release file, as the filegroup `name`.

    Args:
      name: the filegroup of all release files.
      binary: the go_binary of the server.
      version: the release version (MODULE.bazel's).
      repository: https://github.com/OWNER/REPO, where the release is published.
      license: the LICENSE file.
      notices: THIRD_PARTY_NOTICES.txt (tools/third-party-notices), in every archive and the bundle.
      docs: files (label -> name) every archive carries besides the binary and LICENSE.
      **kwargs: common attributes (visibility, tags) for the filegroup.
    """
    # The parts are for the release's own tests; everyone else takes the filegroup.
    parts = ["//release:__subpackages__"]
    archives = []
    binaries = {}
    for platform in PLATFORMS:
        go_cross_binary(
            name = "pfsense-mcp_" + platform,
            target = binary,
            platform = "@io_bazel_rules_go//go/toolchain:" + platform,
        )
        binaries[":pfsense-mcp_" + platform] = platform
        archive_docs = dict(docs)
        archive_docs[license] = "LICENSE"
        archive_docs[notices] = "THIRD_PARTY_NOTICES.txt"
        release_archive(
            name = "archive_" + platform,
            binary = ":pfsense-mcp_" + platform,
            docs = archive_docs,
            platform = platform,
            version = version,
            visibility = parts,
        )
        archives.append(":archive_" + platform)
    mcpb_bundle(name = "mcpb", binaries = binaries, license = license, notices = notices, repository = repository, version = version, visibility = parts)
    registry_server_json(name = "server_json", bundle = ":mcpb", repository = repository, version = version, visibility = parts)
    sha256sums(name = "sha256sums", srcs = archives + [":mcpb", ":server_json"], visibility = parts)
    native.filegroup(name = name, srcs = archives + [":mcpb", ":server_json", ":sha256sums"], **kwargs)
