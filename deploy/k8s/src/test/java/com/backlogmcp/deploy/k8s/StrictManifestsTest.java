package com.backlogmcp.deploy.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StrictManifestsTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: demo
            spec:
              selector:
                matchLabels: {app: demo}
              template:
                metadata:
                  labels: {app: demo}
                spec:
                  containers:
                    - name: demo
                      image: demo:1
                      %s
            """;

    @Test
    void parseWhenKnownFieldsThenTypedModel() {
        var objects = StrictManifests.parse(DEPLOYMENT.formatted("imagePullPolicy: IfNotPresent"));
        Deployment d = assertInstanceOf(Deployment.class, objects.get(0));
        assertEquals("IfNotPresent", d.getSpec().getTemplate().getSpec().getContainers().get(0).getImagePullPolicy());
    }

    @Test
    void parseWhenMisspelledFieldThenFailsNamingIt() {
        var e = assertThrows(StrictManifests.ManifestException.class,
                () -> StrictManifests.parse(DEPLOYMENT.formatted("livenesProbe: {httpGet: {path: /health, port: 8080}}")));
        assertTrue(e.getMessage().contains("livenesProbe"), e.getMessage());
        assertTrue(e.getMessage().contains("Deployment demo"), e.getMessage());
    }

    @Test
    void parseWhenWrongTypeThenFails() {
        assertThrows(StrictManifests.ManifestException.class,
                () -> StrictManifests.parse(DEPLOYMENT.formatted("ports: {containerPort: 8080}")));
    }

    @Test
    void parseWhenDuplicateKeyThenFails() {
        assertThrows(StrictManifests.ManifestException.class,
                () -> StrictManifests.parse(DEPLOYMENT.formatted("image: demo:2")));
    }

    @Test
    void parseWhenUnknownKindOrApiVersionThenFails() {
        var e = assertThrows(StrictManifests.ManifestException.class, () -> StrictManifests.parse("""
                apiVersion: extensions/v1beta1
                kind: Ingress
                metadata: {name: old}
                """));
        assertTrue(e.getMessage().contains("no strict model for extensions/v1beta1/Ingress"), e.getMessage());
    }

    @Test
    void parseWhenOperatorResourceThenGenericObject() {
        var objects = StrictManifests.parse("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 3}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: sa}
                """);
        assertEquals(2, objects.size());
        assertInstanceOf(GenericKubernetesResource.class, objects.get(0));
        assertEquals(3, Manifests.path((GenericKubernetesResource) objects.get(0), "spec", "partitions"));
    }

    @Test
    void parseWhenNameMissingThenFails() {
        assertThrows(StrictManifests.ManifestException.class, () -> StrictManifests.parse("""
                apiVersion: v1
                kind: ServiceAccount
                metadata: {labels: {a: b}}
                """));
    }
}
