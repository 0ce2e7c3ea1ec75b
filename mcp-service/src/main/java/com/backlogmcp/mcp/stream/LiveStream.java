package com.backlogmcp.mcp.stream;

import com.backlogmcp.mcp.endpoint.Endpoint;
import io.micronaut.core.annotation.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import io.micronaut.http.sse.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One open server-to-client SSE stream: whose it is (project, user, credential, the Authorization it was opened
 * with, so every delivery can be authorized again), what it wants (the session whose subscriptions it carries, or a
 * {@code subscriptions/listen} filter) and a bounded buffer of SSE events. A reader too slow to drain the buffer
 * loses the stream rather than making the edge hold more memory: the overflowing write closes it, and the client
 * reconnects and re-reads what it follows.
 */
public final class LiveStream {

    /** What a {@code subscriptions/listen} stream asked for (null fields: not asked). */
    public record Filter(boolean toolsListChanged, boolean promptsListChanged, boolean resourcesListChanged,
                         Set<String> resourceSubscriptions, Object subscriptionId) {
    }

    private final String id;
    private final Endpoint endpoint;
    private final String userId;
    private final String credentialId;
    private final String authorization;
    @Nullable
    private final String sessionNonce;
    @Nullable
    private final Filter filter;
    private final Sinks.Many<Event<String>> sink;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Instant lastWrite = Instant.now();
    private volatile Instant lastDelivery = Instant.now();
    private volatile Runnable onClose = () -> { };

    LiveStream(String id, Endpoint endpoint, String userId, String credentialId, String authorization,
               @Nullable String sessionNonce, @Nullable Filter filter, int buffer) {
        this.id = id;
        this.endpoint = endpoint;
        this.userId = userId;
        this.credentialId = credentialId;
        this.authorization = authorization;
        this.sessionNonce = sessionNonce;
        this.filter = filter;
        this.sink = Sinks.many().unicast().onBackpressureBuffer(new ArrayBlockingQueue<>(buffer));
    }

    public String id() {
        return id;
    }

    /** The endpoint the stream was opened on: its project's, or its workspace's (then it hears of all its projects). */
    public Endpoint endpoint() {
        return endpoint;
    }

    public String userId() {
        return userId;
    }

    public String credentialId() {
        return credentialId;
    }

    public String authorization() {
        return authorization;
    }

    @Nullable
    public String sessionNonce() {
        return sessionNonce;
    }

    @Nullable
    public Filter filter() {
        return filter;
    }

    public boolean isClosed() {
        return closed.get();
    }

    Instant lastWrite() {
        return lastWrite;
    }

    Instant lastDelivery() {
        return lastDelivery;
    }

    void onClose(Runnable r) {
        this.onClose = r;
    }

    /** Runs {@code r} too when the stream closes (after the registry forgot it). */
    public void alsoOnClose(Runnable r) {
        Runnable before = this.onClose;
        this.onClose = () -> {
            before.run();
            r.run();
        };
    }

    /** The SSE events to write, ending when the stream closes; cancelling it (the client left) closes the stream. */
    public Flux<Event<String>> frames() {
        return sink.asFlux().doOnCancel(() -> close(null)).doOnTerminate(() -> close(null));
    }

    /** Sends one JSON-RPC message as an SSE {@code message} event with a resumable id; false when the stream is gone. */
    public boolean send(String json) {
        boolean sent = write(Event.of(json).id(id + "-" + sequence.incrementAndGet()).name("message"));
        if (sent) {
            lastDelivery = Instant.now();
        }
        return sent;
    }

    /** An event no MCP client dispatches (named {@code heartbeat}), so intermediaries see traffic and a gone client a failed write. */
    boolean heartbeat() {
        return write(Event.of("{}").name("heartbeat"));
    }

    private boolean write(Event<String> event) {
        if (closed.get()) {
            return false;
        }
        Sinks.EmitResult r = sink.tryEmitNext(event);
        if (r == Sinks.EmitResult.FAIL_OVERFLOW) {
            close("the client read too slowly; reconnect and read again");
            return false;
        }
        if (r.isFailure()) {
            close(null);
            return false;
        }
        lastWrite = Instant.now();
        return true;
    }

    /**
     * Ends the stream. With a {@code reason} the last event (named {@code closing}, which MCP clients ignore) carries
     * it as a comment and a {@code retry} hint, so an SSE client reconnects (with Last-Event-ID) after a second.
     */
    public void close(@Nullable String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (reason != null) {
            sink.tryEmitNext(Event.of("{}").name("closing").comment(reason.replace('\n', ' ')).retry(Duration.ofSeconds(1)));
        }
        sink.tryEmitComplete();
        onClose.run();
    }
}
