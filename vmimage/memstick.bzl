"""The pin of the pfSense CE serial memstick for //vmimage:pfsense_golden.

The repository holds only `pin.json` (URL and SHA-256): fetching it needs no network. The
image itself is downloaded by the install stage's action (vmimage/memstick), which checks
it against Netgate's published `<image>.sha256` and against the pin, refusing a mismatch,
and keeps the verified copy in ~/.cache/pfsense-mcp/memstick. So the pin, not the 400 MB
image, is an input of the build: a machine that gets the golden image from a remote cache
computes every stage's action key from the pin and never downloads the memstick.

Unpinned (sha256 = ""), the install stage still verifies the download against Netgate's
published checksum and prints the line to pin; `bazel run //vmimage:memstick_pin` does the
same without building.
"""

def _pfsense_memstick_impl(rctx):
    url = rctx.attr.url
    sha = rctx.attr.sha256
    if not (url.startswith("https://") or url.startswith("http://")):
        fail("pfsense_memstick: url {}: want an http(s) URL of the .img.gz".format(url))
    if sha and (len(sha) != 64 or sha.lower() != sha or [c for c in sha.elems() if c not in "0123456789abcdef"]):
        fail("pfsense_memstick: sha256 {}: want 64 lower-case hex digits, or empty until pinned".format(sha))
    rctx.file("pin.json", json.encode_indent({"sha256": sha, "url": url}) + "\n")
    rctx.file("BUILD.bazel", 'exports_files(["pin.json"])\n')

pfsense_memstick = repository_rule(
    implementation = _pfsense_memstick_impl,
    attrs = {
        "url": attr.string(mandatory = True),
        "sha256": attr.string(doc = "the image's SHA-256, once verified; empty: verified against Netgate's .sha256 only"),
    },
)
