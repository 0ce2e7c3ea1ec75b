package com.backlogmcp.auth.apps;

import com.backlogmcp.auth.backlog.BacklogClient;
import com.backlogmcp.auth.usage.AuditUsageClient;
import com.backlogmcp.auth.client.ClientDirectory;
import com.backlogmcp.auth.client.ClientStore;
import com.backlogmcp.auth.client.RegisteredClient;
import com.backlogmcp.auth.grant.Grant;
import com.backlogmcp.auth.grant.GrantRevocations;
import com.backlogmcp.auth.grant.GrantStore;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The user's active grants, described for people: client, redirect host, project, scopes, created, last used. */
@Singleton
public class ConnectedApps {

    /** One connected app (a grant). {@code lastUsed} is null when never used or when audit-service is unavailable. */
    @Serdeable
    public record App(String grantId, String clientId, @Nullable String clientName, String redirectHost, String projectId,
                      String projectName, List<String> scopes, Instant createdAt, @Nullable Instant lastUsed) {
    }

    /** The list plus whether last-used times could be read. */
    @Serdeable
    public record Listing(List<App> apps, boolean usageAvailable) {
    }

    private final GrantStore grants;
    private final GrantRevocations revocations;
    private final ClientStore clients;
    private final ClientDirectory directory;
    private final BacklogClient backlog;
    private final AuditUsageClient audit;

    ConnectedApps(GrantStore grants, GrantRevocations revocations, ClientStore clients, ClientDirectory directory,
                  BacklogClient backlog, AuditUsageClient audit) {
        this.grants = grants;
        this.revocations = revocations;
        this.clients = clients;
        this.directory = directory;
        this.backlog = backlog;
        this.audit = audit;
    }

    public Listing list(String userId) {
        List<Grant> mine = grants.activeForUser(userId);
        Optional<Map<String, Instant>> used = audit.lastUsed(mine.stream().map(Grant::id).toList());
        Map<String, String> projectNames = new HashMap<>();
        try {
            backlog.projectsOf(userId).forEach(p -> projectNames.put(p.projectId(), p.projectName()));
        } catch (BacklogClient.Unavailable e) {
            // names are a nicety; ids still identify the project
        }
        List<App> apps = mine.stream().map(g -> new App(g.id(), g.clientId(), clientName(g.clientId()),
                redirectHost(g.redirectUri()), g.projectId(), projectNames.getOrDefault(g.projectId(), g.projectId()),
                List.of(g.scope().split(" ")), g.createdAt(), used.map(m -> m.get(g.id())).orElse(null))).toList();
        return new Listing(apps, used.isPresent());
    }

    /** Revokes one of the user's own grants; answers false when it is not theirs or already revoked. */
    public boolean revoke(String userId, String grantId) {
        Optional<Grant> g = grants.find(grantId);
        if (g.isEmpty() || !g.get().userId().equals(userId)) {
            return false;
        }
        return revocations.revoke(grantId, GrantRevocations.USER);
    }

    private String clientName(String clientId) {
        // A registered client's name comes from the database; a metadata document's from the (cached) document.
        return clients.find(clientId).map(RegisteredClient::clientName)
                .or(() -> clientId.startsWith("https://") ? directory.find(clientId).map(RegisteredClient::clientName) : Optional.empty())
                .orElse(null);
    }

    static String redirectHost(String redirectUri) {
        try {
            URI u = URI.create(redirectUri);
            return u.getHost() == null ? u.getScheme() + ":" : u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
