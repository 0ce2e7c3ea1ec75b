package com.backlogmcp.mcp.neighbour;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.exceptions.HttpClientException;
import io.micronaut.http.client.exceptions.HttpClientResponseException;

import java.util.Map;
import java.util.Optional;

/**
 * One blocking exchange with a neighbour, translating transport failures and 5xx into
 * {@link UpstreamUnavailableException} and answering 4xx as a status the caller interprets.
 */
final class NeighbourCall {

    /** A neighbour's answer: its status and, for 2xx, its decoded body. */
    record Answer<T>(int status, Optional<T> body, Optional<Map<String, Object>> errorBody) {
        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private NeighbourCall() {
    }

    static <T> Answer<T> exchange(HttpClient client, String neighbour, HttpRequest<?> request, Argument<T> type) {
        try {
            HttpResponse<T> response = client.toBlocking().exchange(request, type);
            return new Answer<>(response.code(), response.getBody(), Optional.empty());
        } catch (HttpClientResponseException e) {
            if (e.code() >= 500) {
                throw new UpstreamUnavailableException(neighbour, e);
            }
            Optional<Map<String, Object>> error;
            try {
                error = e.getResponse().getBody(Argument.mapOf(String.class, Object.class));
            } catch (RuntimeException notJson) {
                error = Optional.empty();
            }
            return new Answer<>(e.code(), Optional.empty(), error);
        } catch (HttpClientException e) {
            throw new UpstreamUnavailableException(neighbour, e);
        } catch (RuntimeException e) {
            // A body that does not decode is a neighbour bug, not something the agent can fix.
            throw new UpstreamUnavailableException(neighbour, e);
        }
    }
}
