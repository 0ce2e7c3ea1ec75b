package com.backlogmcp.mcp;

import com.backlogmcp.embedded.TestInfrastructure;

import java.util.HashMap;
import java.util.Map;

/** Properties that point a test's application context at this JVM's Kafka (the edge has no database). */
public final class TestStack {

    public static final String SERVICE_SECRET = "test-service-secret-0123456789abcdef";
    public static final String ARGS_HASH_SECRET = "test-args-hash-secret-0123456789abcdef";

    private TestStack() {
    }

    public static Map<String, String> properties() {
        TestInfrastructure infra = TestInfrastructure.get();
        Map<String, String> p = new HashMap<>();
        // A free port, so the tests run beside a local stack holding the service's usual one.
        p.put("micronaut.server.port", "-1");
        p.put("kafka.bootstrap.servers", infra.kafkaBootstrapServers());
        p.put("backlogmcp.service-token-secret", SERVICE_SECRET);
        p.put("backlogmcp.edge.args-hash-secret", ARGS_HASH_SECRET);
        return p;
    }
}
