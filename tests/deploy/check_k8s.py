#!/usr/bin/env python3
"""ctest deploy.k8s: the rendered manifests keep the rules deploy/k8s/README.md
promises. Usage: check_k8s.py RENDERED.yaml README.md

No schema validator for Kubernetes is packaged in Debian 12, so this checks
what matters here by hand: non-root read-only containers with requests and
limits, native gRPC probes on a declared port, a headless Service, a volume
and a disruption budget per store, default-deny networking, and only the
Secrets the README tells the operator to create."""
import sys

import yaml

DOCUMENTED_SECRETS = {"yusuan-internal-secret", "yusuan-signing-key"}


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
        return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items()) and all(
            (labels.get(e["key"]) in e["values"]) == (e["operator"] == "In")
            for e in selector.get("matchExpressions", []))

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
