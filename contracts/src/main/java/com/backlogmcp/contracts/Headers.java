package com.backlogmcp.contracts;

/** HTTP headers whose meaning every service agrees on. */
public final class Headers {
    /** Request id: accepted from the caller when well-formed, generated otherwise, passed on to every downstream call and logged as {@code requestId}. */
    public static final String REQUEST_ID = "X-Request-Id";
    /**
     * When the caller stops waiting for a call, in epoch milliseconds: a call that reaches this point before its
     * transaction commits is rolled back and answered 504, so a call the caller has reported as failed (it timed out)
     * never changes anything afterwards — a frozen or overloaded service that wakes up late runs nothing stale.
     */
    public static final String CALL_DEADLINE = "X-Call-Deadline";

    private Headers() {
    }
}
