package com.backlogmcp.backlog.support;

import com.backlogmcp.contracts.vocabulary.ErrorType;

/**
 * A tool refused or could not do what was asked; becomes {@code isError: true} with
 * {@code {error_type, message, hint}} (and {@code field} for validation errors). Thrown inside the tool's
 * transaction, it also rolls back everything the tool wrote so far.
 */
public final class ToolFailure extends RuntimeException {

    private final ErrorType type;
    private final String hint;
    private final String field;

    private ToolFailure(ErrorType type, String message, String hint, String field) {
        super(message, null, false, false);
        this.type = type;
        this.hint = hint != null ? hint : type.hint();
        this.field = field;
    }

    public static ToolFailure notFound(String what, String id) {
        return new ToolFailure(ErrorType.NOT_FOUND, "No " + what + " with id " + id + " in this project.", null, null);
    }

    public static ToolFailure invalid(String field, String message) {
        return new ToolFailure(ErrorType.VALIDATION_ERROR, field + ": " + message, null, field);
    }

    public static ToolFailure conflict(String message, String hint) {
        return new ToolFailure(ErrorType.CONFLICT, message, hint, null);
    }

    public static ToolFailure of(ErrorType type, String message) {
        return new ToolFailure(type, message, null, null);
    }

    public static ToolFailure of(ErrorType type, String message, String hint) {
        return new ToolFailure(type, message, hint, null);
    }

    public ErrorType type() {
        return type;
    }

    public String hint() {
        return hint;
    }

    public String field() {
        return field;
    }
}
