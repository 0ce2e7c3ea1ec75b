package com.backlogmcp.deploy.k8s;

import com.backlogmcp.contracts.events.Topics;
import com.backlogmcp.deploy.k8s.NetworkReachability.Pod;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static com.backlogmcp.deploy.k8s.Manifests.mainContainer;
import static com.backlogmcp.deploy.k8s.Manifests.name;
import static com.backlogmcp.deploy.k8s.Manifests.podLabels;

/**
 * The rules every rendered overlay must satisfy. Each check answers the list of problems it found
 * (empty = fine), so one test run reports every broken rule at once, and a unit test can feed each
 * check a deliberately broken manifest.
 */
final class ManifestChecks {

    /** Who calls whom (docs/architecture.md §1, README's architecture table): the network must allow exactly these service-to-service calls. */
    static final Map<String, Set<String>> CALLS = Map.of(
            "mcp-service", Set.of("auth-service", "backlog-service", "audit-service"),
            "auth-service", Set.of("backlog-service", "audit-service"),
            "backlog-service", Set.of(),
            "audit-service", Set.of());
    /** Reachable from outside the cluster (through the ingress controller). */
    static final Set<String> PUBLIC = Set.of("mcp-service", "auth-service");
    static final Set<String> AUTOSCALED = Set.of("mcp-service", "backlog-service");
    /** The public paths and the service that must answer each (docs/architecture.md §3 and the edge's endpoint). */
    static final Map<String, String> PUBLIC_PATHS = orderedMap(
            "/p/", "mcp-service",
            "/w/", "mcp-service",
            "/.well-known/oauth-protected-resource", "mcp-service",
            "/oauth/", "auth-service",
            "/.well-known/oauth-authorization-server", "auth-service",
            "/.well-known/openid-configuration", "auth-service",
            "/login", "auth-service",
            "/logout", "auth-service",
            "/consent", "auth-service",
            "/account", "auth-service",
            "/admin", "auth-service");
    /** Keys CloudNativePG writes into the {@code <cluster>-app} Secret. */
    static final Set<String> CNPG_APP_SECRET_KEYS = Set.of("username", "password", "host", "port", "dbname", "uri", "jdbc-uri", "pgpass");

    private ManifestChecks() {
    }

    // ---- Deployments -------------------------------------------------------------------------

