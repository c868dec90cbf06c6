"""Golden images as Bazel artifacts.

- `standin_initramfs`: the stand-in appliance's initramfs (static init, payload, modules).
- `golden_image`: runs `vmimage build` to make golden.qcow2 and api-key.txt. Its action boots
  QEMU: it may use KVM and (for pfSense) the network, so it runs unsandboxed, but its
  outputs are ordinary cacheable outputs: a remote cache shares them.
- `vm_appliance`: a manifest (JSON, runfiles paths) that tests read to boot a golden image.
- `golden_choice`: the build setting //vmimage:golden (standin or pfsense).
"""

GoldenImageInfo = provider(
    doc = "A golden image and how to boot it.",
    fields = {
        "kind": "standin or pfsense",
        "disk": "File: golden.qcow2",
        "api_key": "File: api-key.txt",
        "kernel": "File or None: the stand-in's kernel",
        "initrd": "File or None: the stand-in's initramfs",
        "memory_mb": "int",
    },
)

_PURE = "@io_bazel_rules_go//go/config:pure"
_RACE = "@io_bazel_rules_go//go/config:race"

def _pure_impl(_settings, _attr):
    # Race instrumentation needs cgo: a race build of the tests (--config=race) still makes
    # these binaries plain.
    return {_PURE: True, _RACE: False}

# The init and the payload run on a bare kernel: they must be static, cgo-free binaries.
_pure_transition = transition(implementation = _pure_impl, inputs = [], outputs = [_PURE, _RACE])

def _standin_initramfs_impl(ctx):
    out = ctx.actions.declare_file(ctx.label.name + ".cpio.gz")
    payload = ctx.file.payload
    args = ctx.actions.args()
    args.add("--out", out)
    args.add("--init", ctx.file.init)
    args.add("--file", "/bin/{}={}".format(ctx.attr.payload_name, payload.path))
    args.add_all(ctx.files.modules, before_each = "--module")
    args.add_all(["/bin/" + ctx.attr.payload_name] + ctx.attr.payload_args, before_each = "--payload")
    ctx.actions.run(
        executable = ctx.executable._mkinitramfs,
        arguments = [args],
        inputs = [ctx.file.init, payload] + ctx.files.modules,
        outputs = [out],
        mnemonic = "Initramfs",
        progress_message = "Making the stand-in initramfs %{label}",
    )
    return [DefaultInfo(files = depset([out]))]

standin_initramfs = rule(
    implementation = _standin_initramfs_impl,
    attrs = {
        "init": attr.label(mandatory = True, allow_single_file = True, cfg = _pure_transition),
        "payload": attr.label(mandatory = True, allow_single_file = True, cfg = _pure_transition),
        "payload_name": attr.string(mandatory = True, doc = "installed as /bin/NAME"),
        "payload_args": attr.string_list(doc = "arguments after /bin/NAME"),
        "modules": attr.label_list(allow_files = [".ko"]),
        "_mkinitramfs": attr.label(default = "//vmimage/standin/cmd/mkinitramfs", executable = True, cfg = "exec"),
    },
    doc = "The stand-in appliance's initramfs: /init, /bin/PAYLOAD and kernel modules in load order.",
)

