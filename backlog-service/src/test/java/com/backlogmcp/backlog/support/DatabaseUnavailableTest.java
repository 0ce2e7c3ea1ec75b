package com.backlogmcp.backlog.support;

import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A database that cannot be reached is "unavailable, retry shortly" (503), never a 500 or the caller's mistake. */
class DatabaseUnavailableTest {

    private final HttpRequest<?> request = HttpRequest.POST("/internal/tools/get_item", "{}");

    private static ConnectionQueries.DataAccessFailure failure(String sqlState) {
        return new ConnectionQueries.DataAccessFailure("SELECT 1", new SQLException("boom", sqlState));
    }

    @Test
    void statementWhenConnectionLostOrServerShuttingDownThen503WithRetryAfter() {
        for (String state : new String[]{"08006", "08001", "57P01", "57P03", "53300"}) {
            HttpResponse<?> response = new DataAccessFailureHandler().handle(request, failure(state));
            assertEquals(503, response.code(), state);
            assertEquals(DatabaseUnavailableHandler.RETRY_AFTER, response.getHeaders().get("Retry-After"), state);
        }
    }

    @Test
    void statementWhenValueRejectedThen400AndOtherFailuresStay500() {
        assertEquals(400, new DataAccessFailureHandler().handle(request, failure("22001")).code());
        assertEquals(500, new DataAccessFailureHandler().handle(request, failure("42P01")).code());
    }

    @Test
    void poolWhenNoConnectionThen503WithRetryAfter() {
        HttpResponse<?> response = new DatabaseUnavailableHandler().handle(request,
                new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection"));
        assertEquals(503, response.code());
        assertEquals(DatabaseUnavailableHandler.RETRY_AFTER, response.getHeaders().get("Retry-After"));
    }
}
