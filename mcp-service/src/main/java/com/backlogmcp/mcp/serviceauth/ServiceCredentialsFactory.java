package com.backlogmcp.mcp.serviceauth;

import com.backlogmcp.contracts.servicetoken.ServiceTokens;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;

/**
 * Service credentials are verified with the deployment-wide {@code SERVICE_TOKEN_SECRET} and, while that is being
 * rotated, {@code SERVICE_TOKEN_SECRET_PREVIOUS}.
 */
@Factory
final class ServiceCredentialsFactory {

    // Built at start-up, so a missing or too-short secret stops the service with a message naming the variable.
    @Context
    ServiceTokens serviceTokens(@Value("${backlogmcp.service-token-secret}") String secret,
                                @Value("${backlogmcp.service-token-secret-previous:}") String previous) {
        return ServiceTokens.fromEnvironment(secret, previous);
    }
}
