package com.backlogmcp.audit;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Instant;

/** Replaces the system clock in test contexts that set {@code test.mutable-clock=true}. */
@Factory
@Requires(property = MutableClockFactory.PROPERTY, value = "true")
class MutableClockFactory {

    static final String PROPERTY = "test.mutable-clock";

    @Singleton
    @Replaces(Clock.class)
    MutableClock mutableClock() {
        return new MutableClock(Instant.parse("2026-11-22T12:00:30Z"));
    }
}
