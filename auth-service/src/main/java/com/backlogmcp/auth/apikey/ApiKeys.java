package com.backlogmcp.auth.apikey;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.events.GrantEvents;
import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.contracts.vocabulary.Scope;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Connection;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * API keys ({@code bmcp_…}): created for the logged-in user, bound to one project or a whole workspace the user
 * belongs to, and to scopes. The edge still applies the owner's live membership, role and plan on every call.
 */
@Singleton
public class ApiKeys {

    public static final String PREFIX = "bmcp_";

    /** A bad create request, with a message for the user. */
    public static final class Invalid extends Exception {
        public Invalid(String message) {
            super(message);
        }
    }

    /** A created key: the listing plus the secret, which is shown this once and never again. */
    public record Created(ApiKey key, String secret) {
    }

    private final ApiKeyStore store;
    private final BacklogClient backlog;
    private final GrantEvents events;
    private final TransactionOperations<Connection> tx;

    ApiKeys(ApiKeyStore store, BacklogClient backlog, GrantEvents events, TransactionOperations<Connection> tx) {
        this.store = store;
        this.backlog = backlog;
        this.events = events;
        this.tx = tx;
    }

    public Created create(String userId, String name, String projectId, String workspaceId, List<String> scopes) throws Invalid {
        if (name == null || name.isBlank() || name.length() > 100) {
            throw new Invalid("Give the key a name of 1 to 100 characters.");
        }
        if ((projectId == null) == (workspaceId == null)) {
            throw new Invalid("Bind the key to exactly one project or one workspace.");
        }
        Set<String> scopeSet = new LinkedHashSet<>();
        for (String s : scopes) {
            if (Scope.fromValue(s).isEmpty()) {
                throw new Invalid("Unknown scope: " + s);
            }
            scopeSet.add(s);
        }
        if (scopeSet.isEmpty()) {
            throw new Invalid("Choose at least one scope.");
        }
        List<BacklogClient.ProjectRef> mine = backlog.projectsOf(userId);
        boolean allowed = projectId != null
                ? mine.stream().anyMatch(p -> projectId.equals(p.projectId()))
                : mine.stream().anyMatch(p -> workspaceId.equals(p.workspaceId()));
        if (!allowed) {
            throw new Invalid("You are not a member of that " + (projectId != null ? "project." : "workspace."));
        }
        String wsId = workspaceId;
        if (projectId != null) {
            wsId = mine.stream().filter(p -> projectId.equals(p.projectId())).map(BacklogClient.ProjectRef::workspaceId).findFirst().orElse(null);
        }
        String secret = PREFIX + Secrets.newSecret();
        // A project key records its workspace too, for display and events; the binding is the project.
        String boundWorkspace = projectId == null ? wsId : null;
        String eventWorkspace = wsId;
        // The key and its key.created event (outbox row) commit together.
        ApiKey key = tx.executeWrite(status -> {
            ApiKey k = store.insert(secret, name.trim(), userId, boundWorkspace, projectId, String.join(" ", scopeSet));
            events.keyCreated(k.id(), userId, projectId, eventWorkspace);
            return k;
        });
        return new Created(key, secret);
    }

    public List<ApiKey> list(String userId) {
        return store.activeForUser(userId);
    }

    public boolean revoke(String userId, String keyId) {
        // The revocation and its key.revoked event (outbox row) commit together, so a Kafka outage cannot lose it.
        return tx.executeWrite(status -> {
            Optional<ApiKey> k = store.revoke(userId, keyId);
            k.ifPresent(key -> events.keyRevoked(key.id(), userId, key.projectId(), key.workspaceId(), "user"));
            return k.isPresent();
        });
    }

    /** The active key for a presented secret (introspection). */
    public Optional<ApiKey> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
            return Optional.empty();
        }
        return store.bySecret(secret).filter(k -> k.revokedAt() == null);
    }
}
