package com.backlogmcp.audit.web;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/** Parses query parameters strictly; a bad one becomes a 400 naming the parameter, never echoing its value. */
public final class QueryParams {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:@/+=-]{1,200}");

    private QueryParams() {
    }

    /** An identifier, or null when absent/empty. */
    @Nullable
    public static String id(String name, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!ID.matcher(value).matches()) {
            throw new InvalidRequestException(name + " is not a valid identifier");
        }
        return value;
    }

    @Nullable
    public static Instant instant(String name, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
        }
    }

    @Nullable
    public static LocalDate date(String name, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(name + " must be a date such as 2026-01-31");
        }
    }

    public static int integer(String name, @Nullable String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < min || n > max) {
                throw new InvalidRequestException(name + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be a whole number");
        }
    }
}
