package com.backlogmcp.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A PostgreSQL 17 server run from the zonky binaries (no Docker, works as root).
 * With a data directory and {@code keepData} it survives restarts (the local stack); without, it is a
 * throw-away instance in {@code java.io.tmpdir} (tests).
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param port     0 for any free port
     * @param dataDir  null for a fresh temporary directory
     * @param keepData keep rows across restarts of the same data directory
     */
    public static EmbeddedPostgresServer start(int port, Path dataDir, boolean keepData) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("max_connections", "300")
                .setServerConfig("fsync", keepData ? "on" : "off")
                .setServerConfig("synchronous_commit", keepData ? "on" : "off");
        if (port > 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir).setCleanDataDirectory(!keepData);
        }
        return new EmbeddedPostgresServer(builder.start());
    }

    public int port() {
        return postgres.getPort();
    }

    /** JDBC URL of {@code database} on this server, creating the database when it does not exist yet. */
    public String jdbcUrl(String database) {
        ensureDatabase(database);
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    private void ensureDatabase(String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("unsafe database name: " + database);
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
