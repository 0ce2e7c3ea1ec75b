package com.backlogmcp.backlog.people;

import com.backlogmcp.backlog.support.Json;
import com.backlogmcp.backlog.support.ToolFailure;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import com.backlogmcp.contracts.vocabulary.ErrorType;
import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * auth-service's user directory ({@code POST /internal/users/lookup}): auth owns users and their emails, backlog
 * owns memberships, so emails are read from auth when a tool needs them instead of being copied here (a copy would
 * go stale when a user changes their address). When auth cannot answer, the tool fails with UPSTREAM_UNAVAILABLE
 * rather than guessing that a known person has no account.
 */
@Singleton
public class AuthDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(AuthDirectory.class);

    /** A user as the directory describes them. */
    public record Person(String userId, String email, String displayName) {
    }

    private final HttpClient http;
    private final ServiceTokens tokens;

    AuthDirectory(@Client(id = "auth") HttpClient http, ServiceTokens tokens) {
        this.http = http;
        this.tokens = tokens;
    }

    public List<Person> byIds(List<String> userIds) {
        return userIds.isEmpty() ? List.of() : lookup(Map.of("userIds", userIds));
    }

    public List<Person> byEmails(List<String> emails) {
        return emails.isEmpty() ? List.of() : lookup(Map.of("emails", emails.stream().map(AuthDirectory::normalise).toList()));
    }

    /** Emails are compared trimmed and lower-cased, as auth-service stores them. */
    public static String normalise(String email) {
        return email.trim().toLowerCase(Locale.ROOT);
    }

    private List<Person> lookup(Map<String, Object> body) {
        String answer;
        try {
            answer = http.toBlocking().retrieve(HttpRequest.POST("/internal/users/lookup", Json.write(body))
                    .contentType(MediaType.APPLICATION_JSON_TYPE)
                    .bearerAuth(tokens.mint(ServiceNames.BACKLOG, ServiceNames.AUTH)), String.class);
        } catch (RuntimeException e) {
            LOG.warn("auth-service user directory unavailable: {}", e.toString());
            throw ToolFailure.of(ErrorType.UPSTREAM_UNAVAILABLE, "The user directory (auth-service) did not answer.");
        }
        try {
            JsonNode users = Json.parse(answer).path("users");
            List<Person> out = new ArrayList<>();
            users.forEach(u -> out.add(new Person(u.path("userId").asText(), u.path("email").asText(null),
                    u.path("displayName").asText(null))));
            return out;
        } catch (Exception e) {
            throw ToolFailure.of(ErrorType.UPSTREAM_UNAVAILABLE, "The user directory (auth-service) answered garbage.");
        }
    }
}
