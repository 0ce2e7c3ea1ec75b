package com.backlogmcp.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Paths of the checkout the test runs in, and each overlay rendered once per test JVM. */
final class Repository {

    static final Path ROOT = locateRoot();
    static final Path K8S = ROOT.resolve("deploy/k8s");
    private static final Map<String, String> RENDERED = new ConcurrentHashMap<>();
    private static final Map<String, ServiceConfiguration> CONFIGURATIONS = new ConcurrentHashMap<>();

    private Repository() {
    }

    private static Path locateRoot() {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        for (Path p = module; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s/base")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root above " + module);
    }

    /** The YAML {@code kubectl kustomize deploy/k8s/overlays/<overlay>} prints. */
    static String render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> new Kustomize().render(K8S.resolve("overlays").resolve(o)));
    }

    static Manifests manifests(String overlay) {
        return Manifests.parse(overlay, render(overlay));
    }

    static ServiceConfiguration configuration(String service) {
        return CONFIGURATIONS.computeIfAbsent(service, s -> ServiceConfiguration.scan(ROOT, s));
    }

    /**
     * Secrets an overlay expects to be created outside kustomize, with their keys: dev's come from
     * overlays/dev/create-secrets.sh (its --from-literal names), prod has none (ExternalSecrets).
     */
    static Map<String, Set<String>> outOfBandSecrets(String overlay) {
        if (!overlay.equals("dev")) {
            return Map.of();
        }
        try {
            String script = Files.readString(K8S.resolve("overlays/dev/create-secrets.sh"));
            Matcher secret = Pattern.compile("create secret generic ([a-z0-9-]+)").matcher(script);
            if (!secret.find()) {
                throw new IllegalStateException("overlays/dev/create-secrets.sh creates no secret");
            }
            Set<String> keys = new TreeSet<>();
            Matcher literal = Pattern.compile("--from-literal=([A-Z0-9_]+)=").matcher(script);
            while (literal.find()) keys.add(literal.group(1));
            return Map.of(secret.group(1), keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
