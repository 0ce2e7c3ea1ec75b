package com.backlogmcp.auth.support;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;

import java.util.HashMap;
import java.util.Map;

/** Renders a Thymeleaf page with a status; security headers are added for every page by {@code SecurityHeadersFilter}. */
public final class Pages {

    private Pages() {
    }

    public static MutableHttpResponse<ModelAndView<Map<String, Object>>> page(HttpStatus status, String view, Map<String, Object> model) {
        return HttpResponse.<ModelAndView<Map<String, Object>>>status(status).body(new ModelAndView<>(view, new HashMap<>(model)));
    }

    public static MutableHttpResponse<ModelAndView<Map<String, Object>>> error(HttpStatus status, String title, String message) {
        return page(status, "error", Map.of("title", title, "message", message));
    }
}
