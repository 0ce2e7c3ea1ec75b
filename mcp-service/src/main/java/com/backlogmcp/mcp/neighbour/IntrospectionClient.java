package com.backlogmcp.mcp.neighbour;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;

import java.util.Map;

/** auth-service's RFC 7662 introspection, called with this service's credential. */
@Singleton
public class IntrospectionClient {

    private static final Argument<Map<String, Object>> JSON_OBJECT = Argument.mapOf(String.class, Object.class);

    private final HttpClient client;

    public IntrospectionClient(@Client(id = NeighbourIds.AUTH) HttpClient client) {
        this.client = client;
    }

    /** The introspection answer ({@code active} false for anything unknown, revoked or expired). */
    public Map<String, Object> introspect(String token) {
        HttpRequest<?> request = HttpRequest.POST("/oauth/introspect", Map.of("token", token))
                .contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
        NeighbourCall.Answer<Map<String, Object>> answer = NeighbourCall.exchange(client, "auth-service", request, JSON_OBJECT);
        return answer.body().filter(b -> answer.ok())
                .orElseThrow(() -> new UpstreamUnavailableException("auth-service answered introspection with " + answer.status()));
    }
}
