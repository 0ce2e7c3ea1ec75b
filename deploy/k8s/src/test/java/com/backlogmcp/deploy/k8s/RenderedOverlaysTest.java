package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        assertNoProblems(overlay, "server ports", ManifestChecks.serverPorts(m, Repository::configuration));
        assertNoProblems(overlay, "termination grace", ManifestChecks.terminationGrace(m, Repository::configuration));
        assertNoProblems(overlay, "in-cluster URLs", ManifestChecks.serviceUrls(m));
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
        assertNoProblems("dev vs prod", "overlay differences", ManifestChecks.overlayDifferences(Repository.manifests("dev"), Repository.manifests("prod")));
    }
}
