package com.backlogmcp.deploy.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
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
record ServiceConfiguration(String service, Map<String, Optional<String>> variables, Optional<String> serverPortPlaceholder) {

    ServiceConfiguration(String service, Map<String, Optional<String>> variables) {
        this(service, variables, Optional.empty());
    }

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
        return new ServiceConfiguration(service, variables, serverPort(main.resolve("resources/application.yml")));
    }

    /** The raw value of micronaut.server.port in application.yml, e.g. {@code ${MCP_PORT:8080}}. */
    @SuppressWarnings("unchecked")
    private static Optional<String> serverPort(Path applicationYml) throws UncheckedIOException {
        if (!Files.exists(applicationYml)) {
            return Optional.empty();
        }
        try {
            Object root = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                    .load(Files.readString(applicationYml));
            Object value = root;
            for (String key : new String[]{"micronaut", "server", "port"}) {
                value = value instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
            }
            return Optional.ofNullable(value).map(String::valueOf);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The port the service listens on given the variables a manifest sets: the placeholder's variable
     * if set, else its default. Empty when the service does not configure micronaut.server.port.
     */
    Optional<Integer> listenPort(Function<String, String> setValue) {
        if (serverPortPlaceholder.isEmpty()) {
            return Optional.empty();
        }
        Matcher m = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(?::([0-9]+))?}$").matcher(serverPortPlaceholder.get().trim());
        if (!m.matches()) {
            return Optional.of(Integer.parseInt(serverPortPlaceholder.get().trim()));
        }
        String set = setValue.apply(m.group(1));
        String effective = set != null ? set : m.group(2);
        return effective == null ? Optional.empty() : Optional.of(Integer.parseInt(effective));
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
