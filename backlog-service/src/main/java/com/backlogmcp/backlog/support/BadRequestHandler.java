package com.backlogmcp.backlog.support;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.Map;

@Produces
@Singleton
@Requires(classes = {BadRequest.class, ExceptionHandler.class})
final class BadRequestHandler implements ExceptionHandler<BadRequest, HttpResponse<?>> {

    @Override
    public HttpResponse<?> handle(HttpRequest request, BadRequest exception) {
        return HttpResponse.badRequest(Map.of("error", exception.code(), "message", exception.getMessage()));
    }
}
