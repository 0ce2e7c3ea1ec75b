package com.backlogmcp.auth.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Every HTML page (login, consent, account pages) refuses to be framed (clickjacking on the Approve button) and is not
 * cached; pages use only inline styles and same-origin forms, so the CSP can be tight.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class SecurityHeadersFilter {

    @ResponseFilter
    void headers(HttpRequest<?> request, MutableHttpResponse<?> response) {
        boolean html = response.getContentType().map(t -> t.getName().startsWith(MediaType.TEXT_HTML)).orElse(false)
                || response.getBody().map(b -> b instanceof io.micronaut.views.ModelAndView).orElse(false);
        if (html) {
            response.header("X-Frame-Options", "DENY");
            response.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
            response.header("Cache-Control", "no-store");
            // same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on our own form posts,
            // which origin checks must refuse; nothing leaks to other origins either way.
            response.header("Referrer-Policy", "same-origin");
            response.header("X-Content-Type-Options", "nosniff");
        }
    }
}
