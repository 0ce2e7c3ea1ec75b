package com.backlogmcp.audit.usage;

import io.micronaut.serde.annotation.Serdeable;

import java.time.LocalDate;

/** Calls of one tool in one project on one UTC day, split by outcome ({@code ok}, {@code tool_error}, {@code denied}). */
@Serdeable
public record DailyToolUsage(LocalDate day, String tool, long calls, long ok, long toolErrors, long denied) {
}
