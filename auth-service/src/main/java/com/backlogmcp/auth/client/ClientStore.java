package com.backlogmcp.auth.client;

import com.backlogmcp.auth.support.Db;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
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

    public void save(RegisteredClient c, String metadataJson) {
        jdbc.prepareStatement("insert into clients (client_id, secret_hash, token_endpoint_auth_method, redirect_uris, client_name, metadata, source, created_at) values (?,?,?,?,?,?,?,?)", ps -> {
            ps.setString(1, c.clientId());
            ps.setString(2, c.secretHash());
            ps.setString(3, c.authMethod());
            ps.setString(4, String.join("\n", c.redirectUris()));
            ps.setString(5, c.clientName());
            ps.setString(6, metadataJson);
            ps.setString(7, c.source());
            ps.setTimestamp(8, Timestamp.from(clock.instant()));
            return ps.executeUpdate();
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
