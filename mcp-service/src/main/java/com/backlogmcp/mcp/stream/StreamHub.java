package com.backlogmcp.mcp.stream;

import com.backlogmcp.mcp.credential.GrantDenylist;
import com.backlogmcp.mcp.session.EndedSessions;
import com.backlogmcp.mcp.endpoint.Endpoint;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The streams open on this replica, and what keeps them bounded and honest: admission under the per-credential and
 * per-replica limits, heartbeats, the idle timeout, and a sweep every 200 ms closing streams whose credential was
 * revoked (so a revocation ends a stream within a second of reaching the denylist). Ending a session closes its
 * streams; a graceful shutdown closes every stream with a reconnect hint, so clients move to another replica.
 */
@Singleton
public class StreamHub implements GracefulShutdownCapable {

    private static final Duration SWEEP = Duration.ofMillis(200);

    private final Map<String, LiveStream> streams = new ConcurrentHashMap<>();
    private final StreamSettings settings;
    private final GrantDenylist denylist;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("stream-sweeper").unstarted(r));

    StreamHub(StreamSettings settings, GrantDenylist denylist, EndedSessions ended) {
        this.settings = settings;
        this.denylist = denylist;
        ended.onEnd(nonce -> streams.values().stream().filter(s -> nonce.equals(s.sessionNonce()))
                .forEach(s -> s.close("the session ended")));
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP.toMillis(), SWEEP.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Why a new stream for {@code credentialId} may not open now, if it may not. */
    public Optional<String> refusal(String credentialId) {
        if (streams.size() >= settings.perReplica()) {
            return Optional.of("this server holds its maximum of " + settings.perReplica() + " streams; retry shortly");
        }
        long mine = streams.values().stream().filter(s -> s.credentialId().equals(credentialId)).count();
        if (mine >= settings.perCredential()) {
            return Optional.of("this credential already holds " + mine + " open streams (at most "
                    + settings.perCredential() + "); close one first");
        }
        return Optional.empty();
    }

    public LiveStream open(Endpoint endpoint, String userId, String credentialId, String authorization,
                           @Nullable String sessionNonce, @Nullable LiveStream.Filter filter) {
        LiveStream stream = new LiveStream(UUID.randomUUID().toString(), endpoint, userId, credentialId, authorization,
                sessionNonce, filter, settings.buffer());
        stream.onClose(() -> streams.remove(stream.id()));
        streams.put(stream.id(), stream);
        if (filter == null) {
            // A session's stream may have nothing to say for minutes; a first (ignored) event sends the response
            // headers now, so the client knows at once that its stream is open.
            stream.heartbeat();
        }
        return stream;
    }

    /** The stream this replica holds for the session with {@code nonce}, if it holds one. */
    public Optional<LiveStream> ofSession(String nonce) {
        return streams.values().stream().filter(s -> nonce.equals(s.sessionNonce())).findFirst();
    }

    /** The streams a change in {@code projectId} concerns: those of its endpoint and of its workspace's endpoint. */
    public List<LiveStream> ofProject(String projectId, @Nullable String workspaceId) {
        return streams.values().stream().filter(s -> s.endpoint().isWorkspace()
                ? s.endpoint().id().equals(workspaceId) : s.endpoint().id().equals(projectId)).toList();
    }

    public Collection<LiveStream> all() {
        return List.copyOf(streams.values());
    }

    private void sweep() {
        Instant now = Instant.now();
        for (LiveStream s : streams.values()) {
            try {
                if (denylist.isRevoked(s.credentialId())) {
                    s.close(null);
                } else if (Duration.between(s.lastDelivery(), now).compareTo(settings.idleTimeout()) > 0) {
                    s.close("idle for " + settings.idleTimeout().toSeconds() + " s");
                } else if (Duration.between(s.lastWrite(), now).compareTo(settings.heartbeat()) >= 0) {
                    s.heartbeat();
                }
            } catch (RuntimeException e) {
                s.close(null);
            }
        }
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        streams.values().forEach(s -> s.close("the server is shutting down"));
        return CompletableFuture.completedFuture(null);
    }

    @PreDestroy
    void stop() {
        shutdownGracefully();
        sweeper.shutdownNow();
    }
}
