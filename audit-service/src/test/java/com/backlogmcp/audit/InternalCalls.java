package com.backlogmcp.audit;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain JDK HTTP client calling {@code /internal/**} with a valid service credential, as a neighbour would. */
public final class InternalCalls {

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public InternalCalls(URI base, String caller) {
        this.base = base;
        this.token = new ServiceTokens(TestStack.SERVICE_SECRET).mint(caller, ServiceNames.AUDIT);
    }

    public InternalCalls(URI base) {
        this(base, ServiceNames.MCP);
    }

    public HttpResponse<String> post(String path, String json) {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> get(String pathAndQuery) {
        return send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                .header("Authorization", "Bearer " + token).GET().build());
    }

    public HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String reserveJson(String projectId, String credentialId, String plan) {
        return "{\"projectId\":\"" + projectId + "\",\"credentialId\":\"" + credentialId
                + "\",\"plan\":\"" + plan + "\",\"tool\":\"list_items\"}";
    }
}
