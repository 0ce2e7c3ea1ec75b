package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of {@link ManifestChecks} catches the breakage it exists for: the real dev overlay is
 * rendered, one thing is broken in it, and the rule must name that thing (and the unbroken overlay
 * must pass, which {@link RenderedOverlaysTest} asserts).
 */
class ManifestChecksTest {

    private static Manifests dev() {
        return Repository.manifests("dev");
    }

    private static Deployment deployment(Manifests m, String name) {
        return m.deployment(name).orElseThrow();
    }

    private static Container container(Manifests m, String name) {
        return Manifests.mainContainer(deployment(m, name));
    }

    private static void assertReports(List<String> problems, String... fragments) {
        for (String fragment : fragments) {
            assertTrue(problems.stream().anyMatch(p -> p.contains(fragment)),
                    () -> "expected a problem mentioning '" + fragment + "', got " + problems);
        }
    }

    @Test
    void probesWhenLivenessProbeMissingThenReported() {
        Manifests m = dev();
        container(m, "mcp-service").setLivenessProbe(null);
        assertReports(ManifestChecks.probes(m), "Deployment/mcp-service container mcp-service has no livenessProbe");
    }

    @Test
    void probesWhenReadinessProbesTheWrongPathOrPortThenReported() {
        Manifests m = dev();
        container(m, "auth-service").getReadinessProbe().getHttpGet().setPath("/health/liveness");
        container(m, "audit-service").getStartupProbe().getHttpGet().setPort(new IntOrString("metrics"));
        assertReports(ManifestChecks.probes(m), "auth-service readinessProbe probes /health/liveness, expected /health/readiness",
                "audit-service startupProbe targets port");
    }

    @Test
    void resourcesWhenLimitMissingOrBelowRequestThenReported() {
        Manifests m = dev();
        container(m, "backlog-service").getResources().getLimits().remove("memory");
        container(m, "mcp-service").getResources().getRequests().put("cpu", new Quantity("4"));
        assertReports(ManifestChecks.resources(m), "backlog-service has no memory limit", "mcp-service requests more cpu");
    }

    @Test
    void securityContextWhenRootOrWritableRootFilesystemThenReported() {
        Manifests m = dev();
        container(m, "mcp-service").getSecurityContext().setReadOnlyRootFilesystem(false);
        container(m, "auth-service").getSecurityContext().setRunAsNonRoot(false);
        container(m, "audit-service").getSecurityContext().getCapabilities().setDrop(List.of("NET_RAW"));
        deployment(m, "backlog-service").getSpec().getTemplate().getSpec().getSecurityContext().setSeccompProfile(null);
        assertReports(ManifestChecks.securityContexts(m), "mcp-service does not set readOnlyRootFilesystem",
                "auth-service does not set runAsNonRoot", "audit-service does not drop ALL capabilities",
                "backlog-service has no RuntimeDefault seccomp profile");
    }

