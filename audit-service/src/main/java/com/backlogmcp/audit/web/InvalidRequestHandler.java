package com.backlogmcp.audit.web;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** Turns {@link InvalidRequestException} into a 400 JSON answer; the message never echoes raw input. */
@Singleton
@Requires(classes = InvalidRequestException.class)
final class InvalidRequestHandler implements ExceptionHandler<InvalidRequestException, HttpResponse<ApiError>> {

    @Override
    public HttpResponse<ApiError> handle(HttpRequest request, InvalidRequestException exception) {
        return HttpResponse.badRequest(new ApiError("invalid_request", exception.getMessage()));
    }
}
