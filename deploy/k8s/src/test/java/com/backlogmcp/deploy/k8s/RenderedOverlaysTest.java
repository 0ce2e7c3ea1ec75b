package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders both overlays with {@code kubectl kustomize}, parses every object strictly and applies
 * every rule of {@link ManifestChecks}. A failure lists each broken rule with the object it concerns.
 */
class RenderedOverlaysTest {

    private static void assertNoProblems(String overlay, String rule, List<String> problems) {
        assertTrue(problems.isEmpty(), () -> "overlay " + overlay + ", " + rule + ":\n  - " + String.join("\n  - ", problems));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void overlayWhenRenderedThenEveryObjectParsesStrictly(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertEquals(4, m.deployments().size(), "one Deployment per service");
        Set<String> kinds = m.objects().stream().map(o -> o.getKind()).collect(Collectors.toSet());
        assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "NetworkPolicy", "Ingress", "ConfigMap", "Kafka", "KafkaNodePool", "KafkaTopic", "Cluster", "ServiceMonitor", "Namespace")), kinds::toString);
        for (Deployment d : m.deployments()) {
            String account = d.getSpec().getTemplate().getSpec().getServiceAccountName();
            assertTrue(m.all(io.fabric8.kubernetes.api.model.ServiceAccount.class).stream().anyMatch(a -> a.getMetadata().getName().equals(account)),
                    d.getMetadata().getName() + " runs as ServiceAccount " + account + " which is not rendered");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void deploymentsWhenRenderedThenHaveProbesResourcesAndLockedDownSecurityContexts(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertNoProblems(overlay, "probes", ManifestChecks.probes(m));
        assertNoProblems(overlay, "resources", ManifestChecks.resources(m));
        assertNoProblems(overlay, "security contexts", ManifestChecks.securityContexts(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void selectorsWhenRenderedThenSelectRealPods(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertNoProblems(overlay, "Services", ManifestChecks.servicesSelectPods(m));
        assertNoProblems(overlay, "NetworkPolicies", ManifestChecks.networkPoliciesSelectPods(m));
        assertNoProblems(overlay, "PodDisruptionBudgets", ManifestChecks.disruptionBudgets(m));
        assertNoProblems(overlay, "HorizontalPodAutoscalers", ManifestChecks.autoscalers(m));
        assertNoProblems(overlay, "ServiceMonitors", ManifestChecks.serviceMonitors(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkWhenRenderedThenOnlyTheDesignedCallsFlow(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertNoProblems(overlay, "network reachability", ManifestChecks.networkReachability(m));
        assertNoProblems(overlay, "Ingress", ManifestChecks.ingress(m));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void environmentWhenRenderedThenEveryVariableIsOneTheServiceReads(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertNoProblems(overlay, "environment variables", ManifestChecks.environmentIsRead(m, Repository::configuration));
        assertNoProblems(overlay, "secrets", ManifestChecks.secrets(m, Repository.outOfBandSecrets(overlay)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void dataStoresWhenRenderedThenMatchTheContracts(String overlay) {
        Manifests m = Repository.manifests(overlay);
        assertNoProblems(overlay, "Kafka", ManifestChecks.kafka(m));
        assertNoProblems(overlay, "PostgreSQL", ManifestChecks.postgres(m));
    }

    @Test
    void overlaysWhenComparedThenProdIsLargerAndReplicatedAndDevIsSmall() {
        Manifests dev = Repository.manifests("dev");
        Manifests prod = Repository.manifests("prod");
        assertFalse(namespace(dev).equals(namespace(prod)), "dev and prod must live in different namespaces");
        for (Deployment p : prod.deployments()) {
            Deployment d = dev.deployment(p.getMetadata().getName()).orElseThrow();
            String n = p.getMetadata().getName();
            assertTrue(memoryLimit(p).compareTo(memoryLimit(d)) > 0, n + ": prod memory limit must exceed dev's");
            assertTrue(cpuRequest(p).compareTo(cpuRequest(d)) > 0, n + ": prod cpu request must exceed dev's");
            if (!ManifestChecks.AUTOSCALED.contains(n)) {
                assertEquals(1, d.getSpec().getReplicas(), n + ": dev runs one replica");
                assertTrue(p.getSpec().getReplicas() >= 2, n + ": prod runs at least two replicas");
            }
        }
        for (String n : ManifestChecks.AUTOSCALED) {
            HorizontalPodAutoscaler d = hpa(dev, n);
            HorizontalPodAutoscaler p = hpa(prod, n);
            assertEquals(1, d.getSpec().getMinReplicas(), n + ": dev scales from one replica");
            assertTrue(p.getSpec().getMinReplicas() >= 3, n + ": prod keeps at least three replicas");
            assertTrue(p.getSpec().getMaxReplicas() > d.getSpec().getMaxReplicas(), n + ": prod scales further than dev");
        }
        assertEquals(1, ((Number) Manifests.path(dev.custom("Cluster").get(0), "spec", "instances")).intValue());
        assertTrue(((Number) Manifests.path(prod.custom("Cluster").get(0), "spec", "instances")).intValue() >= 3, "prod PostgreSQL has a primary and two replicas");
        assertTrue(Manifests.path(prod.custom("Cluster").get(0), "spec", "backup") != null, "prod PostgreSQL is backed up");
        assertTrue(((Number) Manifests.path(prod.custom("KafkaNodePool").get(0), "spec", "replicas")).intValue() >= 3, "prod Kafka has three nodes");
        assertTrue(prod.ingresses().get(0).getSpec().getTls() != null && !prod.ingresses().get(0).getSpec().getTls().isEmpty(), "prod serves TLS");
    }

    private static String namespace(Manifests m) {
        return m.deployments().get(0).getMetadata().getNamespace();
    }

    private static HorizontalPodAutoscaler hpa(Manifests m, String target) {
        return m.autoscalers().stream().filter(h -> h.getSpec().getScaleTargetRef().getName().equals(target)).findFirst().orElseThrow();
    }

    private static java.math.BigDecimal memoryLimit(Deployment d) {
        return Quantity.getAmountInBytes(Manifests.mainContainer(d).getResources().getLimits().get("memory"));
    }

    private static java.math.BigDecimal cpuRequest(Deployment d) {
        return Manifests.mainContainer(d).getResources().getRequests().get("cpu").getNumericalAmount();
    }
}
