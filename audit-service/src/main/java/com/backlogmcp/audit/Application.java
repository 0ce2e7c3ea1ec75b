package com.backlogmcp.audit;

import io.micronaut.runtime.Micronaut;

/** audit-service: audit log, daily quotas and per-minute rate limits, usage. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
