package com.backlogmcp.backlog.admin;

import com.backlogmcp.backlog.serviceauth.ServiceCaller;
import com.backlogmcp.contracts.servicetoken.ServiceNames;
import io.micronaut.http.HttpRequest;

import java.util.Optional;

/**
 * The platform admin API is for auth-service's admin page acting for a platform admin: the service credential must
 * come from auth-service, and auth-service must name the acting user and vouch that they are a platform admin.
 * Any other caller (the edge included) is refused with 403.
 */
final class PlatformAdminGuard {

    static final String ACTING_USER = "X-Acting-User-Id";
    static final String ACTING_PLATFORM_ADMIN = "X-Acting-Platform-Admin";

    private PlatformAdminGuard() {
    }

    /** The acting platform admin's user id, or empty when the request must be refused. */
    static Optional<String> actingAdmin(HttpRequest<?> request) {
        if (!ServiceCaller.of(request).filter(ServiceNames.AUTH::equals).isPresent()) {
            return Optional.empty();
        }
        String user = request.getHeaders().get(ACTING_USER);
        if (user == null || user.isBlank()) {
            return Optional.empty();
        }
        if (!"true".equals(request.getHeaders().get(ACTING_PLATFORM_ADMIN))) {
            return Optional.empty();
        }
        return Optional.of(user);
    }
}
