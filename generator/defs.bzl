"""pfsense_tool_library: the pfSense OpenAPI spec -> a go_library describing one MCP tool per operation."""

load("@io_bazel_rules_go//go:def.bzl", "go_library")

def _generated_tools_impl(ctx):
    out = ctx.actions.declare_file(ctx.attr.out)
    args = ctx.actions.args()
    args.add("--spec", ctx.file.spec)
    inputs = [ctx.file.spec]
    if ctx.file.native:
        args.add("--native", ctx.file.native)
        inputs.append(ctx.file.native)
    args.add("--out", out)
    args.add("--package", ctx.attr.package)
    ctx.actions.run(
        executable = ctx.executable._generator,
        arguments = [args],
        inputs = inputs,
        outputs = [out],
        mnemonic = "PfsenseGenerateTools",
        progress_message = "Generating MCP tools from %{input}",
    )
    return [DefaultInfo(files = depset([out]))]

_generated_tools = rule(
    implementation = _generated_tools_impl,
    doc = "Runs //generator/cmd/pfsense-gen on a spec and outputs the Go source of the tool table.",
    attrs = {
        "spec": attr.label(allow_single_file = [".json"], mandatory = True, doc = "The OpenAPI spec (JSON)."),
        "native": attr.label(allow_single_file = [".json"], doc = "The native schema of the same REST API version (`{}` when there is none)."),
        "out": attr.string(mandatory = True, doc = "Name of the generated .go file."),
        "package": attr.string(mandatory = True, doc = "Go package name."),
        "_generator": attr.label(
            default = "//generator/cmd/pfsense-gen",
            executable = True,
            cfg = "exec",
        ),
    },
)

def pfsense_tool_library(name, spec, importpath, package, native = None, visibility = None, **kwargs):
    """A go_library, generated from `spec`, that describes one MCP tool per API operation.

    Args:
      name: name of the go_library.
      spec: label of the OpenAPI spec (JSON), normally //spec:openapi.
      native: label of the native schema (JSON), normally //spec:native; optional.
      importpath: Go import path of the library.
      package: Go package name.
      visibility: visibility of the library.
      **kwargs: passed to go_library.
    """
    _generated_tools(
        name = name + "_src",
        spec = spec,
        native = native,
        out = "zz_generated_" + name + ".go",
        package = package,
        visibility = ["//visibility:private"],
    )
    go_library(
        name = name,
        srcs = [":" + name + "_src"],
        importpath = importpath,
        deps = ["//generator/toolspec"],
        visibility = visibility,
        **kwargs
    )
