package com.backlogmcp.backlog.members;

import com.backlogmcp.backlog.people.AuthDirectory;
import com.backlogmcp.backlog.support.BadRequest;
import com.backlogmcp.backlog.support.RequestBodies;
import com.backlogmcp.backlog.support.ConnectionQueries;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.Map;
import java.util.Set;

/**
 * What auth-service needs of invitations (it owns users, we own memberships):
 * <ul>
 *   <li>{@code POST /internal/invitations/lookup {token}}: the open invitation of a link (200), else 404 — the
 *       sign-up page shows it and creates the account for its email;</li>
 *   <li>{@code POST /internal/invitations/claim {userId, email, displayName?}}: on every sign-in, the open
 *       invitations of that email become memberships (200 with the projects joined);</li>
 *   <li>{@code GET /internal/users/{userId}/invitations}: the open invitations a user sent (account page);</li>
 *   <li>{@code POST /internal/invitations/{id}/revoke {userId}}: withdraw one (204; 404 when not open or not
 *       theirs to withdraw).</li>
 * </ul>
 */
@Controller("/internal")
@ExecuteOn(TaskExecutors.BLOCKING)
final class InvitationsController {

    private final TransactionOperations<Connection> tx;

    InvitationsController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Post("/invitations/lookup")
    @Consumes(MediaType.ALL)
    HttpResponse<?> lookup(@Nullable @Body String body) {
        String token = RequestBodies.requiredText(RequestBodies.object(body, Set.of("token")), "token");
        if (token.length() > 200) {
            throw new BadRequest("invalid_request", "token is too long");
        }
        return tx.executeRead(status -> Invitations.open(new ConnectionQueries(status.getConnection()), token))
                .<HttpResponse<?>>map(i -> HttpResponse.ok(Map.of("invitation", i)))
                .orElseGet(() -> HttpResponse.notFound(Map.of("error", "not_found",
                        "message", "no open invitation for this link")));
    }

    @Post("/invitations/claim")
    @Consumes(MediaType.ALL)
    Map<String, Object> claim(@Nullable @Body String body) {
        var request = RequestBodies.object(body, Set.of("userId", "email", "displayName"));
        String userId = RequestBodies.requiredText(request, "userId");
        String email = AuthDirectory.normalise(RequestBodies.requiredText(request, "email"));
        String displayName = RequestBodies.optionalText(request, "displayName");
        return Map.of("joined", tx.executeWrite(status ->
                Invitations.claim(new ConnectionQueries(status.getConnection()), userId, email, displayName)));
    }

    @Get("/users/{userId}/invitations")
    Map<String, Object> sent(@PathVariable String userId) {
        return Map.of("invitations", tx.executeRead(status -> Invitations.sentBy(new ConnectionQueries(status.getConnection()), userId)));
    }

    @Post("/invitations/{id}/revoke")
    @Consumes(MediaType.ALL)
    HttpResponse<?> revoke(@PathVariable String id, @Nullable @Body String body) {
        String userId = RequestBodies.requiredText(RequestBodies.object(body, Set.of("userId")), "userId");
        boolean revoked = tx.executeWrite(status -> Invitations.revoke(new ConnectionQueries(status.getConnection()), id, userId));
        return revoked ? HttpResponse.noContent()
                : HttpResponse.notFound(Map.of("error", "not_found", "message", "no open invitation " + id + " you may withdraw"));
    }
}
