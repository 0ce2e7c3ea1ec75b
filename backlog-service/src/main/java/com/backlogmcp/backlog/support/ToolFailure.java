package com.backlogmcp.backlog.support;

import com.backlogmcp.contracts.vocabulary.ErrorType;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A tool refused or could not do what was asked; becomes {@code isError: true} with
 * {@code {error_type, message, hint}} (and {@code field} for validation errors, {@code next_action} where a concrete
 * next call exists). Thrown inside the tool's
 * transaction, it also rolls back everything the tool wrote so far.
 */
public final class ToolFailure extends RuntimeException {

    private final ErrorType type;
    private final String hint;
    private final String field;
    private final Map<String, Object> nextAction;

    private ToolFailure(ErrorType type, String message, String hint, String field) {
        this(type, message, hint, field, null);
    }

    private ToolFailure(ErrorType type, String message, String hint, String field, Map<String, Object> nextAction) {
        super(message, null, false, false);
        this.type = type;
        this.hint = hint != null ? hint : type.hint();
        this.field = field;
        this.nextAction = nextAction;
    }

    /**
     * The same failure naming the concrete call that helps next ({@code next_action: {tool, arguments}}), beside the
     * prose hint, so an agent can act on it without parsing the hint.
     */
    public ToolFailure next(String tool, Map<String, Object> arguments, String hint) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("tool", tool);
        action.put("arguments", arguments);
        return new ToolFailure(type, getMessage(), hint, field, action);
    }

    /** The same failure located inside a list argument, e.g. {@code items[3]}: message and field are prefixed. */
    public ToolFailure at(String prefix) {
        return new ToolFailure(type, prefix + ": " + getMessage(), hint, field == null ? prefix : prefix + "." + field, nextAction);
    }

    public Map<String, Object> nextAction() {
        return nextAction;
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

    /** An invalid argument with its own hint (how to find a valid value). */
    public static ToolFailure invalid(String field, String message, String hint) {
        return new ToolFailure(ErrorType.VALIDATION_ERROR, field + ": " + message, hint, field);
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
