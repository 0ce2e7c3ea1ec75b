package com.backlogmcp.audit;

import com.backlogmcp.embedded.TestInfrastructure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.LongPredicate;

/**
 * Plain auto-commit JDBC connections to the test database's {@code audit} schema, independent of any application
 * context (the context's DataSource hands out transaction-bound connections, which a test must not hold on to).
 */
public final class TestDb {

    private TestDb() {
    }

    public static Connection connect() throws SQLException {
        TestInfrastructure infra = TestInfrastructure.get();
        Connection c = DriverManager.getConnection(infra.jdbcUrl(), infra.username(), infra.password());
        c.setSchema("audit");
        return c;
    }

    public static long count(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls until the count satisfies the condition or the timeout passes; answers the last count seen. */
    public static long awaitCount(Duration timeout, LongPredicate done, String sql, Object... args)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long n = count(sql, args);
        while (!done.test(n) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            n = count(sql, args);
        }
        return n;
    }
}
