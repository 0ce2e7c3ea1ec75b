package com.backlogmcp.mcp.catalog;

import com.backlogmcp.contracts.internal.Catalog;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.endpoint.Endpoint;
import com.backlogmcp.mcp.neighbour.BacklogClient;
import com.backlogmcp.mcp.neighbour.UpstreamUnavailableException;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The tool catalog as backlog-service serves it, cached briefly, in its two views: what a project endpoint offers
 * and what a workspace endpoint offers (the same tools, project tools with a {@code projectId} argument, and the
 * workspace's resources). Once loaded, a stale view is still served while one background refresh runs, so a slow
 * backlog-service never delays a listing; only the very first load of a view waits (and fails with
 * UPSTREAM_UNAVAILABLE when backlog-service is down).
 */
@Singleton
public class CatalogCache {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogCache.class);

    private record Loaded(CatalogIndex index, Instant at) {
    }

    private final BacklogClient backlog;
    private final EdgeConfiguration config;
    private final Clock clock = Clock.systemUTC();
    private final ExecutorService refresher = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().name("catalog-refresh").factory());
    private final View project = new View(false);
    private final View workspace = new View(true);

    public CatalogCache(BacklogClient backlog, EdgeConfiguration config) {
        this.backlog = backlog;
        this.config = config;
    }

    /** The project endpoints' view. */
    public CatalogIndex current() {
        return project.current();
    }

    /** The view {@code endpoint} offers. */
    public CatalogIndex of(Endpoint endpoint) {
        return endpoint.isWorkspace() ? workspace.current() : project.current();
    }

    /**
     * The scope guarding {@code uri} on {@code endpoint} (empty: no such resource there). A workspace endpoint also
     * serves the resources of its projects ({@code backlog://projects/{id}/…}, as list_projects names them), each
     * checked for membership of that project when read.
     */
    public Optional<String> scopeOfResource(Endpoint endpoint, String uri) {
        Optional<String> own = of(endpoint).scopeOfResource(uri, endpoint);
        return own.isPresent() || !endpoint.isWorkspace() ? own : current().scopeOfAnyProjectResource(uri);
    }

    /** The cached project view without loading it (for tests and diagnostics). */
    Optional<CatalogIndex> peek() {
        return Optional.ofNullable(project.loaded).map(Loaded::index);
    }

    @PreDestroy
    void close() {
        refresher.shutdownNow();
    }

    /** One view, loaded once and then refreshed in the background. */
    private final class View {

        private final boolean workspaceView;
        private final AtomicBoolean refreshing = new AtomicBoolean();
        private volatile Loaded loaded;

        View(boolean workspaceView) {
            this.workspaceView = workspaceView;
        }

        CatalogIndex current() {
            Loaded l = loaded;
            if (l == null) {
                synchronized (this) {
                    if (loaded == null) {
                        loaded = new Loaded(new CatalogIndex(backlog.catalog(workspaceView)), clock.instant());
                    }
                    return loaded.index();
                }
            }
            if (l.at().plus(config.catalogTtl()).isBefore(clock.instant()) && refreshing.compareAndSet(false, true)) {
                refresher.execute(this::refresh);
            }
            return l.index();
        }

        private void refresh() {
            try {
                Catalog fresh = backlog.catalog(workspaceView);
                loaded = new Loaded(new CatalogIndex(fresh), clock.instant());
            } catch (UpstreamUnavailableException e) {
                LOG.warn("catalog refresh failed; serving the cached catalog: {}", e.getMessage());
            } finally {
                refreshing.set(false);
            }
        }
    }
}
