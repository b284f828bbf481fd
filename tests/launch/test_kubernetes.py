"""The course on Kubernetes (``deploy/kubernetes/values.yaml``, ``docs/kubernetes.md``),
checked without a cluster, Helm or a registry.

- The committed values are what :mod:`nncourse.hub.kubernetes` generates (so they cannot go
  stale when ``nncourse.hub`` changes), and parse back to the same data.
- Every key the values set is one the Zero to JupyterHub chart's values schema allows: the
  paths in :data:`SCHEMA_PATHS`, each checked by hand against the chart's schema (a list of
  paths, not a copy of the schema).
- Each role's configuration is the text ``nncourse hub`` writes on a single machine; the
  student's disables the formgrader, the instructor's does not; the hub's own pre-spawn hook,
  run here from the values' text, gives instructors theirs and everyone else a student's.
- Students get ``NNLIB_MODE=full`` and nothing of the grading kernels' environment.
- The exchange is mounted where nbgrader's configuration says, from the claim the module
  writes, with nbgrader's permissions; the image is the one the docs tell to build.

What no test here can do (a cluster, Helm, a registry, a real image) is listed in
``docs/kubernetes.md`` under "Not tested here".
"""

from __future__ import annotations

import difflib
import json
import re
import shlex
import subprocess
import sys
from types import SimpleNamespace

import pytest
import yaml

from nncourse import _meta, layout
from nncourse.hub import configs, hooks, kubernetes, settings
from tests.course_tools import ROOT

VALUES = ROOT / "deploy" / "kubernetes" / "values.yaml"
DOCS = ROOT / "docs" / "kubernetes.md"
REGENERATE = "python -m nncourse.hub.kubernetes > deploy/kubernetes/values.yaml"

#: The value paths the course sets, each checked against the Zero to JupyterHub chart's
#: ``jupyterhub/values.schema.yaml`` at tag 4.4.0 (repository
#: jupyterhub/zero-to-jupyterhub-k8s; the same paths validate at 4.0.0, 4.1.0, 4.2.0, 4.3.0
#: and 4.3.5: the values were validated with jsonschema against each tag's schema, merged
#: with its values.yaml as Helm merges them). ``*`` is any one key the schema leaves open
#: (``patternProperties``/``additionalProperties``); a path ending in ``**`` is a subtree the
#: schema passes through unchecked (traitlets configuration, Kubernetes objects).
SCHEMA_PATHS = {
    # hub.config: patternProperties "^[A-Z].*$", each a traitlets class passed to JupyterHub
    "hub.config.*.**": "pass-through traitlets configuration (class names start upper-case)",
    "hub.extraConfig.*": "additionalProperties: true; Python run in name order",
    # hub.services: additionalProperties: true, per service name/admin/command/url/apiToken...
    "hub.services.*.url": "string",
    "hub.services.*.oauth_no_confirm": "additionalProperties: true (a jupyterhub Service trait)",
    "hub.services.*.apiToken": "[string, null]",
    "singleuser.image.name": "string",
    "singleuser.image.tag": "string",
    "singleuser.uid": "[integer, null]",
    "singleuser.defaultUrl": "[string, null]",
    "singleuser.extraEnv.*": "type [object, array], additionalProperties: true",
    # extraFiles: patternProperties ".*", additionalProperties: false, required mountPath,
    # oneOf data/stringData/binaryData, mode
    "singleuser.extraFiles.*.mountPath": "string (required)",
    "singleuser.extraFiles.*.stringData": "string (oneOf data/stringData/binaryData)",
    "singleuser.storage.extraVolumes.**": "type [object, array, null]: Kubernetes Volumes",
    "singleuser.storage.extraVolumeMounts.**": "type [object, array, null]: Kubernetes VolumeMounts",
    "singleuser.initContainers.**": "type array: Kubernetes Containers",
    "singleuser.networkPolicy.egress.**": "type array: Kubernetes NetworkPolicyEgressRules",
}
#: Traitlets of JupyterHub that ``hub.config`` sets (checked against the installed
#: JupyterHub, when there is one; KubeSpawner.working_dir against jupyterhub-kubespawner
#: 7.0.0, the version chart 4.4.0's hub image pins).
JUPYTERHUB_TRAITS = {"JupyterHub": ("load_groups",), "Spawner": ("server_token_scopes", "pre_spawn_hook"),
                     "Authenticator": ("allowed_users", "admin_users")}


