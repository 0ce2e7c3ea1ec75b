package com.backlogmcp.backlog;

import com.backlogmcp.embedded.TestInfrastructure;

import java.util.HashMap;
import java.util.Map;

/** Properties that point a test's application context at this JVM's PostgreSQL and Kafka. */
public final class TestStack {

    public static final String SERVICE_SECRET = "test-service-secret-0123456789abcdef";

    private TestStack() {
    }

    public static Map<String, String> properties() {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> p = new HashMap<>();
        // A free port, so the tests run beside a local stack holding the service's usual one.
        p.put("micronaut.server.port", "-1");
        p.put("datasources.default.url", infra.jdbcUrl());
        p.put("datasources.default.username", infra.username());
        p.put("datasources.default.password", infra.password());
        p.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        p.put("backlogmcp.service-token-secret", SERVICE_SECRET);
        p.put("micronaut.http.services.auth.url", AuthDirectoryStub.get().url());
        return p;
    }
}
