package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.Db;
import jakarta.inject.Singleton;

import io.micronaut.core.annotation.Nullable;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Registered clients (dynamic and pre-registered). Redirect URIs are stored newline-separated (a URI has no newline). */
@Singleton
public class ClientStore {

    private final Db jdbc;
    private final Clock clock;

    ClientStore(Db jdbc, Clock clock) {
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
        jdbc.prepareStatement("insert into clients (client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, metadata, source, created_at, registration_token_hash) values (?,?,?,?,?,?,?,?,?)", ps -> {
            ps.setString(1, c.clientId());
            ps.setString(2, c.secretHash());
            ps.setString(3, c.authMethod());
            ps.setString(4, String.join("\n", c.redirectUris()));
            ps.setString(5, c.clientName());
            ps.setString(6, metadataJson);
            ps.setString(7, c.source());
            ps.setTimestamp(8, Timestamp.from(clock.instant()));
            ps.setString(9, registrationTokenHash);
            return ps.executeUpdate();
        });
    }

    public Optional<Registration> registration(String clientId) {
        return jdbc.prepareStatement("select client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, source, metadata, registration_token_hash, created_at from clients where client_id = ?", ps -> {
            ps.setString(1, clientId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.<Registration>empty();
                }
                RegisteredClient c = new RegisteredClient(rs.getString(1), rs.getString(2), rs.getString(3),
                        Arrays.asList(rs.getString(4).split("\n")), rs.getString(5), rs.getString(6));
                return Optional.of(new Registration(c, rs.getString(7), rs.getString(8), rs.getTimestamp(9).toInstant()));
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
                List<String> uris = Arrays.asList(rs.getString(4).split("\n"));
                return Optional.of(new RegisteredClient(rs.getString(1), rs.getString(2), rs.getString(3), uris, rs.getString(5), rs.getString(6)));
            }
        });
    }

    public List<RegisteredClient> preRegistered() {
        return jdbc.prepareStatement("select client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, source from clients where source = 'admin' order by created_at", ps -> {
            java.util.ArrayList<RegisteredClient> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new RegisteredClient(rs.getString(1), rs.getString(2), rs.getString(3),
                            Arrays.asList(rs.getString(4).split("\n")), rs.getString(5), rs.getString(6)));
                }
            }
            return out;
        });
    }
}
