package com.backlogmcp.backlog.serviceauth;

import io.micronaut.http.HttpRequest;

import java.util.Optional;

/** The neighbour service that made an internal request, as proven by its service credential. */
public final class ServiceCaller {

    static final String ATTRIBUTE = "backlogmcp.serviceCaller";

    private ServiceCaller() {
    }

    public static Optional<String> of(HttpRequest<?> request) {
        return request.getAttribute(ATTRIBUTE, String.class);
    }
}
