package com.backlogmcp.deploy.k8s;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KustomizeTest {

    @Test
    void renderWhenKubectlMissingThenFailsWithInstallHint() {
        var e = assertThrows(IllegalStateException.class,
                () -> new Kustomize("kubectl-that-does-not-exist").render(Repository.K8S.resolve("overlays/dev")));
        assertTrue(e.getMessage().contains("apt-get install -y kubectl"), e.getMessage());
    }

    @Test
    void renderWhenOverlayBrokenThenFailsWithKustomizeMessage() throws Exception {
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "overlay");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        var e = assertThrows(IllegalStateException.class, () -> new Kustomize().render(dir));
        assertTrue(e.getMessage().contains("missing.yaml"), e.getMessage());
    }
}
