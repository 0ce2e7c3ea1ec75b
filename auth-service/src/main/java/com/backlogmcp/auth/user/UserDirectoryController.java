package com.backlogmcp.auth.user;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.serde.annotation.Serdeable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /internal/users/lookup {emails?: [...], userIds?: [...]}} → {@code {users: [{userId, email,
 * displayName}]}}: the directory backlog-service reads when a tool shows a member's email or invites by email.
 * auth-service owns users and emails; backlog-service owns memberships and never copies emails.
 * Service credential only (like every /internal path); at most {@value #MAX} of each per call.
 */
@Controller("/internal/users")
@ExecuteOn(TaskExecutors.BLOCKING)
final class UserDirectoryController {

    static final int MAX = 200;

    @Serdeable
    @JsonIgnoreProperties(ignoreUnknown = false)
    record Lookup(@Nullable List<String> emails, @Nullable List<String> userIds) {
    }

    private final UserStore users;

    UserDirectoryController(UserStore users) {
        this.users = users;
    }

    @Post("/lookup")
    HttpResponse<?> lookup(@Body Lookup request) {
        List<String> emails = request.emails() == null ? List.of() : request.emails();
        List<String> ids = request.userIds() == null ? List.of() : request.userIds();
        if (emails.size() > MAX || ids.size() > MAX || emails.stream().anyMatch(e -> e == null || e.length() > 320)
                || ids.stream().anyMatch(i -> i == null || i.length() > 100)) {
            return HttpResponse.badRequest(Map.of("error", "invalid_request",
                    "message", "at most " + MAX + " emails and userIds, each a short string"));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (User u : users.byIds(ids)) {
            out.add(view(u));
        }
        for (User u : users.byEmails(emails)) {
            if (!ids.contains(u.id())) {
                out.add(view(u));
            }
        }
        return HttpResponse.ok(Map.of("users", out));
    }

    private static Map<String, Object> view(User u) {
        return Map.of("userId", u.id(), "email", u.email(), "displayName", u.displayName());
    }
}