    static List<String> probes(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = name(d) + " container " + c.getName();
                probe(problems, where, "startupProbe", c.getStartupProbe(), c, null);
                probe(problems, where, "readinessProbe", c.getReadinessProbe(), c, "/health/readiness");
                probe(problems, where, "livenessProbe", c.getLivenessProbe(), c, "/health/liveness");
            }
        }
        return problems;
    }

    private static void probe(List<String> problems, String where, String kind, Probe probe, Container c, String expectedPath) {
        if (probe == null) {
            problems.add(where + " has no " + kind);
            return;
        }
        HTTPGetAction get = probe.getHttpGet();
        if (get == null) {
            problems.add(where + " " + kind + " is not an HTTP GET on a health endpoint");
            return;
        }
        if (expectedPath != null && !expectedPath.equals(get.getPath())) {
            problems.add(where + " " + kind + " probes " + get.getPath() + ", expected " + expectedPath);
        } else if (get.getPath() == null || !get.getPath().startsWith("/health")) {
            problems.add(where + " " + kind + " probes " + get.getPath() + ", not a /health endpoint");
        }
        if (containerPort(c, get.getPort()) == null) {
            problems.add(where + " " + kind + " targets port " + show(get.getPort()) + " which the container does not declare");
        }
    }

    static List<String> resources(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                String where = name(d) + " container " + c.getName();
                ResourceRequirements r = c.getResources();
                Map<String, Quantity> requests = r == null || r.getRequests() == null ? Map.of() : r.getRequests();
                Map<String, Quantity> limits = r == null || r.getLimits() == null ? Map.of() : r.getLimits();
                for (String resource : List.of("cpu", "memory")) {
                    Quantity request = requests.get(resource);
                    Quantity limit = limits.get(resource);
                    if (request == null) problems.add(where + " has no " + resource + " request");
                    if (limit == null) problems.add(where + " has no " + resource + " limit");
                    if (request != null && limit != null && request.getNumericalAmount().compareTo(limit.getNumericalAmount()) > 0) {
                        problems.add(where + " requests more " + resource + " (" + request + ") than its limit (" + limit + ")");
                    }
                }
            }
        }
        return problems;
    }

    static List<String> securityContexts(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            PodSpec pod = d.getSpec().getTemplate().getSpec();
            PodSecurityContext podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
            for (Container c : pod.getContainers()) {
                String where = name(d) + " container " + c.getName();
                SecurityContext sc = c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
                Boolean nonRoot = sc.getRunAsNonRoot() != null ? sc.getRunAsNonRoot() : podContext.getRunAsNonRoot();
                Long uid = sc.getRunAsUser() != null ? sc.getRunAsUser() : podContext.getRunAsUser();
                if (!Boolean.TRUE.equals(nonRoot)) problems.add(where + " does not set runAsNonRoot: true");
                if (uid != null && uid == 0) problems.add(where + " runs as uid 0");
                if (!Boolean.TRUE.equals(sc.getReadOnlyRootFilesystem())) problems.add(where + " does not set readOnlyRootFilesystem: true");
                if (!Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) problems.add(where + " does not set allowPrivilegeEscalation: false");
                if (Boolean.TRUE.equals(sc.getPrivileged())) problems.add(where + " is privileged");
                if (sc.getCapabilities() == null || sc.getCapabilities().getDrop() == null || !sc.getCapabilities().getDrop().contains("ALL")) {
                    problems.add(where + " does not drop ALL capabilities");
                } else if (sc.getCapabilities().getAdd() != null && !sc.getCapabilities().getAdd().isEmpty()) {
                    problems.add(where + " adds capabilities " + sc.getCapabilities().getAdd());
                }
                var seccomp = sc.getSeccompProfile() != null ? sc.getSeccompProfile() : podContext.getSeccompProfile();
                if (seccomp == null || !"RuntimeDefault".equals(seccomp.getType())) problems.add(where + " has no RuntimeDefault seccomp profile");
                boolean tmpMounted = c.getVolumeMounts() != null && c.getVolumeMounts().stream().anyMatch(v -> "/tmp".equals(v.getMountPath())
                        && pod.getVolumes() != null && pod.getVolumes().stream().anyMatch(vol -> vol.getName().equals(v.getName()) && vol.getEmptyDir() != null));
                if (!tmpMounted) problems.add(where + " has no writable emptyDir at /tmp (its root filesystem is read-only)");
                if (c.getImage() == null || c.getImage().endsWith(":latest") || !c.getImage().contains(":")) {
                    problems.add(where + " image " + c.getImage() + " has no fixed tag");
                }
            }
        }
        return problems;
    }

    // ---- Selection: Services, NetworkPolicies, PDBs, HPAs, ServiceMonitors -----------------

    static List<String> servicesSelectPods(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Service s : m.services()) {
            List<Deployment> selected = m.deploymentsSelectedBy(s.getSpec().getSelector());
            if (selected.isEmpty()) {
                problems.add(name(s) + " selector " + s.getSpec().getSelector() + " selects the pods of no Deployment");
                continue;
            }
            for (ServicePort port : s.getSpec().getPorts()) {
                for (Deployment d : selected) {
                    IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
                    if (containerPort(mainContainer(d), target) == null) {
                        problems.add(name(s) + " port " + port.getName() + " targets " + show(target) + " which " + name(d) + " does not expose");
                    }
                }
            }
        }
        return problems;
    }

    /** Pods a selector may name without a rendered Deployment: the ones the operators create. */
    private static boolean selectsOperatorPods(Manifests m, Map<String, String> labels) {
        String cnpg = labels.get("cnpg.io/cluster");
        if (cnpg != null) {
            return m.custom("Cluster").stream().anyMatch(c -> cnpg.equals(c.getMetadata().getName()));
        }
        String strimzi = labels.get("strimzi.io/cluster");
        if (strimzi != null) {
            return m.custom("Kafka").stream().anyMatch(c -> strimzi.equals(c.getMetadata().getName()));
        }
        return false;
    }

    private static boolean selectsRealPods(Manifests m, io.fabric8.kubernetes.api.model.LabelSelector selector) {
        if (selector == null) {
            return false;
        }
        Map<String, String> plain = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return m.deployments().stream().anyMatch(d -> Manifests.matches(selector, podLabels(d))) || selectsOperatorPods(m, plain);
    }

    static List<String> networkPoliciesSelectPods(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (NetworkPolicy p : m.networkPolicies()) {
            var selector = p.getSpec().getPodSelector();
            boolean selectsAll = selector != null && (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                    && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
            if (!selectsAll && !selectsRealPods(m, selector)) {
                problems.add(name(p) + " podSelector " + selector.getMatchLabels() + " selects no pods of this deployment");
            }
            List<NetworkPolicyPeer> peers = new ArrayList<>();
            if (p.getSpec().getIngress() != null) p.getSpec().getIngress().forEach(r -> { if (r.getFrom() != null) peers.addAll(r.getFrom()); });
            if (p.getSpec().getEgress() != null) p.getSpec().getEgress().forEach(r -> { if (r.getTo() != null) peers.addAll(r.getTo()); });
            for (NetworkPolicyPeer peer : peers) {
                // Peers in other namespaces (DNS, Prometheus, operators) are not ours to verify.
                if (peer.getNamespaceSelector() == null && peer.getPodSelector() != null && !selectsRealPods(m, peer.getPodSelector())) {
                    problems.add(name(p) + " names peer " + peer.getPodSelector().getMatchLabels() + " which selects no pods of this deployment");
                }
            }
        }
        return problems;
    }

    static List<String> disruptionBudgets(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (PodDisruptionBudget pdb : m.disruptionBudgets()) {
            if (m.deployments().stream().noneMatch(d -> Manifests.matches(pdb.getSpec().getSelector(), podLabels(d)))) {
                problems.add(name(pdb) + " selects the pods of no Deployment");
            }
            if (pdb.getSpec().getMinAvailable() != null && pdb.getSpec().getMaxUnavailable() != null) {
                problems.add(name(pdb) + " sets both minAvailable and maxUnavailable");
            }
        }
        for (Deployment d : m.deployments()) {
            long covering = m.disruptionBudgets().stream().filter(p -> Manifests.matches(p.getSpec().getSelector(), podLabels(d))).count();
            if (covering != 1) {
                problems.add(name(d) + " is covered by " + covering + " PodDisruptionBudgets, expected exactly 1");
            }
        }
        return problems;
    }

    static List<String> autoscalers(Manifests m) {
        List<String> problems = new ArrayList<>();
        Set<String> scaled = new TreeSet<>();
        for (HorizontalPodAutoscaler h : m.autoscalers()) {
            var ref = h.getSpec().getScaleTargetRef();
            if (!"Deployment".equals(ref.getKind()) || m.deployment(ref.getName()).isEmpty()) {
                problems.add(name(h) + " scales " + ref.getKind() + "/" + ref.getName() + " which is not a rendered Deployment");
                continue;
            }
            scaled.add(ref.getName());
            int min = h.getSpec().getMinReplicas() == null ? 1 : h.getSpec().getMinReplicas();
            if (min < 1 || min > h.getSpec().getMaxReplicas()) {
                problems.add(name(h) + " has minReplicas " + min + " and maxReplicas " + h.getSpec().getMaxReplicas());
            }
            if (h.getSpec().getMetrics() == null || h.getSpec().getMetrics().isEmpty()) {
                problems.add(name(h) + " has no metrics to scale on");
            }
            if (m.deployment(ref.getName()).get().getSpec().getReplicas() != null) {
                problems.add("Deployment/" + ref.getName() + " sets replicas although " + name(h)
                        + " owns the count (every kubectl apply would reset it)");
            }
        }
        for (String service : AUTOSCALED) {
            if (!scaled.contains(service)) problems.add("no HorizontalPodAutoscaler scales " + service);
        }
        return problems;
    }

    static List<String> serviceMonitors(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<GenericKubernetesResource> monitors = m.custom("ServiceMonitor");
        for (Deployment d : m.deployments()) {
            boolean scraped = false;
            for (GenericKubernetesResource monitor : monitors) {
                @SuppressWarnings("unchecked")
                Map<String, String> selector = (Map<String, String>) Manifests.path(monitor, "spec", "selector", "matchLabels");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> endpoints = (List<Map<String, Object>>) Manifests.path(monitor, "spec", "endpoints");
                if (selector == null || endpoints == null) continue;
                for (Service s : m.services()) {
                    Map<String, String> serviceLabels = s.getMetadata().getLabels() == null ? Map.of() : s.getMetadata().getLabels();
                    if (!serviceLabels.entrySet().containsAll(selector.entrySet()) || !m.deploymentsSelectedBy(s.getSpec().getSelector()).contains(d)) continue;
                    for (Map<String, Object> endpoint : endpoints) {
                        boolean portExists = s.getSpec().getPorts().stream().anyMatch(p -> Objects.equals(p.getName(), endpoint.get("port")));
                        if (portExists && "/prometheus".equals(endpoint.get("path"))) scraped = true;
                    }
                }
            }
            if (!scraped) problems.add(name(d) + " is scraped by no ServiceMonitor (a Service port of it, path /prometheus)");
        }
        return problems;
    }

    // ---- Network -----------------------------------------------------------------------------

    static List<String> networkReachability(Manifests m) {
        List<String> problems = new ArrayList<>();
        var net = new NetworkReachability(m.networkPolicies());
        Map<String, Pod> pods = new LinkedHashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String service : CALLS.keySet()) {
            var d = m.deployment(service);
            if (d.isEmpty()) {
                problems.add("no Deployment " + service);
                continue;
            }
            pods.put(service, pod(d.get()));
            ports.put(service, mainContainer(d.get()).getPorts().get(0).getContainerPort());
        }
        String ns = pods.values().stream().map(Pod::namespace).filter(Objects::nonNull).findFirst().orElse(null);
        for (var from : pods.entrySet()) {
            for (var to : pods.entrySet()) {
                if (from.getKey().equals(to.getKey())) continue;
                boolean expected = CALLS.get(from.getKey()).contains(to.getKey());
                boolean actual = net.allows(from.getValue(), to.getValue(), ports.get(to.getKey()), "TCP");
                if (expected != actual) {
                    problems.add(from.getKey() + " -> " + to.getKey() + " is " + (actual ? "allowed" : "blocked")
                            + " by the NetworkPolicies but should be " + (expected ? "allowed" : "blocked"));
                }
            }
            boolean outside = net.allows(Pod.outside(), from.getValue(), ports.get(from.getKey()), "TCP");
            if (outside != PUBLIC.contains(from.getKey())) {
                problems.add("outside traffic to " + from.getKey() + " is " + (outside ? "allowed" : "blocked") + " but should not be");
            }
            var postgres = new Pod(ns, Map.of("cnpg.io/cluster", databaseName(m), "cnpg.io/instanceRole", "primary"), Map.of());
            // Only the services that own a schema talk to PostgreSQL; the edge stores nothing, so it must not reach it.
            boolean ownsSchema = !from.getKey().equals("mcp-service");
            boolean reachesDatabase = net.allows(from.getValue(), postgres, 5432, "TCP");
            if (ownsSchema && !reachesDatabase) problems.add(from.getKey() + " cannot reach PostgreSQL on 5432");
            if (!ownsSchema && reachesDatabase) problems.add(from.getKey() + " can reach PostgreSQL on 5432 but stores nothing");
            var broker = new Pod(ns, Map.of("strimzi.io/cluster", kafkaName(m), "strimzi.io/broker-role", "true", "strimzi.io/kind", "Kafka"), Map.of());
            if (!net.allows(from.getValue(), broker, 9092, "TCP")) problems.add(from.getKey() + " cannot reach the Kafka brokers on 9092");
            var dns = new Pod("kube-system", Map.of("k8s-app", "kube-dns"), Map.of());
            if (!net.allows(from.getValue(), dns, 53, "UDP")) problems.add(from.getKey() + " cannot resolve names (DNS egress on UDP 53 blocked)");
        }
        return problems;
    }

    private static Pod pod(Deployment d) {
        Map<String, Integer> named = new HashMap<>();
        for (ContainerPort p : mainContainer(d).getPorts()) if (p.getName() != null) named.put(p.getName(), p.getContainerPort());
        return new Pod(d.getMetadata().getNamespace() == null ? "default" : d.getMetadata().getNamespace(), podLabels(d), named);
    }

    private static String databaseName(Manifests m) {
        return m.custom("Cluster").stream().map(c -> c.getMetadata().getName()).findFirst().orElse("<no Cluster>");
    }

    private static String kafkaName(Manifests m) {
        return m.custom("Kafka").stream().map(c -> c.getMetadata().getName()).findFirst().orElse("<no Kafka>");
    }

    static List<String> ingress(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<Ingress> ingresses = m.ingresses();
        if (ingresses.size() != 1) {
            problems.add("expected exactly one Ingress for the edge and the issuer, found " + ingresses.size());
            if (ingresses.isEmpty()) return problems;
        }
        Ingress ingress = ingresses.get(0);
        List<IngressRule> rules = ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
        Set<String> hosts = rules.stream().map(IngressRule::getHost).collect(Collectors.toSet());
        if (hosts.size() != 1 || hosts.contains(null)) {
            problems.add(name(ingress) + " must serve exactly one named host (edge and issuer share an origin), has " + hosts);
        }
        Map<String, String> routed = new HashMap<>();
        for (IngressRule rule : rules) {
            if (rule.getHttp() == null) continue;
            for (HTTPIngressPath path : rule.getHttp().getPaths()) {
                var backend = path.getBackend().getService();
                if (backend == null) {
                    problems.add(name(ingress) + " path " + path.getPath() + " has no Service backend");
                    continue;
                }
                var service = m.service(backend.getName());
                if (service.isEmpty()) {
                    problems.add(name(ingress) + " path " + path.getPath() + " routes to missing Service " + backend.getName());
                    continue;
                }
                boolean portOk = service.get().getSpec().getPorts().stream().anyMatch(p -> backend.getPort().getName() != null
                        ? backend.getPort().getName().equals(p.getName()) : Objects.equals(backend.getPort().getNumber(), p.getPort()));
                if (!portOk) problems.add(name(ingress) + " path " + path.getPath() + " names a port Service/" + backend.getName() + " does not have");
                routed.put(path.getPath(), backend.getName());
            }
        }
        PUBLIC_PATHS.forEach((path, service) -> {
            if (!service.equals(routed.get(path))) {
                problems.add(name(ingress) + " routes " + path + " to " + routed.get(path) + ", expected " + service);
            }
        });
        routed.forEach((path, service) -> {
            if (!PUBLIC.contains(service)) problems.add(name(ingress) + " exposes internal " + service + " at " + path);
        });
        // The token audience and the issuer are the public URLs: they must name the Ingress host.
        Set<String> tlsHosts = ingress.getSpec().getTls() == null ? Set.of()
                : ingress.getSpec().getTls().stream().flatMap(t -> t.getHosts().stream()).collect(Collectors.toSet());
        for (var cm : m.all(io.fabric8.kubernetes.api.model.ConfigMap.class)) {
            if (cm.getData() == null) continue;
            for (String key : List.of("MCP_PUBLIC_URL", "AUTH_ISSUER")) {
                String value = cm.getData().get(key);
                if (value == null) continue;
                URI uri = URI.create(value);
                if (!hosts.contains(uri.getHost())) {
                    problems.add(name(cm) + " " + key + "=" + value + " is not served by the Ingress host " + hosts);
                } else if (tlsHosts.contains(uri.getHost()) != "https".equals(uri.getScheme())) {
                    problems.add(name(cm) + " " + key + "=" + value + " does not match the Ingress TLS setting");
                }
            }
        }
        // Behind the ingress every browser arrives from the controller's address: the login throttle must read the
        // client address from the header this controller overwrites (ingress-nginx sets X-Forwarded-For itself).
        if ("nginx".equals(ingress.getSpec().getIngressClassName())) {
            m.deployment("auth-service").ifPresent(d -> {
                String header = environmentValue(m, d, "AUTH_CLIENT_ADDRESS_HEADER", problems);
                if (!"X-Forwarded-For".equalsIgnoreCase(header == null ? "" : header)) {
                    problems.add(name(d) + " must set AUTH_CLIENT_ADDRESS_HEADER=X-Forwarded-For behind the nginx Ingress, has " + header);
                }
            });
        }
        return problems;
    }

    // ---- Environment -------------------------------------------------------------------------

    /** Variable names a container receives, with where each comes from; unresolvable sources are problems. */
    static Map<String, String> environment(Manifests m, Deployment d, Container c, List<String> problems) {
        Map<String, String> env = new LinkedHashMap<>();
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (from.getConfigMapRef() != null) {
                    var cm = m.configMap(from.getConfigMapRef().getName());
                    if (cm.isEmpty()) {
                        problems.add(name(d) + " imports missing ConfigMap " + from.getConfigMapRef().getName());
                    } else if (cm.get().getData() != null) {
                        cm.get().getData().keySet().forEach(k -> env.put(prefix + k, "ConfigMap/" + cm.get().getMetadata().getName()));
                    }
                }
                if (from.getSecretRef() != null) {
                    var keys = secretKeys(m, from.getSecretRef().getName());
                    if (keys == null) {
                        problems.add(name(d) + " imports all keys of Secret " + from.getSecretRef().getName()
                                + " whose keys are unknown here; name each variable with env[].valueFrom.secretKeyRef");
                    } else {
                        keys.forEach(k -> env.put(prefix + k, "Secret/" + from.getSecretRef().getName()));
                    }
                }
            }
        }
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) env.put(e.getName(), "env");
        }
        return env;
    }

    static List<String> environmentIsRead(Manifests m, Function<String, ServiceConfiguration> configurationOf) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                ServiceConfiguration config = configurationOf.apply(c.getName());
                Map<String, String> env = environment(m, d, c, problems);
                env.forEach((variable, source) -> {
                    if (!config.reads(variable)) {
                        problems.add(name(d) + " sets " + variable + " (from " + source + ") which " + c.getName()
                                + " does not read (no ${" + variable + "} in its src/main)");
                    }
                });
                SortedSet<String> missing = new TreeSet<>(config.requiredInCluster());
                missing.removeAll(env.keySet());
                for (String variable : missing) {
                    problems.add(c.getName() + " reads " + variable + " (default " + config.variables().get(variable).orElse("none")
                            + ") but " + name(d) + " does not set it");
                }
            }
        }
        return problems;
    }

    /** Settings whose time a stopping pod spends after SIGTERM, in order: the drain, then (the edge only) its audit delivery. */
    static final List<String> SHUTDOWN_SETTINGS = List.of("SHUTDOWN_GRACE_PERIOD", "MCP_AUDIT_SHUTDOWN_BUDGET");

    /**
     * A pod's termination grace is longer than what it is configured to spend stopping: its preStop pause, then every
     * {@link #SHUTDOWN_SETTINGS shutdown setting} its service reads (the manifest's value, else the service's default).
     * Otherwise Kubernetes kills it mid-drain, and the edge loses the audit events it was delivering.
     */
    static List<String> terminationGrace(Manifests m, Function<String, ServiceConfiguration> configurationOf) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            Container c = mainContainer(d);
            ServiceConfiguration config = configurationOf.apply(c.getName());
            long preStop = c.getLifecycle() != null && c.getLifecycle().getPreStop() != null
                    && c.getLifecycle().getPreStop().getSleep() != null
                    ? c.getLifecycle().getPreStop().getSleep().getSeconds() : 0;
            long needed = preStop;
            List<String> parts = new ArrayList<>(List.of("preStop " + preStop + " s"));
            for (String setting : SHUTDOWN_SETTINGS) {
                if (!config.reads(setting)) continue;
                String value = environmentValue(m, d, setting, problems);
                if (value == null) value = config.variables().get(setting).orElse(null);
                Long seconds = value == null ? null : seconds(value);
                if (seconds == null) {
                    problems.add(name(d) + ": " + setting + " = " + value + " is not a duration like 20s");
                    continue;
                }
                needed += seconds;
                parts.add(setting + " " + seconds + " s");
            }
            Long grace = d.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
            long granted = grace == null ? 30 : grace;
            if (granted <= needed) {
                problems.add(name(d) + " terminationGracePeriodSeconds " + granted + " does not exceed "
                        + String.join(" + ", parts) + " = " + needed + " s");
            }
        }
        return problems;
    }

    /** Micronaut's duration forms the manifests use: {@code 500ms}, {@code 20s}, {@code 1m}, {@code 1h}; null otherwise. */
    static Long seconds(String value) {
        var match = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)").matcher(value.trim());
        if (!match.matches()) return null;
        long n = Long.parseLong(match.group(1));
        return switch (match.group(2)) {
            case "ms" -> (n + 999) / 1000;
            case "s" -> n;
            case "m" -> n * 60;
            default -> n * 3600;
        };
    }

    /** The port each service listens on (micronaut.server.port with the manifest's variables) is the one the pod declares. */
    static List<String> serverPorts(Manifests m, Function<String, ServiceConfiguration> configurationOf) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            Container c = mainContainer(d);
            ServiceConfiguration config = configurationOf.apply(c.getName());
            var listens = config.listenPort(variable -> environmentValue(m, d, variable, new ArrayList<>()));
            ContainerPort http = containerPort(c, new IntOrString("http"));
            if (http == null) {
                problems.add(name(d) + " declares no container port named http");
            } else if (listens.isPresent() && !listens.get().equals(http.getContainerPort())) {
                problems.add(c.getName() + " listens on " + listens.get() + " but " + name(d) + " declares port http = " + http.getContainerPort());
            }
        }
        return problems;
    }

    /** Every in-cluster URL a service is given (host without dots) names a rendered Service and one of its ports. */
    static List<String> serviceUrls(Manifests m) {
        List<String> problems = new ArrayList<>();
        for (Deployment d : m.deployments()) {
            for (String variable : environment(m, d, mainContainer(d), new ArrayList<>()).keySet()) {
                if (!variable.endsWith("_URL")) continue;
                String value = environmentValue(m, d, variable, new ArrayList<>());
                if (value == null || value.startsWith("jdbc:")) continue;
                URI uri = URI.create(value);
                if (uri.getHost() == null || uri.getHost().contains(".")) continue;
                var service = m.service(uri.getHost());
                if (service.isEmpty()) {
                    problems.add(name(d) + " " + variable + "=" + value + " names no rendered Service");
                } else if (service.get().getSpec().getPorts().stream().noneMatch(p -> p.getPort() == uri.getPort())) {
                    problems.add(name(d) + " " + variable + "=" + value + ": Service/" + uri.getHost() + " has no port " + uri.getPort());
                }
            }
        }
        return problems;
    }

    /** What makes prod prod: more and bigger replicas, replicated data stores, backups and TLS. */
    static List<String> overlayDifferences(Manifests dev, Manifests prod) {
        List<String> problems = new ArrayList<>();
        String devNs = dev.deployments().isEmpty() ? null : dev.deployments().get(0).getMetadata().getNamespace();
        String prodNs = prod.deployments().isEmpty() ? null : prod.deployments().get(0).getMetadata().getNamespace();
        if (Objects.equals(devNs, prodNs)) problems.add("dev and prod share namespace " + devNs);
        for (Deployment p : prod.deployments()) {
            String n = p.getMetadata().getName();
            var d = dev.deployment(n);
            if (d.isEmpty()) {
                problems.add("dev has no Deployment " + n);
                continue;
            }
            var devResources = mainContainer(d.get()).getResources();
            var prodResources = mainContainer(p).getResources();
            if (Quantity.getAmountInBytes(prodResources.getLimits().get("memory")).compareTo(Quantity.getAmountInBytes(devResources.getLimits().get("memory"))) <= 0) {
                problems.add(n + ": prod memory limit is not above dev's");
            }
            if (prodResources.getRequests().get("cpu").getNumericalAmount().compareTo(devResources.getRequests().get("cpu").getNumericalAmount()) <= 0) {
                problems.add(n + ": prod cpu request is not above dev's");
            }
            if (!AUTOSCALED.contains(n)) {
                if (!Objects.equals(d.get().getSpec().getReplicas(), 1)) problems.add(n + ": dev should run one replica, runs " + d.get().getSpec().getReplicas());
                if (p.getSpec().getReplicas() == null || p.getSpec().getReplicas() < 2) problems.add(n + ": prod should run at least two replicas");
            }
        }
        for (String n : AUTOSCALED) {
            var d = dev.autoscalers().stream().filter(h -> h.getSpec().getScaleTargetRef().getName().equals(n)).findFirst();
            var p = prod.autoscalers().stream().filter(h -> h.getSpec().getScaleTargetRef().getName().equals(n)).findFirst();
            if (d.isEmpty() || p.isEmpty()) {
                problems.add(n + " is not autoscaled in both overlays");
                continue;
            }
            if (!Objects.equals(d.get().getSpec().getMinReplicas(), 1)) problems.add(n + ": dev should scale from one replica");
            if (p.get().getSpec().getMinReplicas() == null || p.get().getSpec().getMinReplicas() < 3) problems.add(n + ": prod should keep at least three replicas");
            if (p.get().getSpec().getMaxReplicas() <= d.get().getSpec().getMaxReplicas()) problems.add(n + ": prod should scale further than dev");
        }
        Object devInstances = dev.custom("Cluster").isEmpty() ? null : Manifests.path(dev.custom("Cluster").get(0), "spec", "instances");
        Object prodInstances = prod.custom("Cluster").isEmpty() ? null : Manifests.path(prod.custom("Cluster").get(0), "spec", "instances");
        if (!(devInstances instanceof Number dn) || dn.intValue() != 1) problems.add("dev PostgreSQL should be one instance");
        if (!(prodInstances instanceof Number pn) || pn.intValue() < 3) problems.add("prod PostgreSQL should have a primary and two replicas");
        if (prod.custom("Cluster").isEmpty() || Manifests.path(prod.custom("Cluster").get(0), "spec", "backup") == null) problems.add("prod PostgreSQL is not backed up");
        if (prod.custom("ScheduledBackup").isEmpty()) problems.add("prod has no ScheduledBackup");
        Object prodKafka = prod.custom("KafkaNodePool").isEmpty() ? null : Manifests.path(prod.custom("KafkaNodePool").get(0), "spec", "replicas");
        if (!(prodKafka instanceof Number k) || k.intValue() < 3) problems.add("prod Kafka should have three nodes");
        if (prod.ingresses().isEmpty() || prod.ingresses().get(0).getSpec().getTls() == null || prod.ingresses().get(0).getSpec().getTls().isEmpty()) {
            problems.add("prod Ingress serves no TLS");
        }
        return problems;
    }

    // ---- Secrets -----------------------------------------------------------------------------

    /** Keys of a Secret that will exist at run time, or null when nothing rendered tells. */
    static Set<String> secretKeys(Manifests m, String secretName) {
        var rendered = m.secret(secretName);
        if (rendered.isPresent()) {
            Set<String> keys = new TreeSet<>();
            if (rendered.get().getData() != null) keys.addAll(rendered.get().getData().keySet());
            if (rendered.get().getStringData() != null) keys.addAll(rendered.get().getStringData().keySet());
            return keys;
        }
        for (GenericKubernetesResource es : m.custom("ExternalSecret")) {
            String target = Objects.requireNonNullElse(Manifests.text(es, "spec", "target", "name"), es.getMetadata().getName());
            if (!secretName.equals(target)) continue;
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> data = (List<Map<String, Object>>) Manifests.path(es, "spec", "data");
            return data == null ? Set.of() : data.stream().map(x -> String.valueOf(x.get("secretKey"))).collect(Collectors.toSet());
        }
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            if (secretName.equals(cluster.getMetadata().getName() + "-app")) return CNPG_APP_SECRET_KEYS;
        }
        return null;
    }

    /**
     * Every secret key a workload or the database refers to is provided: by a rendered object, by an
     * operator, or (dev only) by the documented out-of-band script; and no secret value is rendered.
     */
    static List<String> secrets(Manifests m, Map<String, Set<String>> outOfBand) {
        List<String> problems = new ArrayList<>();
        Map<String, Set<String>> referenced = new HashMap<>();
        for (Deployment d : m.deployments()) {
            for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
                if (c.getEnv() == null) continue;
                for (EnvVar e : c.getEnv()) {
                    if (e.getValueFrom() == null || e.getValueFrom().getSecretKeyRef() == null) continue;
                    SecretKeySelector ref = e.getValueFrom().getSecretKeyRef();
                    referenced.computeIfAbsent(ref.getName(), k -> new TreeSet<>()).add(ref.getKey());
                }
            }
        }
        for (GenericKubernetesResource cluster : m.custom("Cluster")) {
            for (String credential : List.of("accessKeyId", "secretAccessKey")) {
                String secret = Manifests.text(cluster, "spec", "backup", "barmanObjectStore", "s3Credentials", credential, "name");
                String key = Manifests.text(cluster, "spec", "backup", "barmanObjectStore", "s3Credentials", credential, "key");
                if (secret != null) referenced.computeIfAbsent(secret, k -> new TreeSet<>()).add(key);
            }
        }
        referenced.forEach((secret, keys) -> {
            Set<String> provided = secretKeys(m, secret);
            if (provided == null) provided = outOfBand.get(secret);
            if (provided == null) {
                problems.add("Secret " + secret + " is referenced but nothing provides it (no ExternalSecret, operator or documented script)");
                return;
            }
            for (String key : keys) {
                if (!provided.contains(key)) problems.add("Secret " + secret + " is read for key " + key + " which its provider does not write");
            }
        });
        for (var s : m.all(io.fabric8.kubernetes.api.model.Secret.class)) {
            boolean hasData = (s.getData() != null && !s.getData().isEmpty()) || (s.getStringData() != null && !s.getStringData().isEmpty());
            if (hasData) problems.add(name(s) + " carries values in the repository; supply secrets out of band");
        }
        return problems;
    }

    // ---- Data stores -------------------------------------------------------------------------

    static List<String> kafka(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<GenericKubernetesResource> clusters = m.custom("Kafka");
        if (clusters.size() != 1) {
            problems.add("expected one Strimzi Kafka, found " + clusters.size());
            return problems;
        }
        GenericKubernetesResource kafka = clusters.get(0);
        String cluster = kafka.getMetadata().getName();
        Map<String, String> annotations = kafka.getMetadata().getAnnotations() == null ? Map.of() : kafka.getMetadata().getAnnotations();
        if (!"enabled".equals(annotations.get("strimzi.io/kraft")) || !"enabled".equals(annotations.get("strimzi.io/node-pools"))) {
            problems.add(name(kafka) + " is not in KRaft mode with node pools (annotations strimzi.io/kraft and strimzi.io/node-pools)");
        }
        if (Manifests.path(kafka, "spec", "zookeeper") != null) problems.add(name(kafka) + " still declares ZooKeeper");
        Set<String> roles = new TreeSet<>();
        for (GenericKubernetesResource pool : m.custom("KafkaNodePool")) {
            if (!cluster.equals(pool.getMetadata().getLabels() == null ? null : pool.getMetadata().getLabels().get("strimzi.io/cluster"))) {
                problems.add(name(pool) + " does not belong to Kafka " + cluster);
                continue;
            }
            @SuppressWarnings("unchecked")
            List<String> poolRoles = (List<String>) Manifests.path(pool, "spec", "roles");
            if (poolRoles != null) roles.addAll(poolRoles);
        }
        if (!roles.containsAll(Set.of("controller", "broker"))) problems.add("the KafkaNodePools of " + cluster + " provide roles " + roles + ", need controller and broker");
        Set<String> topics = new TreeSet<>();
        for (GenericKubernetesResource topic : m.custom("KafkaTopic")) {
            if (!cluster.equals(topic.getMetadata().getLabels() == null ? null : topic.getMetadata().getLabels().get("strimzi.io/cluster"))) {
                problems.add(name(topic) + " is not labelled for Kafka " + cluster);
            }
            String topicName = Objects.requireNonNullElse(Manifests.text(topic, "spec", "topicName"), topic.getMetadata().getName());
            topics.add(topicName);
            Object replicas = Manifests.path(topic, "spec", "replicas");
            Object minIsr = Manifests.path(topic, "spec", "config", "min.insync.replicas");
            if (replicas instanceof Number r && minIsr instanceof Number i && i.intValue() > r.intValue()) {
                problems.add(name(topic) + " needs " + i + " in-sync replicas but has only " + r + " replicas: every write would fail");
            }
        }
        Set<String> expected = new TreeSet<>(Set.of(Topics.TOOL_CALLS, Topics.GRANTS, Topics.BACKLOG_CHANGES));
        if (!topics.equals(expected)) problems.add("KafkaTopics " + topics + " differ from the contract's topics " + expected);
        for (Deployment d : m.deployments()) {
            List<String> ignored = new ArrayList<>();
            String bootstrap = environmentValue(m, d, "KAFKA_BOOTSTRAP_SERVERS", ignored);
            if (bootstrap != null && !bootstrap.startsWith(cluster + "-kafka-bootstrap:")) {
                problems.add(name(d) + " KAFKA_BOOTSTRAP_SERVERS=" + bootstrap + " is not the bootstrap Service of " + cluster);
            }
        }
        return problems;
    }

    static List<String> postgres(Manifests m) {
        List<String> problems = new ArrayList<>();
        List<GenericKubernetesResource> clusters = m.custom("Cluster");
        if (clusters.size() != 1) {
            problems.add("expected one CloudNativePG Cluster, found " + clusters.size());
            return problems;
        }
        String cluster = clusters.get(0).getMetadata().getName();
        String database = Manifests.text(clusters.get(0), "spec", "bootstrap", "initdb", "database");
        for (Deployment d : m.deployments()) {
            String url = environmentValue(m, d, "DATASOURCE_URL", new ArrayList<>());
            String expected = "jdbc:postgresql://" + cluster + "-rw:5432/" + database;
            if (url != null && !url.equals(expected) && !url.startsWith(expected + "?")) {
                problems.add(name(d) + " DATASOURCE_URL=" + url + " is not the primary of Cluster " + cluster + " (" + expected + ")");
            }
        }
        return problems;
    }

    /** The literal value a Deployment's main container gets for a variable (env value or ConfigMap), or null. */
    static String environmentValue(Manifests m, Deployment d, String variable, List<String> problems) {
        Container c = mainContainer(d);
        if (c.getEnv() != null) {
            for (EnvVar e : c.getEnv()) if (variable.equals(e.getName()) && e.getValue() != null) return e.getValue();
        }
        if (c.getEnvFrom() != null) {
            for (EnvFromSource from : c.getEnvFrom()) {
                if (from.getConfigMapRef() == null) continue;
                var cm = m.configMap(from.getConfigMapRef().getName());
                if (cm.isPresent() && cm.get().getData() != null && cm.get().getData().containsKey(variable)) return cm.get().getData().get(variable);
            }
        }
        return null;
    }

    private static String show(IntOrString port) {
        return port == null ? "null" : port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
    }

    static ContainerPort containerPort(Container c, IntOrString port) {
        if (port == null || c.getPorts() == null) return null;
        for (ContainerPort p : c.getPorts()) {
            if (port.getStrVal() != null ? port.getStrVal().equals(p.getName()) : Objects.equals(port.getIntVal(), p.getContainerPort())) return p;
        }
        return null;
    }

    private static Map<String, String> orderedMap(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put(pairs[i], pairs[i + 1]);
        return map;
    }
}
