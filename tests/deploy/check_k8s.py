#!/usr/bin/env python3
"""ctest deploy.k8s: the rendered manifests keep the rules deploy/k8s/README.md
promises. Usage: check_k8s.py RENDERED.yaml README.md

No schema validator for Kubernetes is packaged in Debian 12, so this checks
what matters here by hand: non-root read-only containers with requests and
limits, native gRPC probes on a declared port, a headless Service, a volume
and a disruption budget per store, default-deny networking, and only the
Secrets the README tells the operator to create.

With several shards (the same objects once per shard, told apart by a name
prefix and the label yusuan.gov.cn/shard) it also checks what a name prefix
and a label leave undone: that every selector picks the pods of one
workload, each shard's stores are reached by the gateway and that shard's
backup job only, the backup job and the gateway's shard map name Services
of the output on the right port and shard, and no volume claim is shared."""
import json
import os
import re
import shlex
import sys

import yaml

DOCUMENTED_SECRETS = {"yusuan-internal-secret", "yusuan-signing-key"}
SHARD_LABEL = "yusuan.gov.cn/shard"
COMPONENT_LABEL = "app.kubernetes.io/component"
STORES = ("ledger", "goals", "report")


def main():
    rendered, readme_path = sys.argv[1], sys.argv[2]
    with open(rendered, encoding="utf-8") as f:
        objects = [o for o in yaml.safe_load_all(f) if o]
    with open(readme_path, encoding="utf-8") as f:
        readme = f.read()
    problems = []

    def problem(obj, text):
        problems.append(f"{obj['kind']}/{obj['metadata']['name']}: {text}")

    by_kind = {}
    for obj in objects:
        by_kind.setdefault(obj["kind"], []).append(obj)
    services = {s["metadata"]["name"]: s for s in by_kind.get("Service", [])}
    pdbs = by_kind.get("PodDisruptionBudget", [])

    def matches(selector, labels):
        def expression(e):
            if e["operator"] == "Exists":
                return e["key"] in labels
            if e["operator"] == "DoesNotExist":
                return e["key"] not in labels
            return (labels.get(e["key"]) in e["values"]) == (e["operator"] == "In")

        return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items()) and all(
            expression(e) for e in selector.get("matchExpressions") or [])

    def check_pod(obj, pod, long_running):
        spec = pod["spec"]
        if spec.get("automountServiceAccountToken") is not False:
            problem(obj, "mounts a service account token it does not need")
        security = spec.get("securityContext", {})
        if security.get("runAsNonRoot") is not True or not security.get("runAsUser"):
            problem(obj, "the pod may run as root")
        if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
            problem(obj, "no RuntimeDefault seccomp profile")
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for volume in volumes.values():
            secret = volume.get("secret")
            if secret is None:
                continue
            if secret["secretName"] not in DOCUMENTED_SECRETS:
                problem(obj, f"mounts Secret {secret['secretName']}, which deploy/k8s/README.md does not name")
            if secret.get("defaultMode") != 0o440:
                problem(obj, f"Secret volume {volume['name']} is not mode 0440 (the services refuse wider modes)")
        for container in spec.get("initContainers", []) + spec["containers"]:
            name = container["name"]
            c_security = container.get("securityContext", {})
            if c_security.get("allowPrivilegeEscalation") is not False:
                problem(obj, f"{name}: privilege escalation allowed")
            if c_security.get("readOnlyRootFilesystem") is not True:
                problem(obj, f"{name}: the root file system is writable")
            if "ALL" not in c_security.get("capabilities", {}).get("drop", []):
                problem(obj, f"{name}: capabilities not all dropped")
            resources = container.get("resources", {})
            for bound in ("requests", "limits"):
                for what in ("cpu", "memory"):
                    if what not in resources.get(bound, {}):
                        problem(obj, f"{name}: no {what} {bound[:-1]}")
            if container.get("image", "").split(":")[0] in ("", "yusuan"):
                problem(obj, f"{name}: the image is not set by the overlay")
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes and not any(
                        t["metadata"]["name"] == mount["name"] for t in obj["spec"].get("volumeClaimTemplates", [])):
                    problem(obj, f"{name}: mounts {mount['name']}, which is no volume")
        if not long_running:
            return
        for container in spec["containers"]:
            ports = {p["containerPort"] for p in container.get("ports", [])}
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                grpc_probe = container.get(probe, {}).get("grpc")
                if grpc_probe is None:
                    problem(obj, f"{container['name']}: no native gRPC {probe}")
                elif grpc_probe.get("port") not in ports:
                    problem(obj, f"{container['name']}: {probe} on port {grpc_probe.get('port')}, not a container port")
            if "--listen_host=0.0.0.0" not in container.get("args", []):
                problem(obj, f"{container['name']}: listens on loopback only (--listen_host)")
        labels = pod["metadata"]["labels"]
        if not any(matches(p["spec"]["selector"], labels) for p in pdbs):
            problem(obj, "no PodDisruptionBudget selects its pods")

    for obj in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []):
        check_pod(obj, obj["spec"]["template"], long_running=True)
    for obj in by_kind.get("CronJob", []):
        check_pod(obj, obj["spec"]["jobTemplate"]["spec"]["template"], long_running=False)

    # A StatefulSet's serviceName is its own headless Service (a name prefix
    # renames both; a Service of another shard selects other pods).
    for obj in by_kind.get("StatefulSet", []):
        service = services.get(obj["spec"]["serviceName"])
        if service is None or service["spec"].get("clusterIP") != "None":
            problem(obj, "its serviceName is not a headless Service of the output")
        elif not matches({"matchLabels": service["spec"]["selector"]}, obj["spec"]["template"]["metadata"]["labels"]):
            problem(obj, "its headless Service does not select its pods")
        if obj["spec"].get("replicas") != 1:
            problem(obj, "a store is one writer: replicas must be 1")
        claims = {t["metadata"]["name"] for t in obj["spec"].get("volumeClaimTemplates", [])}
        container = obj["spec"]["template"]["spec"]["containers"][0]
        data_dirs = [a.split("=", 1)[1] for a in container["args"] if a.startswith("--data_dir=")]
        mounts = [m["mountPath"] for m in container["volumeMounts"] if m["name"] in claims]
        if not data_dirs or not any(d.startswith(m + "/") for d in data_dirs for m in mounts):
            problem(obj, "--data_dir is not on its persistent volume")

    for obj in by_kind.get("Deployment", []):
        for arg in obj["spec"]["template"]["spec"]["containers"][0].get("args", []):
            if arg.split("=")[0] in ("--ledger_address", "--goals_address", "--report_address"):
                host = arg.split("=", 1)[1].split(":")[0]
                if host not in services:
                    problem(obj, f"{arg}: no Service {host} in the output")

    # Every pod template of the output, and what selects pods.
    templates = []  # (workload, pod template labels, pod spec)
    for obj in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []):
        templates.append((obj, obj["spec"]["template"]["metadata"].get("labels", {}),
                          obj["spec"]["template"]["spec"]))
    for obj in by_kind.get("CronJob", []):
        template = obj["spec"]["jobTemplate"]["spec"]["template"]
        templates.append((obj, template["metadata"].get("labels", {}), template["spec"]))

    def name_of(obj):
        return f"{obj['kind']}/{obj['metadata']['name']}"

    def selected(selector):
        return [w for w, labels, _ in templates if matches(selector, labels)]

    def service_selector(service):
        return {"matchLabels": service["spec"].get("selector") or {}}

    # A selector picks the pods of one workload: its own for a
    # Deployment or StatefulSet (two workloads whose selectors overlap fight
    # over each other's pods: a shard's label missing from one shard's
    # selectors), one workload's for a Service or disruption budget.
    for obj in by_kind.get("Deployment", []) + by_kind.get("StatefulSet", []):
        others = [w for w in selected(obj["spec"]["selector"]) if w is not obj]
        if others:
            problem(obj, "its selector also matches the pods of " + ", ".join(name_of(w) for w in others))
    for obj in by_kind.get("Service", []) + pdbs:
        selector = service_selector(obj) if obj["kind"] == "Service" else obj["spec"]["selector"]
        if obj["kind"] == "Service" and not obj["spec"].get("selector"):
            continue
        picked = selected(selector)
        if len(picked) != 1:
            problem(obj, "its selector matches the pods of " + (", ".join(name_of(w) for w in picked) or "nothing")
                    + ", not of one workload")

    def shard_of(obj):
        return obj["metadata"].get("labels", {}).get(SHARD_LABEL)

    def shard_text(shard):
        return f"shard {shard}" if shard else "no shard"

    def store_service(host, port, role, where):
        """The Service a store address names, or None after a problem; host
        may be NAME or NAME.NAMESPACE[.svc[.cluster.local]]."""
        name = host.split(".")[0]
        service = services.get(name)
        namespace = service and service["metadata"].get("namespace")
        if service is None or (host != name and namespace and host.split(".")[1] != namespace):
            where(f"{role} address {host}:{port}: no Service {host} in the output")
            return None
        if not any(str(p.get("port")) == str(port) for p in service["spec"].get("ports", [])):
            where(f"{role} address {host}:{port}: Service {name} has no port {port}")
            return None
        picked = selected(service_selector(service))
        if not picked or any(w["spec"]["template"]["metadata"]["labels"].get(COMPONENT_LABEL) != role
                             for w in picked if w["kind"] != "CronJob"):
            where(f"{role} address {host}:{port}: Service {name} does not select the {role} store")
            return None
        return service

    # The gateway's shard map: a ConfigMap of the output, mounted read-only
    # as a directory (a subPath mount never sees an update), that parses,
    # and whose addresses are Services of the output on their port, the
    # three of a map entry the stores of the shard labelled with its name.
    # Several shards rendered and no map: the gateway would serve one.
    shard_labels = {shard_of(w) for w in by_kind.get("StatefulSet", [])}
    configmaps = {c["metadata"]["name"]: c for c in by_kind.get("ConfigMap", [])}
    for obj in by_kind.get("Deployment", []):
        spec = obj["spec"]["template"]["spec"]
        container = spec["containers"][0]
        map_files = [a.split("=", 1)[1] for a in container.get("args", []) if a.startswith("--shard_map=")]
        if not map_files:
            if len(shard_labels) > 1:
                problem(obj, f"{len(shard_labels)} shards are rendered but the gateway has no --shard_map")
            continue
        map_file = map_files[0]
        mounts = [m for m in container.get("volumeMounts", [])
                  if map_file.startswith(m["mountPath"].rstrip("/") + "/")]
        if not mounts:
            problem(obj, f"--shard_map={map_file}: no volume is mounted there")
            continue
        mount = max(mounts, key=lambda m: len(m["mountPath"]))
        if mount.get("readOnly") is not True:
            problem(obj, f"the shard map's volume {mount['name']} is not mounted read-only")
        if mount.get("subPath"):
            problem(obj, f"the shard map's volume {mount['name']} is mounted with subPath: it would never be updated")
        volume = next((v for v in spec.get("volumes", []) if v["name"] == mount["name"]), {})
        source = volume.get("configMap")
        if source is None:
            problem(obj, f"--shard_map={map_file}: volume {mount['name']} is not a ConfigMap")
            continue
        configmap = configmaps.get(source["name"])
        if configmap is None:
            problem(obj, f"--shard_map={map_file}: no ConfigMap {source['name']} in the output")
            continue
        path = os.path.relpath(map_file, mount["mountPath"])
        key = next((i["key"] for i in source.get("items", []) if i["path"] == path),
                   None if source.get("items") else path)
        text = (configmap.get("data") or {}).get(key)
        if text is None:
            problem(obj, f"--shard_map={map_file}: ConfigMap {source['name']} has no {key}")
            continue
        try:
            shard_map = json.loads(text)
            shards = shard_map["shards"]
        except (ValueError, KeyError, TypeError) as e:
            problem(obj, f"ConfigMap {source['name']} {key} is no shard map: {e}")
            continue
        names, prefixes = set(), set()
        for i, shard in enumerate(shards):
            def where(text, i=i):
                problem(obj, f"ConfigMap {source['name']} {key} shards[{i}]: {text}")

            name = shard.get("name", "")
            if not re.fullmatch(r"[a-z0-9-]+", name) or name in names:
                where(f"name {name!r} is not a unique name of [a-z0-9-]")
            names.add(name)
            for prefix in shard.get("regions", []):
                if not re.fullmatch(r"[0-9]*", prefix) or prefix in prefixes:
                    where(f"region prefix {prefix!r} is not digits or is held twice")
                prefixes.add(prefix)
            held = set()
            for role in STORES:
                host, _, port = shard.get(role, "").rpartition(":")
                service = store_service(host, port, role, where) if host else None
                if not host:
                    where(f"{role}: no host:port")
                if service is not None:
                    held.add(shard_of(service))
            if len(held) > 1:
                where("its three stores are of different shards: " + ", ".join(sorted(map(shard_text, held))))
            elif held and None not in held and held != {name}:
                where(f"shard {name} names the stores of shard {held.pop()}")

    # Each backup job copies its own shard: its --ledger, --goals and
    # --report name Services of the output, on their port, in the shard of
    # the job (for one shard, unlabelled, the only stores there are).
    for obj, labels, spec in templates:
        if obj["kind"] != "CronJob":
            continue
        for container in spec["containers"]:
            env = {e["name"]: e.get("value", "") for e in container.get("env", [])}

            def expand(word):
                return re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)|\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?",
                              lambda m: env.get(m.group(1) or m.group(2), m.group(0)), word)

            words = []
            for part in container.get("command", []) + container.get("args", []):
                try:
                    words += shlex.split(part)
                except ValueError:
                    words += part.split()
            if "backup" not in words:
                continue
            for role in STORES:
                flag = f"--{role}"
                values = [words[i + 1] for i, w in enumerate(words[:-1]) if w == flag] + [
                    w.split("=", 1)[1] for w in words if w.startswith(flag + "=")]
                if not values:
                    problem(obj, f"{container['name']}: no {flag}")
                    continue
                address = expand(values[0])
                host, _, port = address.rpartition(":")
                if "$" in address or not host:
                    problem(obj, f"{container['name']}: {flag} {values[0]} is no host:port once its variables are set")
                    continue
                service = store_service(host, port, role, lambda text: problem(obj, f"{container['name']}: {text}"))
                if service is not None and shard_of(service) != labels.get(SHARD_LABEL):
                    problem(obj, f"{container['name']}: {flag} {address} is a store of "
                                 f"{shard_text(shard_of(service))}, the job's pods are of "
                                 f"{shard_text(labels.get(SHARD_LABEL))}")

    # A store takes calls from the gateway and its own shard's backup
    # job only (kustomize adds a shard label to the matchLabels of every
    # selector of a shard's network policy, the gateway's peer included):
    # a policy of the store must let them in, and a policy of theirs out.
    policies = by_kind.get("NetworkPolicy", [])

    def allowed(direction, source_labels, target_labels, target_ports):
        mine, peer, field, other = ((target_labels, source_labels, "ingress", "from") if direction == "Ingress"
                                    else (source_labels, target_labels, "egress", "to"))
        for policy in policies:
            spec = policy["spec"]
            if direction not in spec.get("policyTypes", ["Ingress"]) or not matches(spec["podSelector"], mine):
                continue
            for rule in spec.get(field) or []:
                if rule.get("ports") and not any(p.get("protocol", "TCP") == "TCP" and p.get("port") in target_ports
                                                  for p in rule["ports"]):
                    continue
                peers = rule.get(other)
                if not peers or any("podSelector" in p and "namespaceSelector" not in p and "ipBlock" not in p
                                    and matches(p["podSelector"], peer) for p in peers):
                    return True
        return False

    for target, target_labels, target_spec in templates:
        if target_labels.get(COMPONENT_LABEL) not in STORES:
            continue
        target_ports = {p.get(k) for c in target_spec["containers"] for p in c.get("ports", [])
                        for k in ("containerPort", "name")} - {None}
        for policy in policies:
            spec = policy["spec"]
            if "Ingress" in spec.get("policyTypes", ["Ingress"]) and matches(spec["podSelector"], target_labels):
                for rule in spec.get("ingress") or []:
                    if not rule.get("from") or any("podSelector" not in p or "namespaceSelector" in p
                                                   for p in rule["from"]):
                        problem(policy, f"admits calls to {name_of(target)} from outside the namespace")
        for source, source_labels, _ in templates:
            if source is target:
                continue
            component = source_labels.get(COMPONENT_LABEL)
            wanted = component == "gateway" or (
                component == "backup" and source_labels.get(SHARD_LABEL) == target_labels.get(SHARD_LABEL))
            # Each side on its own: a policy that lets a backup job out to
            # another shard's stores is wrong even where theirs keeps it out.
            source_name = name_of(source)
            for direction, keeps_out, lets_in in (
                    ("Ingress", f"its ingress policies keep {source_name} out",
                     f"its ingress policies let {source_name} in"),
                    ("Egress", f"the egress policies of {source_name} keep it from calling this store",
                     f"the egress policies of {source_name} let it call this store")):
                admitted = allowed(direction, source_labels, target_labels, target_ports)
                if wanted and not admitted:
                    problem(target, keeps_out)
                elif admitted and not wanted:
                    problem(target, lets_in)

    # A volume claim is one workload's: no two shards' backup jobs on one
    # volume (a name prefix renames the claim and its claimName together).
    claims = {c["metadata"]["name"] for c in by_kind.get("PersistentVolumeClaim", [])}
    users = {}
    for obj, _, spec in templates:
        for volume in spec.get("volumes", []):
            claim = volume.get("persistentVolumeClaim", {}).get("claimName")
            if claim is None:
                continue
            if claim not in claims:
                problem(obj, f"volume {volume['name']}: no PersistentVolumeClaim {claim} in the output")
            users.setdefault(claim, []).append(name_of(obj))
    for claim, names in users.items():
        if len(names) > 1:
            problems.append(f"PersistentVolumeClaim/{claim} is mounted by {', '.join(names)}")

    if not any(p["spec"].get("podSelector") == {} and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}
               and not p["spec"].get("ingress") and not p["spec"].get("egress")
               for p in by_kind.get("NetworkPolicy", [])):
        problems.append("no default-deny NetworkPolicy (every pod, ingress and egress, no rule)")
    for namespace in by_kind.get("Namespace", []):
        if namespace["metadata"].get("labels", {}).get("pod-security.kubernetes.io/enforce") != "restricted":
            problem(namespace, "does not enforce the restricted Pod Security Standard")
    for secret in DOCUMENTED_SECRETS:
        if secret not in readme:
            problems.append(f"deploy/k8s/README.md does not say how to create Secret {secret}")

    for line in problems:
        print(f"deploy.k8s: {line}")
    if problems:
        return 1
    print(f"deploy.k8s: {len(objects)} objects rendered, every rule kept")
    return 0


if __name__ == "__main__":
    sys.exit(main())
