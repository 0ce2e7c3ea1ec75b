package com.backlogmcp.audit.quota;

import com.backlogmcp.audit.web.InvalidRequestException;
import com.backlogmcp.contracts.internal.QuotaLease;
import com.backlogmcp.contracts.internal.QuotaLeaseReturn.ReturnedBlock;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Grants and takes back quota lease blocks: the holder (an edge replica) spends a block's slots from memory, so the
 * ledger is written once per block, never per call.
 *
 * <p>Exactness: a grant locks the counter row, reads {@code used + outstanding}, adds the block to {@code outstanding}
 * only within the limit and records the block, all in one transaction. Slots move from {@code outstanding} to
 * {@code used} (spent) or back to the pool (unused) only when a block is settled, again under the row lock. So at
 * every moment {@code used + outstanding <= limit}, whatever the number of audit-service replicas; and since a holder
 * spends only what it was granted, before {@code expiresAt}, the calls executed never exceed the limit.
 */
@Singleton
public class QuotaLeases {

    private static final String INSERT_BLOCK = """
            INSERT INTO quota_lease (block_id, kind, subject_id, window_start, holder, granted, granted_at, expires_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)""";
    private static final String LOCK_BLOCKS = """
            SELECT block_id, kind, subject_id, window_start, granted, settled_at FROM quota_lease
            WHERE block_id = ANY (?) ORDER BY block_id FOR UPDATE""";

    private final TransactionOperations<Connection> transactions;
    private final LeaseSettings settings;
    private final Clock clock;

    QuotaLeases(TransactionOperations<Connection> transactions, LeaseSettings settings, Clock clock) {
        this.transactions = transactions;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * Grants up to {@code dailyWanted} slots of the project's day and up to {@code rateWanted} slots of the credential's
     * minute, each decided on its own (a block of 0 is a refusal). One transaction, rate row locked before the daily
     * row as in {@link QuotaLedger}, so the two never wait on each other in a cycle.
     */
    public QuotaLease lease(LeaseAsk ask) {
        Instant now = clock.instant();
        Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
        Instant day = LocalDate.ofInstant(now, ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant minuteEnd = minute.plus(1, ChronoUnit.MINUTES);
        Instant dayEnd = day.plus(1, ChronoUnit.DAYS);
        Instant dailyExpiry = min(now.plus(settings.dailyTtl()), dayEnd);

        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            QuotaLease.Block rate = ask.rateWanted() == 0 ? null
                    : take(c, CounterTable.RATE, ask.credentialId(), minute, ask.rateLimit(), ask.rateWanted(),
                    ask.holder(), now, minuteEnd, minuteEnd);
            QuotaLease.Block daily = ask.dailyWanted() == 0 ? null
                    : take(c, CounterTable.DAILY, ask.projectId(), day, ask.dailyLimit(), ask.dailyWanted(),
                    ask.holder(), now, dayEnd, dailyExpiry);
            return new QuotaLease(daily, rate);
        });
    }

    private static QuotaLease.Block take(Connection c, CounterTable counter, String subject, Instant window, long limit,
                                         int wanted, String holder, Instant now, Instant resetsAt, Instant expiresAt)
            throws SQLException {
        CounterTable.Figures figures = counter.lock(c, subject, window);
        long available = figures.available(limit);
        int granted = BlockSize.of(wanted, limit, available);
        if (granted == 0) {
            // nothing written; a refusal is spendable never, so it expires at once
            return new QuotaLease.Block(null, 0, limit, available, resetsAt, now);
        }
        counter.adjust(c, subject, window, 0, granted);
        String blockId = "qb_" + UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(INSERT_BLOCK)) {
            ps.setString(1, blockId);
            ps.setString(2, counter.kind);
            ps.setString(3, subject);
            ps.setTimestamp(4, Timestamp.from(window));
            ps.setString(5, holder);
            ps.setInt(6, granted);
            ps.setTimestamp(7, Timestamp.from(now));
            ps.setTimestamp(8, Timestamp.from(expiresAt));
            ps.executeUpdate();
        }
        long remaining = limit < 0 ? QuotaLimits.UNLIMITED : available - granted;
        return new QuotaLease.Block(blockId, granted, limit, remaining, resetsAt, expiresAt);
    }

    /**
     * Settles the given blocks as returned: {@code granted - unused} counted as used, the rest back to the pool.
     * A block already settled (returned before, or reclaimed after expiry) is left as it is, so a return can be
     * retried safely. All or nothing: an unknown block id or an {@code unused} above the block's grant refuses the
     * whole return and changes nothing.
     *
     * @throws UnknownBlocksException when any id was never granted (or is past retention)
     */
    public ReturnOutcome giveBack(List<ReturnedBlock> blocks) {
        Set<String> ids = new LinkedHashSet<>();
        blocks.forEach(b -> ids.add(b.blockId()));
        Instant now = clock.instant();
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            Map<String, OpenBlock> found = lockBlocks(c, ids);
            List<String> unknown = ids.stream().filter(id -> !found.containsKey(id)).toList();
            if (!unknown.isEmpty()) {
                throw new UnknownBlocksException(unknown);
            }
            List<Settle> settles = new ArrayList<>();
            Set<String> seen = new LinkedHashSet<>();
            int alreadySettled = 0;
            for (ReturnedBlock r : blocks) {
                OpenBlock b = found.get(r.blockId());
                if (r.unused() > b.granted()) {
                    throw new InvalidRequestException("unused must not exceed the block's granted slots ("
                            + b.granted() + ") for block " + b.blockId());
                }
                if (!seen.add(b.blockId())) {
                    continue;
                }
                if (b.settled()) {
                    alreadySettled++;
                } else {
                    settles.add(new Settle(b, b.granted() - r.unused()));
                }
            }
            LeaseSettlement.settle(c, settles, "returned", now);
            return new ReturnOutcome(settles.size(), alreadySettled);
        });
    }

    private static Map<String, OpenBlock> lockBlocks(Connection c, Set<String> ids) throws SQLException {
        Map<String, OpenBlock> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(LOCK_BLOCKS)) {
            Array array = c.createArrayOf("text", ids.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    OpenBlock b = OpenBlock.from(rs);
                    found.put(b.blockId(), b);
                }
            }
        }
        return found;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** What a lease request asks for, limits already resolved from the plan. */
    public record LeaseAsk(String projectId, long dailyLimit, int dailyWanted,
                           String credentialId, long rateLimit, int rateWanted, String holder) {
    }

    /** How many blocks a return settled, and how many it found settled already. */
    public record ReturnOutcome(int settled, int alreadySettled) {
    }

    /** A block as read under its row lock. */
    record OpenBlock(String blockId, CounterTable counter, String subject, Instant windowStart, int granted,
                     boolean settled) {

        static OpenBlock from(ResultSet rs) throws SQLException {
            return new OpenBlock(rs.getString("block_id"), CounterTable.ofKind(rs.getString("kind")),
                    rs.getString("subject_id"), rs.getTimestamp("window_start").toInstant(), rs.getInt("granted"),
                    rs.getTimestamp("settled_at") != null);
        }

        /** Counter rows are locked in one global order (rate before daily, then by key) to rule out deadlocks. */
        static final Comparator<OpenBlock> COUNTER_ORDER = Comparator
                .comparing((OpenBlock b) -> b.counter() == CounterTable.RATE ? 0 : 1)
                .thenComparing(OpenBlock::subject)
                .thenComparing(OpenBlock::windowStart);
    }

    /** A block to settle with what it spent. */
    record Settle(OpenBlock block, int spent) {
    }
}
