package com.backlogmcp.audit.credentials;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.audit.web.QueryParams;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

/**
 * {@code GET /internal/audit-log/credential-events?credentialId=&userId=&limit=} — when grants and API keys were created
 * and revoked, and why, newest first. At least one filter is required. As for the audit log, the caller (auth-service)
 * decides who may see which user's or credential's history.
 */
@Controller("/internal/audit-log/credential-events")
@ExecuteOn(TaskExecutors.BLOCKING)
class CredentialEventsController {

    private final CredentialEventStore store;

    CredentialEventsController(CredentialEventStore store) {
        this.store = store;
    }

    @Get
    CredentialEvents list(@Nullable @QueryValue String credentialId, @Nullable @QueryValue String userId,
                          @Nullable @QueryValue String limit) {
        String credential = QueryParams.id("credentialId", credentialId);
        String user = QueryParams.id("userId", userId);
        if (credential == null && user == null) {
            throw new InvalidRequestException("credentialId or userId is required");
        }
        return new CredentialEvents(store.find(credential, user, QueryParams.integer("limit", limit, 50, 1, 200)));
    }
}
