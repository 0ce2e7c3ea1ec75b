package com.backlogmcp.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables one service reads, found the way the service finds them: as
 * {@code ${NAME}} / {@code ${NAME:default}} placeholders in its application.yml and Java annotations
 * (Micronaut) and {@code ${NAME:-default}} in its logback.xml. Read from the source tree at test time, so a variable
 * a service adds or drops today is seen today.
 */
record ServiceConfiguration(String service, Map<String, Optional<String>> variables) {

    /** Environment variables read by the JVM itself rather than by the service's configuration. */
    static final java.util.Set<String> JVM_VARIABLES = java.util.Set.of("JAVA_TOOL_OPTIONS");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)([:}])");

    static ServiceConfiguration scan(Path repositoryRoot, String service) {
        Path main = repositoryRoot.resolve(service).resolve("src/main");
        if (!Files.isDirectory(main.resolve("resources"))) {
            throw new IllegalStateException("no module '" + service + "' at " + main.resolve("resources")
                    + ": a Deployment's container must be named after the service module it runs");
        }
        Map<String, Optional<String>> variables = new TreeMap<>();
        // Java sources too: an annotation such as @Scheduled(fixedDelay = "${X:10m}") reads X directly.
        try (Stream<Path> files = Files.walk(main)) {
            for (Path file : (Iterable<Path>) files.filter(ServiceConfiguration::isConfigFile).sorted()::iterator) {
                parse(Files.readString(file), file.toString().endsWith(".xml")).variables()
                        .forEach((name, def) -> variables.merge(name, def, ServiceConfiguration::stricter));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ServiceConfiguration(service, variables);
    }

    static ServiceConfiguration of(String service, String configText) {
        return new ServiceConfiguration(service, parse(configText, false).variables());
    }

    private static boolean isConfigFile(Path p) {
        String n = p.getFileName().toString();
        return Files.isRegularFile(p) && (n.endsWith(".yml") || n.endsWith(".yaml") || n.endsWith(".properties") || n.endsWith(".xml")
                || n.endsWith(".java"));
    }

    /**
     * Placeholders of one text; nested defaults ({@code ${A:${B}}}) yield both A and B. Logback
     * writes {@code ${A:-default}}, Micronaut {@code ${A:default}} (where "-1" is a real default).
     */
    private static ServiceConfiguration parse(String text, boolean logbackSyntax) {
        Map<String, Optional<String>> found = new TreeMap<>();
        Matcher m = PLACEHOLDER.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            Optional<String> defaultValue = Optional.empty();
            if (m.group(2).equals(":")) {
                int depth = 1;
                int i = m.end();
                while (i < text.length() && depth > 0) {
                    char c = text.charAt(i);
                    if (c == '{') depth++;
                    if (c == '}') depth--;
                    i++;
                }
                String raw = text.substring(m.end(), Math.max(m.end(), i - 1));
                defaultValue = Optional.of(logbackSyntax && raw.startsWith("-") ? raw.substring(1) : raw);
            }
            found.merge(name, defaultValue, ServiceConfiguration::stricter);
        }
        return new ServiceConfiguration("?", found);
    }

    /** A variable read once without a default is required, whatever other places say. */
    private static Optional<String> stricter(Optional<String> a, Optional<String> b) {
        return a.isEmpty() || b.isEmpty() ? Optional.empty() : a;
    }

    boolean reads(String variable) {
        return variables.containsKey(variable) || JVM_VARIABLES.contains(variable);
    }

    /**
     * Variables that must be set in a cluster: no default at all, or a default that points at the
     * developer's own machine (localhost), which inside a pod is the pod itself.
     */
    java.util.SortedSet<String> requiredInCluster() {
        java.util.SortedSet<String> required = new java.util.TreeSet<>();
        variables.forEach((name, def) -> {
            if (def.isEmpty() || def.get().contains("localhost") || def.get().contains("127.0.0.1")) {
                required.add(name);
            }
        });
        return required;
    }
}
