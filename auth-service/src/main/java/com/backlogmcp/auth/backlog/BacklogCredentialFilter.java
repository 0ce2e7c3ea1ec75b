package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Every call to backlog-service carries auth-service's service credential addressed to backlog-service. */
@ClientFilter(serviceId = "backlog")
final class BacklogCredentialFilter {

    private final ServiceCredentials credentials;

    BacklogCredentialFilter(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @RequestFilter
    void authenticate(MutableHttpRequest<?> request) {
        request.header(HttpHeaders.AUTHORIZATION, credentials.bearerFor(ServiceNames.BACKLOG));
    }
}
