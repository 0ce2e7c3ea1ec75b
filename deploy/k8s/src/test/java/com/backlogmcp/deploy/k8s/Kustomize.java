package com.backlogmcp.deploy.k8s;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Renders an overlay exactly as an operator would ({@code kubectl kustomize <dir>}), offline.
 * A missing kubectl is a failure, not a skip: the manifests would otherwise go untested in CI.
 */
final class Kustomize {

    private final String kubectl;

    Kustomize(String kubectl) {
        this.kubectl = kubectl;
    }

    Kustomize() {
        this(System.getenv().getOrDefault("KUBECTL", "kubectl"));
    }

    String render(Path overlay) {
        if (!Files.isDirectory(overlay)) {
            throw new IllegalStateException("no kustomize directory at " + overlay);
        }
        Process process;
        try {
            process = new ProcessBuilder(List.of(kubectl, "kustomize", overlay.toString()))
                    .redirectErrorStream(false)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run '" + kubectl + "': the manifest test needs kubectl to render the"
                    + " kustomize overlays. Install Debian's kubectl (apt-get install -y kubectl; .ci/run does this when"
                    + " it is missing) or point KUBECTL at a kubectl binary. Cause: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            var stdout = process.getInputStream().readAllBytes();
            var stderr = process.getErrorStream().readAllBytes();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + overlay + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + overlay + " failed (exit " + process.exitValue()
                        + "): " + new String(stderr, StandardCharsets.UTF_8).strip());
            }
            return new String(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read kubectl's output for " + overlay, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while rendering " + overlay, e);
        }
    }
}