def _paths(node, prefix=()):
    """Every path to a leaf of ``node``, as tuples of keys (list items as ``[]``)."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _paths(value, (*prefix, str(key)))
    elif isinstance(node, list) and node:
        for item in node:
            yield from _paths(item, (*prefix, "[]"))
    else:
        yield prefix


def _allowed(path: tuple[str, ...]) -> bool:
    """Whether ``path`` matches one of :data:`SCHEMA_PATHS`."""
    for pattern in SCHEMA_PATHS:
        parts = pattern.split(".")
        subtree = parts[-1] == "**"
        if subtree:
            parts = parts[:-1]
        if len(path) < len(parts) or (not subtree and len(path) != len(parts)):
            continue
        if all(p == "*" or p == k for p, k in zip(parts, path)):
            return True
    return False


def _variants() -> dict[str, dict]:
    roster = kubernetes.roster_values(["teach"], ["ann", "ben"])
    return {"volume": kubernetes.build_values(), "ngshare": kubernetes.build_values(exchange="ngshare"),
            "roster": roster}


def _files(values: dict) -> dict[str, str]:
    """``mountPath -> text`` of ``singleuser.extraFiles``."""
    return {entry["mountPath"]: entry["stringData"] for entry in values["singleuser"]["extraFiles"].values()}


def _folder(values: dict, folder) -> dict[str, str]:
    """The files mounted in configuration folder ``folder``, by path inside it."""
    prefix = f"{folder}/"
    return {path[len(prefix):]: text for path, text in _files(values).items() if path.startswith(prefix)}


class _Spawner:
    """What the pre-spawn hook touches of a KubeSpawner: its user's groups and its environment."""

    def __init__(self, name: str, groups: list[str], environment: dict):
        self.user = SimpleNamespace(name=name, groups=[SimpleNamespace(name=g) for g in groups])
        self.environment = dict(environment)
        self.log = SimpleNamespace(info=lambda *args: None)


def _run_hook(values: dict, name: str, groups: list[str]) -> dict[str, str]:
    """The environment a server of ``name`` gets: the values' ``extraEnv``, then the hook of
    ``hub.extraConfig`` run from its text as the chart runs it (``exec`` with ``c``)."""
    from traitlets.config import Config

    c = Config()
    for code in values["hub"]["extraConfig"].values():
        exec(compile(code, "extraConfig", "exec"), {"c": c})  # noqa: S102 (our own generated text)
    spawner = _Spawner(name, groups, values["singleuser"]["extraEnv"])
    c.Spawner.pre_spawn_hook(spawner)
    return spawner.environment


def test_values_file_is_generated():
    """deploy/kubernetes/values.yaml is exactly the module's output."""
    expected = kubernetes.render_values()
    found = VALUES.read_text(encoding="utf-8") if VALUES.exists() else ""
    diff = "".join(list(difflib.unified_diff(found.splitlines(True), expected.splitlines(True),
                                             "committed", "generated", n=1))[:40])
    assert found == expected, f"{VALUES} is not what the module generates; run `{REGENERATE}`:\n{diff}"


