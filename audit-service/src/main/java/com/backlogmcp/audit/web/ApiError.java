package com.backlogmcp.audit.web;

import io.micronaut.serde.annotation.Serdeable;

/** The JSON body of every error this service writes itself. */
@Serdeable
public record ApiError(String error, String message) {
}
