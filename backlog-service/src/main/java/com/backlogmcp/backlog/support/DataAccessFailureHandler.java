package com.backlogmcp.backlog.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A statement that failed on the values a caller sent (resources, prompts, completions — tool calls answer the same
 * inside their result) is the caller's mistake: 400 VALIDATION_ERROR in the shape of {@link ErrorResponses}, so the
 * edge never reports it as "upstream unavailable, retry later". A database that cannot be reached or is shutting down
 * is 503 with {@code Retry-After}: the call may succeed in a moment, and load balancers and the edge treat it as
 * "unavailable", not as a fault of ours. Any other database failure stays a 500.
 */
@Produces
@Singleton
@Requires(classes = {ConnectionQueries.DataAccessFailure.class, ExceptionHandler.class})
final class DataAccessFailureHandler implements ExceptionHandler<ConnectionQueries.DataAccessFailure, HttpResponse<?>> {

    private static final Logger LOG = LoggerFactory.getLogger(DataAccessFailureHandler.class);

    @Override
    public HttpResponse<?> handle(HttpRequest request, ConnectionQueries.DataAccessFailure failure) {
        if (failure.databaseUnavailable()) {
            LOG.warn("database unavailable on {}: {}", request.getPath(), failure.getMessage());
            return DatabaseUnavailableHandler.unavailable();
        }
        if (!failure.rejectedInput()) {
            LOG.error("database failure on {}", request.getPath(), failure);
            return HttpResponse.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("error", "internal", "message", "database failure"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", "validation_error");
        body.put("error_type", "VALIDATION_ERROR");
        body.put("message", "a value cannot be stored or compared (" + failure.sqlState() + "); check lengths and number ranges");
        body.put("hint", null);
        return HttpResponse.badRequest(body);
    }
}
