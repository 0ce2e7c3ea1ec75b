package com.backlogmcp.mcp.credential;

import com.backlogmcp.contracts.internal.RevocationPage;
import com.backlogmcp.mcp.config.EdgeConfiguration;
import com.backlogmcp.mcp.neighbour.RevocationFeedClient;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Asks auth-service for the revocations since the last answer, every {@code MCP_REVOCATION_POLL_INTERVAL}
 * (250 ms), so a revoked grant or API key is refused within a second at every replica whether or not Kafka
 * delivers {@code auth.grants.v1}. It polls always rather than only when the feed seems to lag: deciding that Kafka
 * lags needs a clock of its own and would open a window between the lag and its detection, while a poll that finds
 * nothing is one indexed read on auth-service (figures in docs/reliability.md). A quarter second leaves most of
 * the promised second for the poll's own round trip and for a loaded replica. The first poll asks from the
 * denylist-retention window ago, so a replica that starts while Kafka is away still knows the recent revocations.
 * While auth-service does not answer, the Kafka feed alone applies ({@code mcp_revocation_feed_age_seconds} grows).
 */
@Context
final class RevocationPoller {

    private static final Logger LOG = LoggerFactory.getLogger(RevocationPoller.class);
    /** Pages read back to back in one round before the next round waits its interval. */
    private static final int MAX_PAGES_PER_ROUND = 20;

    private final RevocationFeedClient feed;
    private final RevocationIntake intake;
    private final Duration retention;
    private final Clock clock = Clock.systemUTC();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("revocation-poller").unstarted(r));
    private Long cursor;
    private boolean failing;
    private volatile Instant lastAnswer;

    RevocationPoller(RevocationFeedClient feed, RevocationIntake intake, EdgeConfiguration config,
                     @Value("${backlogmcp.revocation-feed.interval}") Duration interval, MeterRegistry meters) {
        this.feed = feed;
        this.intake = intake;
        this.retention = config.denylistRetention();
        this.lastAnswer = clock.instant();
        Gauge.builder("mcp.revocation.feed.age", this, RevocationPoller::secondsSinceLastAnswer)
                .description("seconds since auth-service last answered the revocation poll")
                .baseUnit("seconds")
                .register(meters);
        timer.scheduleWithFixedDelay(this::poll, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private double secondsSinceLastAnswer() {
        return Duration.between(lastAnswer, clock.instant()).toMillis() / 1000.0;
    }

    /** One round: pages until the feed has nothing more at once. Runs on the timer's single thread only. */
    private void poll() {
        try {
            for (int page = 0; page < MAX_PAGES_PER_ROUND; page++) {
                RevocationPage answer = cursor == null
                        ? feed.since(clock.instant().minus(retention))
                        : feed.after(cursor);
                for (RevocationPage.Revocation r : answer.revocations()) {
                    if (r.credentialId() != null && intake.revoked(r.credentialId(), r.at())) {
                        LOG.info("credential {} revoked (auth-service revocation feed)", r.credentialId());
                    }
                }
                cursor = answer.next();
                lastAnswer = clock.instant();
                if (!answer.more()) {
                    break;
                }
            }
            if (failing) {
                LOG.info("auth-service revocation feed answers again");
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("auth-service revocation feed unavailable ({}); revocations arrive through Kafka alone until it answers",
                        e.getMessage());
                failing = true;
            }
        }
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }
}
