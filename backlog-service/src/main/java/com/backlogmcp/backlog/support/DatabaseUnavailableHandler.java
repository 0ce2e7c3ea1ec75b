package com.backlogmcp.backlog.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * No connection could be had from the pool (PostgreSQL down, restarting, or every connection busy past the pool's
 * timeout): 503 with {@code Retry-After}, before any statement ran, so nothing was written and retrying is safe.
 */
@Produces
@Singleton
@Requires(classes = {CannotGetJdbcConnectionException.class, ExceptionHandler.class})
final class DatabaseUnavailableHandler implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseUnavailableHandler.class);
    /** Seconds a caller should wait: about what a PostgreSQL restart or a fail-over takes. */
    static final String RETRY_AFTER = "2";

    @Override
    public HttpResponse<?> handle(HttpRequest request, CannotGetJdbcConnectionException e) {
        LOG.warn("database unavailable on {}: {}", request.getPath(), e.getMessage());
        return unavailable();
    }

    static HttpResponse<?> unavailable() {
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", RETRY_AFTER)
                .body(Map.of("error", "unavailable", "message", "the database cannot be reached; retry shortly"));
    }
}
