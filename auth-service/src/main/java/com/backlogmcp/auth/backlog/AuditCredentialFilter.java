package com.backlogmcp.auth.backlog;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

/** Every call to audit-service carries auth-service's service credential addressed to audit-service. */
@ClientFilter(serviceId = "audit")
final class AuditCredentialFilter {

    private final ServiceCredentials credentials;

    AuditCredentialFilter(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @RequestFilter
    void authenticate(MutableHttpRequest<?> request) {
        request.header(HttpHeaders.AUTHORIZATION, credentials.bearerFor(ServiceNames.AUDIT));
    }
}
