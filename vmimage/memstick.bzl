"""The pfSense CE serial memstick image, downloaded for //vmimage:pfsense_golden.

With `sha256` pinned (MODULE.bazel) the download is checked against it and lands in Bazel's
repository cache. Unpinned, the rule also downloads Netgate's `<image>.sha256` file from the
same mirror, refuses a mismatch, and prints the checksum to pin.
"""

def _pfsense_memstick_impl(rctx):
    name = rctx.attr.url.split("/")[-1]
    if rctx.attr.sha256:
        rctx.download(url = rctx.attr.url, output = "file/" + name, sha256 = rctx.attr.sha256)
    else:
        got = rctx.download(url = rctx.attr.url, output = "file/" + name)
        rctx.download(url = rctx.attr.url + ".sha256", output = "published.sha256")
        published = rctx.read("published.sha256")

        # Netgate's format: "SHA256 (NAME) = HEX" or "HEX  NAME".
        words = published.replace("=", " ").replace("(", " ").replace(")", " ").split()
        hexes = [w.lower() for w in words if len(w) == 64]
        if not hexes:
            fail("{}.sha256 holds no SHA-256: {}".format(rctx.attr.url, published))
        if got.sha256 != hexes[0]:
            fail("{}: downloaded SHA-256 {} differs from the published {}".format(name, got.sha256, hexes[0]))

        # buildifier: disable=print
        print("pfsense_memstick: {} matches Netgate's published SHA-256; pin it in MODULE.bazel: sha256 = \"{}\"".format(name, got.sha256))
    rctx.file("file/BUILD.bazel", """\
filegroup(
    name = "file",
    srcs = ["{}"],
    visibility = ["//visibility:public"],
)
""".format(name))
    rctx.file("BUILD.bazel", "")

pfsense_memstick = repository_rule(
    implementation = _pfsense_memstick_impl,
    attrs = {
        "url": attr.string(mandatory = True),
        "sha256": attr.string(doc = "pin; empty verifies against the mirror's .sha256 file"),
    },
)
