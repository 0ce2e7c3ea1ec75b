package com.backlogmcp.auth.support;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;

import java.net.URI;

/** Bridges Micronaut requests/responses to Nimbus, so protocol messages are parsed and written by Nimbus. */
public final class NimbusRequests {

    private NimbusRequests() {
    }

    public static HTTPRequest toNimbus(HttpRequest<?> request, String body, String issuerBase) {
        HTTPRequest n = new HTTPRequest(HTTPRequest.Method.valueOf(request.getMethodName()), URI.create(issuerBase + request.getPath()));
        request.getHeaders().forEach((name, values) -> {
            if (!values.isEmpty()) {
                n.setHeader(name, values.toArray(String[]::new));
            }
        });
        if (body != null) {
            n.setBody(body);
        }
        return n;
    }

    public static MutableHttpResponse<String> fromNimbus(HTTPResponse response) {
        MutableHttpResponse<String> r = HttpResponse.<String>status(io.micronaut.http.HttpStatus.valueOf(response.getStatusCode()));
        response.getHeaderMap().forEach((name, values) -> {
            if (!"Content-Type".equalsIgnoreCase(name)) {
                values.forEach(v -> r.header(name, v));
            }
        });
        if (response.getBody() != null) {
            r.body(response.getBody());
            r.contentType(response.getEntityContentType() != null ? MediaType.of(response.getEntityContentType().toString()) : MediaType.APPLICATION_JSON_TYPE);
        }
        return r;
    }
}
