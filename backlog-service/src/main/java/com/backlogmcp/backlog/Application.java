package com.backlogmcp.backlog;

import io.micronaut.runtime.Micronaut;

/** backlog-service: the backlog domain, the MCP tool catalog and tool execution (internal only). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
