"""Golden images as Bazel artifacts.

- `standin_initramfs`: the stand-in appliance's initramfs (static init, payload, modules).
- `golden_stage`: one stage of a golden image build (`vmimage stage`): boots the previous
  stage's disk and leaves a new qcow2 and the console transcript; the last stage also the
  API key. Its action boots QEMU: it may use KVM and (for pfSense) the network, so it runs
  unsandboxed and never remotely, but its outputs are ordinary cacheable outputs: a remote
  cache shares them.
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

GoldenStageInfo = provider(
    doc = "A stage of a golden image build: its disk, which the next stage boots.",
    fields = {
        "kind": "standin or pfsense",
        "stage": "the stage's name",
        "disk": "File: the stage's standalone qcow2",
    },
)

# Each kind's stages, in order (vmimage/golden, Stages).
_STAGES = {
    "pfsense": ["install", "firstboot", "upgrade", "golden"],
    "standin": ["disk", "golden"],
}

# What each stage takes with KVM (vmimage/README.md), for the progress message.
_ABOUT = {
    "install": "3-5 min with KVM",
    "firstboot": "2-3 min with KVM",
    "upgrade": "15-25 min with KVM",
    "disk": "seconds",
}

def _golden_stage_impl(ctx):
    kind, stage = ctx.attr.kind, ctx.attr.stage
    if stage not in _STAGES[kind]:
        fail("golden_stage {}: stage {} is not one of {}'s stages {}".format(ctx.label, stage, kind, _STAGES[kind]))
    first = stage == _STAGES[kind][0]
    if first != (ctx.attr.disk == None):
        fail("golden_stage {}: stage {} {} the previous stage's disk".format(ctx.label, stage, "takes no" if first else "needs"))
    prev = ctx.attr.disk[GoldenStageInfo] if ctx.attr.disk else None
    if prev:
        want = _STAGES[kind][_STAGES[kind].index(stage) - 1]
        if prev.kind != kind or prev.stage != want:
            fail("golden_stage {}: disk comes from {} stage {}, want {} stage {}".format(ctx.label, prev.kind, prev.stage, kind, want))
    golden = stage == "golden"
    out = ctx.label.name + "/"
    disk = ctx.actions.declare_file(out + ("golden.qcow2" if golden else "disk.qcow2"))
    console = ctx.actions.declare_file(out + "console.txt")
    progress = ctx.actions.declare_file(out + "progress.log")
    outputs = [disk, console, progress]
    args = ctx.actions.args()
    args.add("stage")
    args.add("--kind", kind)
    args.add("--stage", stage)
    args.add("--out-disk", disk)
    args.add("--out-console", console)
    args.add("--out-progress", progress)
    inputs = []
    key = None
    if golden:
        key = ctx.actions.declare_file(out + "api-key.txt")
        outputs.append(key)
        args.add("--out-api-key", key)
    if prev:
        args.add("--disk", prev.disk)
        inputs.append(prev.disk)
    kernel, initrd = None, None
    if kind == "pfsense" and stage == "install":
        if not ctx.file.memstick_pin:
            fail("golden_stage {}: the install stage needs memstick_pin".format(ctx.label))
        args.add("--memstick-pin", ctx.file.memstick_pin)
        inputs.append(ctx.file.memstick_pin)
    if kind == "pfsense" and stage == "upgrade" and ctx.attr.restapi_package:
        args.add("--restapi-pkg", ctx.attr.restapi_package)
    if kind == "standin" and golden:
        if not ctx.file.kernel or not ctx.file.initrd:
            fail("golden_stage {}: the stand-in's golden stage needs kernel and initrd".format(ctx.label))
        kernel, initrd = ctx.file.kernel, ctx.file.initrd
        args.add("--kernel", kernel)
        args.add("--initrd", initrd)
        inputs += [kernel, initrd]
    if ctx.attr.accel:
        args.add("--accel", ctx.attr.accel)

    # Unsandboxed: QEMU needs /dev/kvm and loopback ports, the install stage its verified
    # memstick cache and every stage its live logs in ~/.cache/pfsense-mcp. Never remote:
    # the VM needs this machine's KVM. Nothing disables caching: the outputs go to
    # --disk_cache and --remote_cache like any other.
    reqs = {"no-remote-exec": "1", "no-sandbox": "1"}
    if stage != "disk":
        reqs["requires-kvm"] = "1"
    if kind == "pfsense" and stage != "firstboot":
        reqs["requires-network"] = "1"
    what = "{} golden image, stage {}".format("pfSense" if kind == "pfsense" else "stand-in", stage)
    if stage in _ABOUT:
        what += " (" + _ABOUT[stage] + ")"
    ctx.actions.run(
        executable = ctx.executable._vmimage,
        arguments = [args],
        inputs = inputs,
        outputs = outputs,
        mnemonic = "GoldenImage" if golden else "GoldenStage",
        progress_message = "{} %{{label}}; live: tail -F ~/.cache/pfsense-mcp/golden-logs/{}-{}/progress.log".format(what, kind, stage),
        execution_requirements = reqs,
        # PATH (--incompatible_strict_action_env: /bin:/usr/bin:/usr/local/bin) finds QEMU.
        use_default_shell_env = True,
    )
    providers = [
        DefaultInfo(files = depset(outputs)),
        GoldenStageInfo(kind = kind, stage = stage, disk = disk),
    ]
    if golden:
        providers.append(GoldenImageInfo(kind = kind, disk = disk, api_key = key, kernel = kernel, initrd = initrd, memory_mb = ctx.attr.memory_mb))
    return providers

golden_stage = rule(
    implementation = _golden_stage_impl,
    attrs = {
        "kind": attr.string(mandatory = True, values = ["standin", "pfsense"]),
        "stage": attr.string(mandatory = True, doc = "pfsense: install, firstboot, upgrade, golden; standin: disk, golden"),
        "disk": attr.label(providers = [GoldenStageInfo], doc = "the previous stage (none for the first)"),
        "memstick_pin": attr.label(allow_single_file = [".json"], doc = "pfsense install: the memstick pin (@pfsense_memstick//:pin.json)"),
        "restapi_package": attr.string(doc = "pfsense upgrade: REST API package URL (default: v2.7.1 for 2.8.1)"),
        "kernel": attr.label(allow_single_file = True, doc = "standin golden: the kernel"),
        "initrd": attr.label(allow_single_file = True, doc = "standin golden: the initramfs"),
        "memory_mb": attr.int(default = 2048, doc = "golden: the appliance's memory when tests boot it"),
        "accel": attr.string(values = ["", "kvm", "tcg"], doc = "force an accelerator (default: KVM when it works)"),
        "_vmimage": attr.label(default = "//vmimage/cmd/vmimage", executable = True, cfg = "exec"),
    },
    doc = """One stage of a golden image build: boots the previous stage's disk and leaves
    NAME/disk.qcow2 (the golden stage: NAME/golden.qcow2 and NAME/api-key.txt), the console
    transcript NAME/console.txt and NAME/progress.log. See vmimage/README.md.""",
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
