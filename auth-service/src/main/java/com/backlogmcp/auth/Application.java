package com.backlogmcp.auth;

import io.micronaut.runtime.Micronaut;

/** auth-service: OAuth 2.1 authorization server, login, consent, API keys and connected apps. */
public final class Application {
    private Application() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).mainClass(Application.class).banner(false).start();
    }
}
