package com.backlogmcp.audit.clock;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/**
 * The one clock every time-dependent decision reads (UTC day of the quota, minute window of the rate
 * limit, retention cut-off). A bean, so tests can replace it and walk across midnight.
 */
@Factory
final class ClockFactory {

    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
