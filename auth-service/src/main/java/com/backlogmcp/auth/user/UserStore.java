package com.backlogmcp.auth.user;

import com.backlogmcp.auth.support.JdbcStatements;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Users table; emails are compared lower-cased. */
@Singleton
public class UserStore {

    record Credentials(User user, String passwordHash) {
    }

    private final JdbcStatements jdbc;

    UserStore(JdbcStatements jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<User> find(String id) {
        return jdbc.prepareStatement("select id, email, display_name, platform_admin from users where id = ?", ps -> {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4))) : Optional.<User>empty();
            }
        });
    }

    public List<User> byIds(List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        return jdbc.prepareStatement("select id, email, display_name, platform_admin from users where id = any(?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text", ids.toArray()));
            List<User> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return out;
        });
    }

    /** Users by email (compared lower-cased), for backlog-service's directory look-ups. */
    public List<User> byEmails(List<String> emails) {
        if (emails.isEmpty()) {
            return List.of();
        }
        return jdbc.prepareStatement("select id, email, display_name, platform_admin from users where email = any(?)", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("text",
                    emails.stream().map(e -> e.trim().toLowerCase(Locale.ROOT)).toArray()));
            List<User> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
            return out;
        });
    }

    /**
     * Creates an account; empty when the email already has one. The unique email makes this the single point where
     * two sign-ups for the same address race: exactly one insert wins.
     */
    public Optional<User> create(String email, String displayName, String passwordHash) {
        User user = new User(com.backlogmcp.auth.support.Secrets.newId("usr_"), email.trim().toLowerCase(Locale.ROOT),
                displayName, false);
        int inserted = jdbc.prepareStatement("insert into users (id, email, display_name, password_hash, platform_admin)"
                + " values (?,?,?,?,false) on conflict (email) do nothing", ps -> {
            ps.setString(1, user.id());
            ps.setString(2, user.email());
            ps.setString(3, user.displayName());
            ps.setString(4, passwordHash);
            return ps.executeUpdate();
        });
        return inserted == 1 ? Optional.of(user) : Optional.empty();
    }

    Optional<Credentials> credentials(String email) {
        return jdbc.prepareStatement("select id, email, display_name, platform_admin, password_hash from users where email = ?", ps -> {
            ps.setString(1, email.trim().toLowerCase(Locale.ROOT));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Credentials(new User(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)), rs.getString(5)))
                        : Optional.<Credentials>empty();
            }
        });
    }

    /** Inserts the user unless the id exists (idempotent seeding). */
    public void insertIfAbsent(User u, String passwordHash) {
        jdbc.prepareStatement("insert into users (id, email, display_name, password_hash, platform_admin) values (?,?,?,?,?) on conflict do nothing", ps -> {
            ps.setString(1, u.id());
            ps.setString(2, u.email().toLowerCase(Locale.ROOT));
            ps.setString(3, u.displayName());
            ps.setString(4, passwordHash);
            ps.setBoolean(5, u.platformAdmin());
            return ps.executeUpdate();
        });
    }

    public boolean exists(String id) {
        return find(id).isPresent();
    }
}
