package com.backlogmcp.auth.backlog;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * backlog-service's invitations (it owns memberships, so it owns the memberships waiting for a person without an
 * account): the open invitation of a link, the claim made at each sign-in, the invitations a user sent.
 */
@Singleton
public class InvitationsClient {

    /** An open invitation as the sign-up and account pages show it; names are user-written text. */
    public record Invitation(String id, String projectId, String projectName, String workspaceName, String email,
                             String role, String expiresAt) {
    }

    private final HttpClient http;

    InvitationsClient(@Client(id = "backlog") HttpClient http) {
        this.http = http;
    }

    /** The open invitation the link's token names; empty when unknown, used, revoked or expired. */
    public Optional<Invitation> open(String token) {
        try {
            JsonNode node = http.toBlocking().retrieve(json("/internal/invitations/lookup", Map.of("token", token)), JsonNode.class);
            return Optional.of(invitation(node.get("invitation")));
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return Optional.empty();
            }
            throw new BacklogClient.Unavailable("backlog-service answered " + e.getStatus().getCode(), e);
        } catch (RuntimeException e) {
            throw new BacklogClient.Unavailable("backlog-service is unreachable", e);
        }
    }

    /** Turns the open invitations of the user's email into memberships; answers the project ids joined. */
    public List<String> claim(String userId, String email, String displayName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("userId", userId);
        body.put("email", email);
        body.put("displayName", displayName);
        try {
            JsonNode node = http.toBlocking().retrieve(json("/internal/invitations/claim", body), JsonNode.class);
            List<String> joined = new ArrayList<>();
            JsonNode list = node.get("joined");
            if (list != null) {
                list.values().forEach(j -> joined.add(text(j, "projectId")));
            }
            return joined;
        } catch (RuntimeException e) {
            throw new BacklogClient.Unavailable("could not claim invitations", e);
        }
    }

    public List<Invitation> sentBy(String userId) {
        try {
            JsonNode node = http.toBlocking().retrieve(HttpRequest.GET("/internal/users/" + userId + "/invitations"), JsonNode.class);
            List<Invitation> out = new ArrayList<>();
            JsonNode list = node.get("invitations");
            if (list != null) {
                list.values().forEach(i -> out.add(invitation(i)));
            }
            return out;
        } catch (RuntimeException e) {
            throw new BacklogClient.Unavailable("could not list invitations", e);
        }
    }

    /** Withdraws an open invitation the user sent (or administers); false when there is none. */
    public boolean revoke(String invitationId, String userId) {
        try {
            http.toBlocking().exchange(json("/internal/invitations/" + invitationId + "/revoke", Map.of("userId", userId)));
            return true;
        } catch (HttpClientResponseException e) {
            if (e.getStatus() == HttpStatus.NOT_FOUND) {
                return false;
            }
            throw new BacklogClient.Unavailable("backlog-service answered " + e.getStatus().getCode(), e);
        } catch (RuntimeException e) {
            throw new BacklogClient.Unavailable("backlog-service is unreachable", e);
        }
    }

    private static HttpRequest<?> json(String path, Map<String, Object> body) {
        return HttpRequest.POST(path, body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private static Invitation invitation(JsonNode i) {
        return new Invitation(text(i, "id"), text(i, "projectId"), untrusted(i, "projectName"),
                untrusted(i, "workspaceName"), text(i, "email"), text(i, "role"), text(i, "expiresAt"));
    }

    private static String untrusted(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v != null && v.isObject()) {
            v = v.get("text");
        }
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : v.coerceStringValue();
    }
}
