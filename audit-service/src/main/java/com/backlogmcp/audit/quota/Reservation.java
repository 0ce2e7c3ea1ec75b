package com.backlogmcp.audit.quota;

import java.time.Instant;

/** One counter's state after a reservation attempt: its limit (-1 unlimited), how much is used, when it resets. */
record Reservation(long limit, long used, Instant resetsAt) {

    long remaining() {
        return limit < 0 ? QuotaLimits.UNLIMITED : Math.max(0, limit - used);
    }
}
