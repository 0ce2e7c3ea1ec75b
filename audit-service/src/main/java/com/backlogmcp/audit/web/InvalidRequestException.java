package com.backlogmcp.audit.web;

/** A request this service refuses to act on; rendered as 400 {@code {"error":"invalid_request","message":…}}. */
public final class InvalidRequestException extends RuntimeException {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
