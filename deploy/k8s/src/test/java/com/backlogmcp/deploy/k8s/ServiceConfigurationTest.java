package com.backlogmcp.deploy.k8s;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServiceConfigurationTest {

    @Test
    void ofWhenPlaceholdersWithAndWithoutDefaultsThenEachFound() {
        var c = ServiceConfiguration.of("svc", """
                a: ${SECRET}
                b: ${PORT:8080}
                c: ${URL:`http://localhost:8081`}
                d: ${EMPTY:}
                e: ${NESTED:${INNER:x}}
                f: ${micronaut.server.port}
                g: ${LIMIT:-1}
                """);
        assertEquals(Optional.empty(), c.variables().get("SECRET"));
        assertEquals(Optional.of("8080"), c.variables().get("PORT"));
        assertEquals(Optional.of(""), c.variables().get("EMPTY"));
        assertEquals(Optional.of("-1"), c.variables().get("LIMIT"), "Micronaut defaults keep their minus sign");
        assertTrue(c.reads("INNER") && c.reads("NESTED"));
        assertFalse(c.reads("micronaut.server.port"));
        assertTrue(c.reads("JAVA_TOOL_OPTIONS"), "the JVM's own variable is always accepted");
        assertEquals(Set.of("SECRET", "URL"), c.requiredInCluster());
    }

    @Test
    void scanWhenRealServiceThenLogbackAndApplicationYmlVariablesFound() {
        var c = ServiceConfiguration.scan(Repository.ROOT, "backlog-service");
        assertTrue(c.reads("LOG_FORMAT"), "logback.xml variables count");
        assertEquals(Optional.of("INFO"), c.variables().get("LOG_LEVEL"), "logback's ':-' is not part of the default");
        assertTrue(c.reads("DATASOURCE_URL"));
        assertTrue(c.requiredInCluster().contains("SERVICE_TOKEN_SECRET"));
    }

    @Test
    void scanWhenJavaAnnotationReadsAVariableThenFound() throws Exception {
        java.nio.file.Path root = java.nio.file.Files.createTempDirectory(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), "repo");
        java.nio.file.Path module = root.resolve("demo-service/src/main");
        java.nio.file.Files.createDirectories(module.resolve("resources"));
        java.nio.file.Files.createDirectories(module.resolve("java/demo"));
        java.nio.file.Files.writeString(module.resolve("resources/application.yml"), "port: ${DEMO_PORT:8080}\n");
        java.nio.file.Files.writeString(module.resolve("java/demo/Job.java"),
                "class Job { @Scheduled(fixedDelay = \"${DEMO_INTERVAL:10m}\") void run() {} }");
        var c = ServiceConfiguration.scan(root, "demo-service");
        assertEquals(Set.of("DEMO_PORT", "DEMO_INTERVAL"), c.variables().keySet());
    }

    @Test
    void scanWhenNoSuchModuleThenFailsNamingIt() {
        var e = assertThrows(IllegalStateException.class, () -> ServiceConfiguration.scan(Repository.ROOT, "billing-service"));
        assertTrue(e.getMessage().contains("billing-service"));
    }
}
