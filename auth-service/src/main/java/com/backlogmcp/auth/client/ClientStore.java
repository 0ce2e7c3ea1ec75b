package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.JdbcStatements;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Registered clients (dynamic and pre-registered). Redirect URIs are stored newline-separated (a URI has no newline). */
@Singleton
public class ClientStore {

    private final JdbcStatements jdbc;
    private final Clock clock;

    ClientStore(JdbcStatements jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A dynamically registered client as its configuration endpoint (RFC 7592) reads it. */
    public record Registration(RegisteredClient client, String metadataJson, @Nullable String registrationTokenHash, Instant createdAt) {
    }

    public void save(RegisteredClient c, String metadataJson) {
        save(c, metadataJson, null);
    }

    public void save(RegisteredClient c, String metadataJson, @Nullable String registrationTokenHash) {
        jdbc.insert("clients", new JdbcStatements.Columns()
                .set("client_id", c.clientId())
                .set("secret_hash", c.secretHash())
                .set("token_endpoint_auth_method", c.authMethod())
                .set("redirect_uris", String.join("\n", c.redirectUris()))
                .set("client_name", c.clientName())
                .set("metadata", metadataJson)
                .set("source", c.source())
                .set("created_at", clock.instant())
                .set("registration_token_hash", registrationTokenHash));
    }

    public Optional<Registration> registration(String clientId) {
        return jdbc.prepareStatement("select client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, source, metadata, registration_token_hash, created_at from clients where client_id = ?", ps -> {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Registration>empty();
                }
                return Optional.of(new Registration(client(rs), rs.getString("metadata"),
                        rs.getString("registration_token_hash"), rs.getTimestamp("created_at").toInstant()));
            }
        });
    }

    /** Replaces what a client may change about itself (RFC 7592 §2.2); answers false when it no longer exists. */
    public boolean update(String clientId, List<String> redirectUris, @Nullable String clientName, String metadataJson) {
        return jdbc.prepareStatement("update clients set redirect_uris = ?, client_name = ?, metadata = ?, updated_at = ? where client_id = ?", ps -> {
            ps.setString(1, String.join("\n", redirectUris));
            ps.setString(2, clientName);
            ps.setString(3, metadataJson);
            ps.setTimestamp(4, Timestamp.from(clock.instant()));
            ps.setString(5, clientId);
            return ps.executeUpdate() == 1;
        });
    }

    public boolean delete(String clientId) {
        return jdbc.prepareStatement("delete from clients where client_id = ?", ps -> {
            ps.setString(1, clientId);
            return ps.executeUpdate() == 1;
        });
    }

    public Optional<RegisteredClient> find(String clientId) {
        return jdbc.prepareStatement("select client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, source from clients where client_id = ?", ps -> {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<RegisteredClient>empty();
                }
                return Optional.of(client(rs));
            }
        });
    }

    public List<RegisteredClient> preRegistered() {
        return jdbc.prepareStatement("select client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, source from clients where source = 'admin' order by created_at", ps -> {
            java.util.ArrayList<RegisteredClient> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(client(rs));
                }
            }
            return out;
        });
    }

    private static RegisteredClient client(ResultSet rs) throws SQLException {
        return new RegisteredClient(rs.getString("client_id"), rs.getString("secret_hash"),
                rs.getString("token_endpoint_auth_method"), Arrays.asList(rs.getString("redirect_uris").split("\n")),
                rs.getString("client_name"), rs.getString("source"));
    }
}