def test_cli_prints_the_values():
    """``python -m nncourse.hub.kubernetes`` prints them (the command the docs give)."""
    out = subprocess.run([sys.executable, "-m", "nncourse.hub.kubernetes"], cwd=ROOT, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, f"expected exit 0, got {out.returncode}: {out.stderr[-2000:]}"
    assert out.stdout == kubernetes.render_values(), "expected the CLI to print render_values(), it printed other text"


def test_values_parse_back_to_the_data():
    """The YAML parses, and to exactly the dict the module built (literal blocks included)."""
    parsed = yaml.safe_load(VALUES.read_text(encoding="utf-8"))
    assert parsed == kubernetes.build_values(), "expected values.yaml to parse to build_values(), it differs"
    for variant in ("ngshare",):
        again = yaml.safe_load(kubernetes.render_values(exchange=variant))
        assert again == kubernetes.build_values(exchange=variant), f"expected the {variant} YAML to parse back"


@pytest.mark.parametrize("variant", ["volume", "ngshare", "roster"])
def test_every_key_is_in_the_chart_schema(variant):
    """Every path the values set is one of the schema paths checked by hand."""
    values = _variants()[variant]
    unknown = sorted(".".join(p) for p in _paths(values) if not _allowed(p))
    assert not unknown, (f"expected only the chart schema's paths {sorted(SCHEMA_PATHS)}; "
                         f"the {variant} values also set {unknown}")
    sections = sorted(values["hub"].get("config", {}))
    assert all(re.match(r"^[A-Z]", s) for s in sections), (
        f"expected hub.config sections named like traitlets classes (upper-case first), got {sections}")
    for key, entry in values.get("singleuser", {}).get("extraFiles", {}).items():
        assert re.fullmatch(r"[-._a-zA-Z0-9]+", key), f"expected extraFiles keys usable as Secret keys, got {key!r}"
        assert set(entry) == {"mountPath", "stringData"}, f"expected mountPath and stringData, got {sorted(entry)}"


def test_hub_config_names_jupyterhub_traits():
    """What ``hub.config`` sets are configurable traits of JupyterHub's classes."""
    app = pytest.importorskip("jupyterhub.app")
    from jupyterhub.auth import Authenticator
    from jupyterhub.spawner import Spawner

    classes = {"JupyterHub": app.JupyterHub, "Spawner": Spawner, "Authenticator": Authenticator}
    for name, traits in JUPYTERHUB_TRAITS.items():
        known = classes[name].class_trait_names(config=True)
        missing = [t for t in traits if t not in known]
        assert not missing, f"expected {name} to have configurable traits {traits}, missing {missing}"
    used = {(section, trait) for values in _variants().values()
            for section, traits in values["hub"].get("config", {}).items() for trait in traits}
    listed = {(s, t) for s, ts in JUPYTERHUB_TRAITS.items() for t in ts} | {("KubeSpawner", "working_dir")}
    assert used <= listed, f"expected hub.config to set only checked traits {sorted(listed)}, it sets {sorted(used - listed)}"


def test_each_role_gets_the_single_machine_configuration():
    """The files mounted in each role's folder are configs' text for the cluster's paths; the
    student's disables the formgrader and the instructors' lab plugins, the instructor's not."""
    values = kubernetes.build_values()
    hub = kubernetes.hub_settings()
    student = _folder(values, hub.config_dir("student"))
    instructor = _folder(values, hub.config_dir("instructor"))
    assert student == configs.student_files(hub.exchange_root), "expected the student folder to hold configs.student_files()"
    assert instructor == configs.instructor_files(hub.exchange_root, hub.course_root), (
        "expected the instructor folder to hold configs.instructor_files()")
    server = json.loads(student["jupyter_server_config.json"])["ServerApp"]["jpserver_extensions"]
    assert server.get("nbgrader.server_extensions.formgrader") is False, f"expected the formgrader off, got {server}"
    lab = json.loads(student["labconfig/page_config.json"])["disabledExtensions"]
    assert lab.get("@jupyter/nbgrader:formgrader") is True, f"expected the formgrader plugin disabled, got {lab}"
    assert "@jupyter/nbgrader:assignment-list" not in lab, f"expected the Assignments tab kept, got {lab}"
    for name, text in instructor.items():
        assert "formgrader" not in text, f"expected nothing in the instructor's {name} to disable the formgrader:\n{text}"
    assert hub.course_root in instructor["nbgrader_config.py"], (
        f"expected the instructor's nbgrader_config.py to load the course folder {hub.course_root}")


def test_roles_come_from_the_hub_groups():
    """The hook (run from the values' text) gives the instructors' group the instructor's
    folder and the exchange, and every other user (a student, an outsider) a student's."""
    values = kubernetes.build_values()
    hub = kubernetes.hub_settings()
    cid = layout.COURSE_ID
    expected = {"teach": ([settings.instructor_group(cid)], hub.config_dir("instructor")),
                "ann": ([settings.student_group(cid)], hub.config_dir("student")),
                "outsider": ([], hub.config_dir("student"))}
    for name, (groups, folder) in expected.items():
        env = _run_hook(values, name, groups)
        assert env["JUPYTER_CONFIG_PATH"] == str(folder), (
            f"expected {name} (groups {groups}) to read {folder}, got {env['JUPYTER_CONFIG_PATH']}")
        assert _folder(values, folder), f"expected files mounted in {folder}, none are"
        role = hooks.role(hub, set(groups))
        assert {k: env[k] for k in hooks.server_environment(hub, role, {})} == hooks.server_environment(hub, role, {}), (
            f"expected {name}'s environment to hold hooks.server_environment(..., {role!r})")
    teach = _run_hook(values, "teach", [settings.instructor_group(cid)])
    assert teach[settings.EXCHANGE_VARIABLE] == str(settings.DEFAULT_EXCHANGE_ROOT), (
        f"expected instructors' {settings.EXCHANGE_VARIABLE}={settings.DEFAULT_EXCHANGE_ROOT}, got {teach}")
    groups = values["hub"]["config"]["JupyterHub"]["load_groups"]
    assert set(groups) == {settings.student_group(cid), settings.instructor_group(cid)}, (
        f"expected the hub groups nbgrader-{cid} and formgrade-{cid}, got {sorted(groups)}")
    scopes = values["hub"]["config"]["Spawner"]["server_token_scopes"]
    assert "read:users:groups!user" in scopes, f"expected servers' tokens to read their user's groups, got {scopes}"
    assert values["hub"]["config"]["KubeSpawner"]["working_dir"] == kubernetes.HOME, (
        "expected every server to start in the home, not in the image's repository folder")


def test_students_run_full_mode_never_the_grading_environment():
    """Students get NNLIB_MODE=full; no server gets any variable of the grading kernels."""
    values = kubernetes.build_values()
    cid = layout.COURSE_ID
    base = values["singleuser"]["extraEnv"]
    assert base.get("NNLIB_MODE") == settings.STUDENT_MODE == "full", f"expected NNLIB_MODE=full, got {base}"
    servers = {"extraEnv": base,
               "student": _run_hook(values, "ann", [settings.student_group(cid)]),
               "outsider": _run_hook(values, "outsider", []),
               "instructor": _run_hook(values, "teach", [settings.instructor_group(cid)])}
    assert servers["student"]["NNLIB_MODE"] == "full", f"expected a student's NNLIB_MODE=full, got {servers['student']}"
    for who, env in servers.items():
        grading = {k: v for k, v in layout.GRADING_KERNEL_ENV.items() if env.get(k) == v}
        assert not grading, f"expected no grading kernel variable in the {who} servers' environment, found {grading}"


def test_exchange_volume_where_nbgrader_looks():
    """The ReadWriteMany claim is mounted at DEFAULT_EXCHANGE_ROOT, which every
    nbgrader_config.py names, and an init container makes it 1777."""
    values = kubernetes.build_values()
    root = str(settings.DEFAULT_EXCHANGE_ROOT)
    claim = kubernetes.exchange_claim("nfs-client")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"], f"expected ReadWriteMany, got {claim['spec']}"
    storage = values["singleuser"]["storage"]
    volumes = {v["name"]: v for v in storage["extraVolumes"]}
    mounts = {m["name"]: m["mountPath"] for m in storage["extraVolumeMounts"]}
    name = claim["metadata"]["name"]
    assert volumes.get(name, {}).get("persistentVolumeClaim") == {"claimName": name}, (
        f"expected a volume from the claim {name}, got {volumes}")
    assert mounts.get(name) == root, f"expected the exchange mounted at {root}, got {mounts}"
    for path, text in _files(values).items():
        if path.endswith("nbgrader_config.py"):
            assert f"c.Exchange.root = {root!r}" in text, f"expected {path} to name the exchange {root}:\n{text}"
    (init,) = values["singleuser"]["initContainers"]
    assert init["command"][-1].startswith(f"chmod 1777 {root} "), f"expected chmod 1777 {root}, got {init['command']}"
    assert init["securityContext"]["runAsUser"] == 0, f"expected the init container to run as root, got {init}"
    assert {m["name"]: m["mountPath"] for m in init["volumeMounts"]} == {name: root}, (
        f"expected the init container to mount {name} at {root}, got {init['volumeMounts']}")
    image = values["singleuser"]["image"]
    assert init["image"] == f"{image['name']}:{image['tag']}", f"expected the course's image, got {init['image']}"


def test_image_is_the_one_the_docs_build():
    """docs/kubernetes.md builds and pushes the image the values name, as repo2docker's
    user jovyan (uid 1000, the chart's singleuser.uid), with the repository out of the home."""
    docs = DOCS.read_text(encoding="utf-8")
    values = kubernetes.build_values()
    image = values["singleuser"]["image"]
    command = kubernetes.build_command()
    assert command in docs, f"expected docs/kubernetes.md to give the build command\n  {command}"
    words = shlex.split(command)
    option = {w: words[i + 1] for i, w in enumerate(words[:-1]) if w.startswith("--") and not words[i + 1].startswith("--")}
    assert option["--image-name"] == f"{image['name']}:{image['tag']}", (
        f"expected the docs to build {image['name']}:{image['tag']}, they build {option['--image-name']}")
    assert option["--ref"] == _meta.RELEASE_REF and words[-1] == _meta.REPO_URL, (
        f"expected the public repository {_meta.REPO_URL} at {_meta.RELEASE_REF}, got {words[-1]} at {option['--ref']}")
    assert (option["--user-name"], int(option["--user-id"])) == ("jovyan", values["singleuser"]["uid"]), (
        f"expected user jovyan with the chart's uid {values['singleuser']['uid']}, got {option}")
    assert option["--target-repo-dir"] == kubernetes.REPO_DIR and not kubernetes.REPO_DIR.startswith(kubernetes.HOME), (
        f"expected the repository outside the home volume, got {option['--target-repo-dir']}")
    keras = values["singleuser"]["extraEnv"]["KERAS_HOME"]
    assert f'"${{REPO_DIR}}/.keras"' in option["--appendix"] and keras == f"{kubernetes.REPO_DIR}/.keras", (
        f"expected the appendix to move the data sets to KERAS_HOME={keras}, got {option['--appendix']}")
    assert kubernetes.REGISTRY_PLACEHOLDER in image["name"] and "--registry" in docs, (
        "expected the registry as the one placeholder, and the docs to say how to replace it")
    name, tag = kubernetes.image("ghcr.io/you")
    built = kubernetes.build_values("ghcr.io/you")
    assert (built["singleuser"]["image"], built["singleuser"]["initContainers"][0]["image"]) == (
        {"name": name, "tag": tag}, f"{name}:{tag}"), "expected --registry to name the image everywhere"
    assert (f"helm repo add jupyterhub {kubernetes.CHART_REPO}" in docs and "helm upgrade --cleanup-on-fail --install" in docs
            and f"--version {kubernetes.CHART_VERSION}" in docs), (
        f"expected the docs to install chart {kubernetes.CHART_VERSION} from {kubernetes.CHART_REPO} with helm upgrade --install")
    assert "## Not tested here" in docs, "expected the docs to have a section 'Not tested here'"


def test_ngshare_variant():
    """With ngshare: no exchange volume, each nbgrader_config.py is the single machine's
    followed by ngshare_exchange's configureExchange, the hub knows the service, servers reach it."""
    values = kubernetes.build_values(exchange="ngshare")
    hub = kubernetes.hub_settings()
    assert "storage" not in values["singleuser"] and "initContainers" not in values["singleuser"], (
        "expected no exchange volume and no init container with ngshare")
    lines = kubernetes.ngshare_nbgrader_lines()
    assert "configureExchange" in lines and kubernetes.NGSHARE_URL in lines, f"expected configureExchange(c, URL), got {lines}"
    expected = {"student": configs.student_files(hub.exchange_root)["nbgrader_config.py"],
                "instructor": configs.instructor_files(hub.exchange_root, hub.course_root)["nbgrader_config.py"]}
    for role, text in expected.items():
        found = _folder(values, hub.config_dir(role))["nbgrader_config.py"]
        assert found == text + lines, f"expected the {role}'s nbgrader_config.py plus the ngshare lines, got:\n{found}"
    service = values["hub"]["services"][kubernetes.NGSHARE_SERVICE]
    assert kubernetes.NGSHARE_URL.startswith(service["url"]), f"expected the service at {service['url']} to serve {kubernetes.NGSHARE_URL}"
    (rule,) = values["singleuser"]["networkPolicy"]["egress"]
    assert rule["ports"] == [{"port": kubernetes.NGSHARE_PORT, "protocol": "TCP"}], f"expected egress to ngshare's port, got {rule}"
    assert "ngshare_exchange==" in kubernetes.build_command(exchange="ngshare"), "expected the ngshare image to install ngshare_exchange"
    assert "ngshare" not in kubernetes.build_command(), "expected no ngshare in the default image"


def test_roster_and_claim_commands(capsys, tmp_path):
    """``roster`` writes the groups and logins (names from options or @file); ``exchange-claim``
    the claim the values mount."""
    people = tmp_path / "students.txt"
    people.write_text("ann\nben  # second\n\nann\n", encoding="utf-8")
    assert kubernetes.main(["roster", "--instructor", "teach", "--student", f"@{people}", "--student", "cat,dan"]) == 0
    roster = yaml.safe_load(capsys.readouterr().out)["hub"]["config"]
    groups = roster["JupyterHub"]["load_groups"]
    cid = layout.COURSE_ID
    assert groups == {settings.student_group(cid): {"users": ["ann", "ben", "cat", "dan"]},
                      settings.instructor_group(cid): {"users": ["teach"]}}, f"unexpected groups {groups}"
    assert roster["Authenticator"] == {"allowed_users": ["ann", "ben", "cat", "dan", "teach"], "admin_users": ["teach"]}, (
        f"expected everyone allowed and the instructor admin, got {roster['Authenticator']}")
    assert kubernetes.main(["exchange-claim", "--storage-class", "nfs-client", "--size", "5Gi"]) == 0
    claim = yaml.safe_load(capsys.readouterr().out)
    assert claim["metadata"]["name"] == kubernetes.EXCHANGE_CLAIM and claim["spec"]["storageClassName"] == "nfs-client", (
        f"expected the claim {kubernetes.EXCHANGE_CLAIM} of class nfs-client, got {claim}")
    with pytest.raises(SystemExit):
        kubernetes.main(["roster", "--student", "ann"])
    with pytest.raises(ValueError, match="exchange must be one of"):
        kubernetes.build_values(exchange="nfs")
