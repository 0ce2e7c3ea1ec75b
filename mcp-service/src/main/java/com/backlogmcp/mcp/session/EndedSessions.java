package com.backlogmcp.mcp.session;

import io.micronaut.context.annotation.Context;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Sessions ended before they expired (DELETE), known to every replica through the {@link SessionLog}: the replica
 * taking the DELETE refuses the session at once, the others as soon as the fact reaches them. An end is forgotten
 * once the session would have expired anyway, so the set holds at most the sessions ended within one lifetime.
 */
// Eager, so it listens to the session log before the log replays the ends of still-valid sessions.
@Context
public class EndedSessions {

    private static final String FACT = "end|";

    private final Map<String, Instant> ended = new ConcurrentHashMap<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    private final SessionLog log;

    EndedSessions(SessionLog log) {
        this.log = log;
        log.onRecord((nonce, fact) -> {
            if (fact.startsWith(FACT)) {
                try {
                    remember(nonce, Instant.parse(fact.substring(FACT.length())));
                } catch (RuntimeException e) {
                    // an unreadable fact is ignored
                }
            }
        });
    }

    public boolean isEnded(SessionIds.Session session) {
        return ended.containsKey(session.nonce());
    }

    public void end(SessionIds.Session session) {
        log.publish(session.nonce(), FACT + session.expiresAt());
    }

    /** Called with a session's nonce when it ends, here or on another replica (its open streams close). */
    public void onEnd(Consumer<String> listener) {
        listeners.add(listener);
    }

    private void remember(String nonce, Instant expiresAt) {
        Instant now = Instant.now();
        if (expiresAt.isAfter(now) && ended.put(nonce, expiresAt) == null) {
            listeners.forEach(l -> l.accept(nonce));
        }
        ended.values().removeIf(e -> e.isBefore(now));
    }
}