    @Test
    void terminationGraceWhenShorterThanPreStopDrainAndAuditBudgetThenReported() {
        Manifests m = dev();
        deployment(m, "mcp-service").getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L);
        deployment(m, "auth-service").getSpec().getTemplate().getSpec().setTerminationGracePeriodSeconds(30L);
        List<String> problems = ManifestChecks.terminationGrace(m, Repository::configuration);
        // 30 s covers auth's preStop + drain (25 s), not the edge's audit delivery on top (35 s)
        assertReports(problems, "Deployment/mcp-service terminationGracePeriodSeconds 30 does not exceed preStop 5 s"
                + " + SHUTDOWN_GRACE_PERIOD 20 s + MCP_AUDIT_SHUTDOWN_BUDGET 10 s = 35 s");
        assertTrue(problems.stream().noneMatch(p -> p.contains("auth-service")), problems::toString);
    }

    @Test
    void securityContextWhenTmpNotMountedThenReported() {
        Manifests m = dev();
        container(m, "mcp-service").setVolumeMounts(List.of());
        assertReports(ManifestChecks.securityContexts(m), "mcp-service has no writable emptyDir at /tmp");
    }

    @Test
    void servicesWhenSelectorMatchesNoPodsThenReported() {
        Manifests m = dev();
        m.service("backlog-service").orElseThrow().getSpec().setSelector(Map.of("app.kubernetes.io/name", "backlog"));
        m.service("audit-service").orElseThrow().getSpec().getPorts().get(0).setTargetPort(new IntOrString(9999));
        assertReports(ManifestChecks.servicesSelectPods(m), "Service/backlog-service selector", "Service/audit-service port http targets 9999");
    }

    @Test
    void networkPolicyWhenPodSelectorSelectsNothingThenReported() {
        Manifests m = dev();
        policy(m, "audit-service").getSpec().getPodSelector().setMatchLabels(Map.of("app.kubernetes.io/name", "audit"));
        policy(m, "backlog-mcp-db").getSpec().getPodSelector().setMatchLabels(Map.of("cnpg.io/cluster", "other-db"));
        assertReports(ManifestChecks.networkPoliciesSelectPods(m), "NetworkPolicy/audit-service podSelector", "NetworkPolicy/backlog-mcp-db podSelector");
    }

    @Test
    void networkPolicyWhenPeerSelectsNothingThenReported() {
        Manifests m = dev();
        policy(m, "backlog-service").getSpec().getIngress().get(0).getFrom().get(0).getPodSelector()
                .setMatchLabels(Map.of("app.kubernetes.io/name", "mcp"));
        assertReports(ManifestChecks.networkPoliciesSelectPods(m), "NetworkPolicy/backlog-service names peer");
    }

    @Test
    void reachabilityWhenInternalServiceOpenToAnyoneThenReported() {
        Manifests m = dev();
        // An ingress rule without "from" admits every source, including the internet via any ingress.
        policy(m, "audit-service").getSpec().getIngress().add(new NetworkPolicyIngressRule(List.of(), List.of()));
        policy(m, "backlog-service").getSpec().getEgress().add(new io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule(List.of(), List.of()));
        assertReports(ManifestChecks.networkReachability(m), "backlog-service -> audit-service is allowed",
                "outside traffic to audit-service is allowed");
    }

    @Test
    void reachabilityWhenCallerIsBlockedThenReported() {
        Manifests m = dev();
        policy(m, "backlog-service").getSpec().getIngress().get(0).getFrom().remove(1); // auth-service
        m.objects().remove(policy(m, "mcp-service"));
        NetworkPolicy auth = policy(m, "auth-service");
        auth.getSpec().getEgress().removeIf(r -> r.getPorts() != null && r.getPorts().stream().anyMatch(p -> Integer.valueOf(53).equals(p.getPort().getIntVal())));
        assertReports(ManifestChecks.networkReachability(m), "auth-service -> backlog-service is blocked",
                "auth-service cannot resolve names");
    }

    @Test
    void reachabilityWhenDatabaseEgressMissingThenReported() {
        Manifests m = dev();
        policy(m, "audit-service").getSpec().getEgress().removeIf(r -> r.getTo() != null && r.getTo().stream()
                .anyMatch(p -> p.getPodSelector() != null && p.getPodSelector().getMatchLabels().containsKey("cnpg.io/cluster")));
        assertReports(ManifestChecks.networkReachability(m), "audit-service cannot reach PostgreSQL");
    }

    @Test
    void reachabilityWhenEdgeCanReachTheDatabaseThenReported() {
        Manifests m = dev();
        var databaseRule = policy(m, "audit-service").getSpec().getEgress().stream().filter(r -> r.getTo() != null && r.getTo().stream()
                .anyMatch(p -> p.getPodSelector() != null && p.getPodSelector().getMatchLabels().containsKey("cnpg.io/cluster")))
                .findFirst().orElseThrow();
        policy(m, "mcp-service").getSpec().getEgress().add(databaseRule);
        assertReports(ManifestChecks.networkReachability(m), "mcp-service can reach PostgreSQL on 5432 but stores nothing");
    }

    @Test
    void disruptionBudgetsWhenDeploymentUncoveredThenReported() {
        Manifests m = dev();
        m.disruptionBudgets().stream().filter(p -> p.getMetadata().getName().equals("auth-service")).findFirst().orElseThrow()
                .getSpec().setSelector(new LabelSelector(null, Map.of("app.kubernetes.io/name", "nobody")));
        assertReports(ManifestChecks.disruptionBudgets(m), "PodDisruptionBudget/auth-service selects the pods of no Deployment",
                "Deployment/auth-service is covered by 0 PodDisruptionBudgets");
    }

    @Test
    void autoscalersWhenTargetWrongOrReplicasPinnedThenReported() {
        Manifests m = dev();
        m.autoscalers().stream().filter(h -> h.getMetadata().getName().equals("backlog-service")).findFirst().orElseThrow()
                .getSpec().getScaleTargetRef().setName("backlog");
        deployment(m, "mcp-service").getSpec().setReplicas(2);
        assertReports(ManifestChecks.autoscalers(m), "scales Deployment/backlog which is not a rendered Deployment",
                "no HorizontalPodAutoscaler scales backlog-service", "Deployment/mcp-service sets replicas");
    }

    @Test
    void serviceMonitorsWhenPathWrongThenReported() {
        Manifests m = dev();
        GenericKubernetesResource monitor = m.custom("ServiceMonitor").stream().filter(s -> s.getMetadata().getName().equals("audit-service")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> endpoints = (List<Map<String, Object>>) Manifests.path(monitor, "spec", "endpoints");
        endpoints.get(0).put("path", "/metrics");
        assertReports(ManifestChecks.serviceMonitors(m), "Deployment/audit-service is scraped by no ServiceMonitor");
    }

    @Test
    void ingressWhenPathMissingOrInternalExposedOrHostMismatchedThenReported() {
        Manifests m = dev();
        var paths = m.ingresses().get(0).getSpec().getRules().get(0).getHttp().getPaths();
        paths.removeIf(p -> p.getPath().equals("/.well-known/openid-configuration"));
        paths.stream().filter(p -> p.getPath().equals("/admin")).findFirst().orElseThrow().getBackend().getService().setName("backlog-service");
        m.configMap(configMapName(m, "mcp-service-config")).orElseThrow().getData().put("MCP_PUBLIC_URL", "http://elsewhere.example");
        assertReports(ManifestChecks.ingress(m), "routes /.well-known/openid-configuration to null", "exposes internal backlog-service at /admin",
                "MCP_PUBLIC_URL=http://elsewhere.example is not served by the Ingress host");
    }

    @Test
    void ingressWhenAuthReadsNoClientAddressHeaderThenReported() {
        Manifests m = dev();
        assertTrue(ManifestChecks.ingress(m).isEmpty(), () -> ManifestChecks.ingress(m).toString());
        m.configMap(configMapName(m, "auth-service-config")).orElseThrow().getData().remove("AUTH_CLIENT_ADDRESS_HEADER");
        assertReports(ManifestChecks.ingress(m), "must set AUTH_CLIENT_ADDRESS_HEADER=X-Forwarded-For behind the nginx Ingress");
    }

    @Test
    void environmentWhenManifestSetsAVariableNoServiceReadsThenReported() {
        Manifests m = dev();
        container(m, "backlog-service").getEnv().add(new EnvVar("BACKLOG_TURBO_MODE", "true", null));
        m.configMap(configMapName(m, "backlog-mcp-common")).orElseThrow().getData().put("KAFKA_BOOTSTRAP", "x:9092");
        assertReports(ManifestChecks.environmentIsRead(m, Repository::configuration),
                "Deployment/backlog-service sets BACKLOG_TURBO_MODE (from env) which backlog-service does not read",
                "Deployment/mcp-service sets KAFKA_BOOTSTRAP (from ConfigMap/");
    }

    @Test
    void environmentWhenARequiredVariableIsNotSetThenReported() {
        Manifests m = dev();
        container(m, "mcp-service").getEnv().removeIf(e -> e.getName().equals("SERVICE_TOKEN_SECRET"));
        assertReports(ManifestChecks.environmentIsRead(m, Repository::configuration),
                "mcp-service reads SERVICE_TOKEN_SECRET (default none) but Deployment/mcp-service does not set it");
    }

    @Test
    void environmentWhenServiceAddsALocalhostDefaultThenManifestMustSetIt() {
        Manifests m = dev();
        Function<String, ServiceConfiguration> withNewVariable = service -> {
            ServiceConfiguration real = Repository.configuration(service);
            if (!service.equals("audit-service")) return real;
            var variables = new java.util.TreeMap<>(real.variables());
            variables.putAll(ServiceConfiguration.of(service, "x: ${BILLING_URL:`http://localhost:8099`}").variables());
            return new ServiceConfiguration(service, variables);
        };
        assertReports(ManifestChecks.environmentIsRead(m, withNewVariable), "audit-service reads BILLING_URL");
    }

    @Test
    void secretsWhenKeyNotProvidedOrValueCommittedThenReported() {
        Manifests m = dev();
        container(m, "auth-service").getEnv().stream().filter(e -> e.getName().equals("SERVICE_TOKEN_SECRET")).findFirst().orElseThrow()
                .getValueFrom().getSecretKeyRef().setKey("SERVICE_TOKEN");
        Secret leaked = new Secret();
        leaked.setApiVersion("v1");
        leaked.setKind("Secret");
        leaked.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("leaked").build());
        leaked.setStringData(Map.of("PASSWORD", "hunter2"));
        m.objects().add(leaked);
        assertReports(ManifestChecks.secrets(m, Repository.outOfBandSecrets("dev")),
                "Secret backlog-mcp-secrets is read for key SERVICE_TOKEN", "Secret/leaked carries values");
        assertReports(ManifestChecks.secrets(dev(), Map.of()), "Secret backlog-mcp-secrets is referenced but nothing provides it");
    }

    @Test
    void kafkaWhenTopicMissingOrNotKraftOrIsrTooHighThenReported() {
        Manifests m = dev();
        m.objects().removeIf(o -> o.getKind().equals("KafkaTopic") && o.getMetadata().getName().equals("auth.grants.v1"));
        m.custom("Kafka").get(0).getMetadata().getAnnotations().remove("strimzi.io/kraft");
        GenericKubernetesResource topic = m.custom("KafkaTopic").get(0);
        @SuppressWarnings("unchecked")
        Map<String, Object> config = (Map<String, Object>) Manifests.path(topic, "spec", "config");
        config.put("min.insync.replicas", 2);
        assertReports(ManifestChecks.kafka(m), "differ from the contract's topics", "is not in KRaft mode", "needs 2 in-sync replicas but has only 1");
    }

    @Test
    void postgresWhenDatasourcePointsElsewhereThenReported() {
        Manifests m = dev();
        m.configMap(configMapName(m, "backlog-mcp-common")).orElseThrow().getData()
                .put("DATASOURCE_URL", "jdbc:postgresql://backlog-mcp-db-ro:5432/backlogmcp");
        assertReports(ManifestChecks.postgres(m), "is not the primary of Cluster backlog-mcp-db");
    }

    @Test
    void serverPortsWhenConfiguredPortDiffersFromContainerPortThenReported() {
        Manifests m = dev();
        m.configMap(configMapName(m, "audit-service-config")).orElseThrow().getData().put("AUDIT_PORT", "9090");
        assertReports(ManifestChecks.serverPorts(m, Repository::configuration),
                "audit-service listens on 9090 but Deployment/audit-service declares port http = 8083");
    }

    @Test
    void serviceUrlsWhenHostOrPortIsNotAServiceThenReported() {
        Manifests m = dev();
        var data = m.configMap(configMapName(m, "mcp-service-config")).orElseThrow().getData();
        data.put("AUTH_URL", "http://auth:8081");
        data.put("BACKLOG_URL", "http://backlog-service:8080");
        assertReports(ManifestChecks.serviceUrls(m), "AUTH_URL=http://auth:8081 names no rendered Service",
                "BACKLOG_URL=http://backlog-service:8080: Service/backlog-service has no port 8080");
    }

    @Test
    void overlayDifferencesWhenProdIsJustDevThenReported() {
        assertReports(ManifestChecks.overlayDifferences(dev(), dev()), "dev and prod share namespace",
                "mcp-service: prod memory limit is not above dev's", "auth-service: prod should run at least two replicas",
                "backlog-service: prod should keep at least three replicas", "prod PostgreSQL should have a primary and two replicas",
                "prod PostgreSQL is not backed up", "prod Ingress serves no TLS");
    }

    private static NetworkPolicy policy(Manifests m, String name) {
        return m.networkPolicies().stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }

    /** ConfigMap names carry kustomize's content hash: find one by its generator name. */
    private static String configMapName(Manifests m, String generatorName) {
        return m.all(io.fabric8.kubernetes.api.model.ConfigMap.class).stream().map(c -> c.getMetadata().getName())
                .filter(n -> n.startsWith(generatorName + "-")).findFirst().orElseThrow();
    }
}
