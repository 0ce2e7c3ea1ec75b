package com.backlogmcp.backlog.authz;

import com.backlogmcp.backlog.support.ConnectionQueries;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.transaction.TransactionOperations;

import java.sql.Connection;
import java.util.Map;

/** {@code GET /internal/authz?projectId=&userId=}: the edge's live membership and workspace check (step 5 and 6). */
@Controller("/internal/authz")
final class AuthzController {

    private final TransactionOperations<Connection> tx;

    AuthzController(TransactionOperations<Connection> tx) {
        this.tx = tx;
    }

    @Get
    HttpResponse<?> authz(@QueryValue String projectId, @QueryValue @Nullable String userId) {
        return tx.executeRead(status -> ProjectAuthzContexts.find(new ConnectionQueries(status.getConnection()), projectId, userId))
                .<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> HttpResponse.notFound(Map.of("error", "not_found",
                        "message", "no project with this id")));
    }

}
