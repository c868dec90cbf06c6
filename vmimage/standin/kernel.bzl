"""The stand-in appliance's kernel: Debian bookworm's generic amd64 kernel package, pinned.

The generic flavour is used because the cloud flavour has no e1000 driver, and the stand-in
boots with the same three e1000 NICs as the golden pfSense image. Only the kernel image and
the few modules the stand-in loads are kept (the package unpacks to 400 MB).

The package comes straight from Debian's archive by URL and SHA-256 (no apt, so any Linux
host with access to deb.debian.org can fetch it). When bookworm's point release moves on
and the archive drops this version, snapshot.debian.org still serves it by its SHA-1; or
pin a newer one: `apt-get download linux-image-6.1.0-NN-amd64`, then update the four values
below (`sha256sum`, `sha1sum`) and the ABI directory.
"""

KERNEL = struct(
    package = "linux-image-6.1.0-50-amd64",
    version = "6.1.176-1",
    abi = "6.1.0-50-amd64",
    sha256 = "7b5597492a0a65aee61985a492e6bcc3f2cde830072a0e3b3d8c7e1b90279bd3",
    sha1 = "ab49acaac82ed54455b384f861eac71d080f5e4a",
)

# The modules the stand-in loads (vmimage/standin/cmd/standin-init), with their dependencies.
MODULES = [
    "kernel/drivers/net/ethernet/intel/e1000/e1000.ko",
    "kernel/drivers/virtio/virtio.ko",
    "kernel/drivers/virtio/virtio_ring.ko",
    "kernel/drivers/virtio/virtio_pci.ko",
    "kernel/drivers/virtio/virtio_pci_modern_dev.ko",
    "kernel/drivers/virtio/virtio_pci_legacy_dev.ko",
    "kernel/drivers/block/virtio_blk.ko",
    "kernel/fs/ext4/ext4.ko",
    "kernel/fs/jbd2/jbd2.ko",
    "kernel/fs/mbcache.ko",
    "kernel/lib/crc16.ko",
    "kernel/crypto/crc32c_generic.ko",
    "kernel/drivers/acpi/button.ko",
    "kernel/drivers/input/evdev.ko",
]

def _debian_kernel_impl(rctx):
    k = KERNEL
    deb = "{}_{}_amd64.deb".format(k.package, k.version)
    rctx.report_progress("downloading " + deb)
    rctx.download(
        url = [
            "https://deb.debian.org/debian/pool/main/l/linux-signed-amd64/" + deb,
            "http://deb.debian.org/debian/pool/main/l/linux-signed-amd64/" + deb,
            "https://snapshot.debian.org/file/" + k.sha1,
        ],
        output = "pkg/kernel.deb",
        sha256 = k.sha256,
    )
    rctx.extract("pkg/kernel.deb", output = "pkg/deb")
    data = [f for f in rctx.path("pkg/deb").readdir() if f.basename.startswith("data.tar")]
    if len(data) != 1:
        fail("{}: expected one data.tar.* member in the package, found {}".format(deb, data))
    rctx.report_progress("unpacking " + deb)
    rctx.extract(data[0], output = "pkg/data")
    moddir = "pkg/data/lib/modules/" + k.abi + "/"
    copies = [("pkg/data/boot/vmlinuz-" + k.abi, "boot/vmlinuz")]
    mods = []
    for m in MODULES:
        dst = "modules/" + m.split("/")[-1]
        copies.append((moddir + m, dst))
        mods.append(dst)

    # Keep the kernel and the modules; drop the other 400 MB.
    for src, dst in copies:
        if not rctx.path(src).exists:
            fail("{}: the package has no {}".format(deb, src.removeprefix("pkg/data/")))
        rctx.file(dst + ".tmp", "")
        res = rctx.execute(["cp", str(rctx.path(src)), str(rctx.path(dst))])
        rctx.delete(dst + ".tmp")
        if res.return_code != 0:
            fail("copy {}: {}".format(src, res.stderr))
    rctx.delete("pkg")
    rctx.file("BUILD.bazel", """\
# Debian {package} {version}, fetched by //vmimage/standin:kernel.bzl.
package(default_visibility = ["//visibility:public"])

filegroup(
    name = "vmlinuz",
    srcs = ["boot/vmlinuz"],
)

filegroup(
    name = "modules",
    srcs = {mods},
)
""".format(package = k.package, version = k.version, mods = repr(mods)))

debian_kernel = repository_rule(
    implementation = _debian_kernel_impl,
    doc = "Debian's generic amd64 kernel and the stand-in's modules, pinned by SHA-256.",
)
