package com.backlogmcp.backlog.serviceauth;

import com.backlogmcp.backlog.config.BacklogSettings;
import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * Service credentials are verified with the deployment-wide {@code SERVICE_TOKEN_SECRET} and, while that is being
 * rotated, {@code SERVICE_TOKEN_SECRET_PREVIOUS}.
 */
@Factory
final class ServiceCredentialsFactory {

    @Singleton
    ServiceTokens serviceTokens(BacklogSettings settings) {
        return ServiceTokens.fromEnvironment(settings.serviceTokenSecret(), settings.serviceTokenSecretPrevious());
    }
}
