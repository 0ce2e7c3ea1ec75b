package com.backlogmcp.mcp.observability;

import com.backlogmcp.contracts.Headers;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Passes the current request id to every service this one calls. */
@ClientFilter(ClientFilter.MATCH_ALL_PATTERN)
final class RequestIdClientFilter {

    @RequestFilter
    void forward(MutableHttpRequest<?> request) {
        String id = RequestIds.current();
        if (id != null && !request.getHeaders().contains(Headers.REQUEST_ID)) {
            request.header(Headers.REQUEST_ID, id);
        }
    }
}