def _golden_image_impl(ctx):
    disk = ctx.actions.declare_file(ctx.label.name + "/golden.qcow2")
    key = ctx.actions.declare_file(ctx.label.name + "/api-key.txt")
    args = ctx.actions.args()
    args.add("build")
    args.add("--kind", ctx.attr.kind)
    args.add("--image", disk)
    args.add("--api-key", key)
    if ctx.attr.accel:
        args.add("--accel", ctx.attr.accel)
    inputs = []
    kernel = None
    initrd = None
    if ctx.attr.kind == "standin":
        if not ctx.file.kernel or not ctx.file.initrd:
            fail("golden_image kind standin needs kernel and initrd")
        kernel, initrd = ctx.file.kernel, ctx.file.initrd
        args.add("--kernel", kernel)
        args.add("--initrd", initrd)
        inputs = [kernel, initrd]
    elif ctx.attr.kind == "pfsense":
        if not ctx.file.memstick:
            fail("golden_image kind pfsense needs memstick")
        args.add("--memstick", ctx.file.memstick)
        if ctx.attr.restapi_package:
            args.add("--restapi-pkg", ctx.attr.restapi_package)
        inputs = [ctx.file.memstick]
    else:
        fail("golden_image kind {}: want standin or pfsense".format(ctx.attr.kind))
    ctx.actions.run(
        executable = ctx.executable._vmimage,
        arguments = [args],
        inputs = inputs,
        outputs = [disk, key],
        mnemonic = "GoldenImage",
        progress_message = "Building the {} golden image %{{label}} (boots QEMU)".format(ctx.attr.kind),
        # Unsandboxed so QEMU sees /dev/kvm and can bind loopback ports; the network for
        # the pfSense packages and upgrade. Nothing here disables caching: the outputs go
        # to --disk_cache and --remote_cache like any other.
        execution_requirements = {
            "no-sandbox": "1",
            "requires-kvm": "1",
            "requires-network": "1",
        },
        # PATH (--incompatible_strict_action_env: /bin:/usr/bin:/usr/local/bin) finds QEMU.
        use_default_shell_env = True,
    )
    return [
        DefaultInfo(files = depset([disk, key])),
        GoldenImageInfo(kind = ctx.attr.kind, disk = disk, api_key = key, kernel = kernel, initrd = initrd, memory_mb = ctx.attr.memory_mb),
    ]

golden_image = rule(
    implementation = _golden_image_impl,
    attrs = {
        "kind": attr.string(mandatory = True, values = ["standin", "pfsense"]),
        "memstick": attr.label(allow_single_file = True, doc = "pfsense: the serial memstick image"),
        "restapi_package": attr.string(doc = "pfsense: REST API package URL (default: v2.7.1 for 2.8.1)"),
        "kernel": attr.label(allow_single_file = True, doc = "standin: the kernel"),
        "initrd": attr.label(allow_single_file = True, doc = "standin: the initramfs"),
        "memory_mb": attr.int(default = 2048),
        "accel": attr.string(values = ["", "kvm", "tcg"], doc = "force an accelerator (default: KVM when it works)"),
        "_vmimage": attr.label(default = "//vmimage/cmd/vmimage", executable = True, cfg = "exec"),
    },
    doc = "golden.qcow2 and api-key.txt, built by booting QEMU. See vmimage/README.md.",
)

def _rlocationpath(ctx, f):
    if f.short_path.startswith("../"):
        return f.short_path[3:]
    return ctx.workspace_name + "/" + f.short_path

def _vm_appliance_impl(ctx):
    info = ctx.attr.image[GoldenImageInfo]
    files = [info.disk, info.api_key]
    manifest = {
        "kind": info.kind,
        "disk": _rlocationpath(ctx, info.disk),
        "api_key": _rlocationpath(ctx, info.api_key),
        "memory_mb": info.memory_mb,
    }
    if info.kernel:
        manifest["kernel"] = _rlocationpath(ctx, info.kernel)
        manifest["initrd"] = _rlocationpath(ctx, info.initrd)
        files += [info.kernel, info.initrd]
    out = ctx.actions.declare_file(ctx.label.name + ".json")
    ctx.actions.write(out, json.encode_indent(manifest) + "\n")
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = files + [out]))]

vm_appliance = rule(
    implementation = _vm_appliance_impl,
    attrs = {"image": attr.label(mandatory = True, providers = [GoldenImageInfo])},
    doc = "A manifest of a golden image for tests (package vmimage/appliance); its runfiles carry the image.",
)

def _golden_choice_impl(ctx):
    if ctx.build_setting_value not in ["standin", "pfsense"]:
        fail("--//vmimage:golden={}: want standin or pfsense".format(ctx.build_setting_value))
    return []

golden_choice = rule(
    implementation = _golden_choice_impl,
    build_setting = config.string(flag = True),
    doc = "Which golden image VM tests boot: standin (default) or pfsense.",
)
