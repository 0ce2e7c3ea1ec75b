package com.backlogmcp.mcp;

import io.micronaut.runtime.Micronaut;

/** mcp-service: the public MCP edge (Streamable HTTP, the nine-step authorization pipeline). */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
