package com.backlogmcp.backlog.tools;

import com.backlogmcp.contracts.Headers;
import io.micronaut.core.annotation.Nullable;

/**
 * When the caller stops waiting for a tool call ({@link Headers#CALL_DEADLINE}, epoch milliseconds). A call past
 * it runs nothing: checked before the tool starts and again just before its transaction commits, so a call that
 * waited in a frozen or overloaded process, and that the edge has meanwhile reported to the agent as failed, is
 * rolled back instead of changing the backlog behind that error. What remains is the commit itself: a process that
 * dies between commit and answer leaves a call that ran although its answer was lost.
 */
public record CallDeadline(long epochMillis) {

    /** No deadline (a caller that does not send one waits as long as it takes). */
    public static final CallDeadline NONE = new CallDeadline(Long.MAX_VALUE);

    /** Thrown inside the call's transaction, which rolls it back. */
    public static final class Passed extends RuntimeException {
        Passed() {
            super("the caller's deadline passed before the call could commit; nothing was changed", null, false, false);
        }
    }

    /** The header's value; {@link #NONE} when absent. */
    public static CallDeadline parse(@Nullable String header) {
        if (header == null || header.isBlank()) {
            return NONE;
        }
        try {
            return new CallDeadline(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Headers.CALL_DEADLINE + " must be epoch milliseconds");
        }
    }

    void requireNotPassed() {
        if (System.currentTimeMillis() > epochMillis) {
            throw new Passed();
        }
    }
}
