package com.backlogmcp.audit.observability;

import com.backlogmcp.contracts.Headers;
import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import org.slf4j.MDC;

import java.util.Map;

/**
 * Takes the caller's {@code X-Request-Id} (or makes one), puts it in the logging context for the whole request
 * (propagated across threads) and echoes it on the response. {@link RequestIdClientFilter} passes it on.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestIdServerFilter implements Ordered {

    static final String ATTRIBUTE = "backlogmcp.requestId";

    @RequestFilter
    void assign(HttpRequest<?> request, MutablePropagatedContext context) {
        String id = RequestIds.acceptOrCreate(request.getHeaders().get(Headers.REQUEST_ID));
        request.setAttribute(ATTRIBUTE, id);
        MDC.put(RequestIds.MDC_KEY, id);
        context.add(new MdcPropagationContext(Map.of(RequestIds.MDC_KEY, id)));
    }

    @ResponseFilter
    void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
        request.getAttribute(ATTRIBUTE, String.class)
                .ifPresent(id -> response.getHeaders().set(Headers.REQUEST_ID, id));
        MDC.remove(RequestIds.MDC_KEY);
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.FIRST.order();
    }
}
