package com.backlogmcp.audit.quota;

import java.util.List;

/** A lease return named blocks this ledger never granted (or removed by retention); rendered as 404. */
public final class UnknownBlocksException extends RuntimeException {

    private final List<String> blockIds;

    UnknownBlocksException(List<String> blockIds) {
        super("unknown quota lease blocks: " + blockIds, null, false, false);
        this.blockIds = List.copyOf(blockIds);
    }

    public List<String> blockIds() {
        return blockIds;
    }
}
