package com.backlogmcp.audit.quota;

/**
 * How many slots one block gets: what the holder wants, but never more than an eighth of what is still available
 * (and at least one while anything is). With k holders refilling at once, each takes at most 1/8 of the remainder,
 * so the remainder shrinks geometrically, near the limit blocks are single slots, and a holder that dies strands at
 * most an eighth of what was left until its block is reclaimed.
 */
final class BlockSize {

    static final int SHARE_DIVISOR = 8;

    private BlockSize() {
    }

    static int of(int wanted, long limit, long available) {
        if (wanted <= 0) {
            return 0;
        }
        if (limit < 0) {
            return wanted;
        }
        if (available <= 0) {
            return 0;
        }
        return (int) Math.min(wanted, Math.max(1, available / SHARE_DIVISOR));
    }
}
