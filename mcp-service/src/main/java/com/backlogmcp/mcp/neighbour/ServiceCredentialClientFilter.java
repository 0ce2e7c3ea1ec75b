package com.backlogmcp.mcp.neighbour;

import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;

import java.util.Map;

/** Adds {@code Authorization: Bearer <service credential>} ({@link ServiceCredentials}) to every call to a neighbour. */
@ClientFilter(serviceId = {NeighbourIds.BACKLOG, NeighbourIds.AUDIT, NeighbourIds.AUTH})
final class ServiceCredentialClientFilter {

    private static final Map<String, String> AUDIENCES = Map.of(
            NeighbourIds.BACKLOG, ServiceNames.BACKLOG,
            NeighbourIds.AUDIT, ServiceNames.AUDIT,
            NeighbourIds.AUTH, ServiceNames.AUTH);

    private final ServiceCredentials credentials;

    ServiceCredentialClientFilter(ServiceCredentials credentials) {
        this.credentials = credentials;
    }

    @RequestFilter
    void authorize(MutableHttpRequest<?> request) {
        String audience = BasicHttpAttributes.getServiceId(request).map(AUDIENCES::get).orElse(null);
        if (audience != null) {
            request.bearerAuth(credentials.forAudience(audience));
        }
    }
}
