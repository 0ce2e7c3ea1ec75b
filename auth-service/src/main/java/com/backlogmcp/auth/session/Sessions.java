package com.backlogmcp.auth.session;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.JdbcStatements;
import com.backlogmcp.auth.support.Secrets;
import com.backlogmcp.auth.user.User;
import com.backlogmcp.auth.user.UserStore;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.http.cookie.SameSite;
import jakarta.inject.Singleton;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Browser sessions. The cookie holds a random id; the database holds only its SHA-256, so a leaked table cannot be
 * replayed. Cookies are HttpOnly, Secure and SameSite=Lax: Lax (not Strict) because an agent sends the user to
 * {@code /oauth/authorize} by a cross-site top-level navigation, and the user must arrive logged in.
 */
@Singleton
public class Sessions {

    public static final String COOKIE = "bmcp_session";
    static final Duration LIFETIME = Duration.ofHours(12);

    private final JdbcStatements jdbc;
    private final UserStore users;
    private final AuthSettings settings;
    private final Clock clock;

    Sessions(JdbcStatements jdbc, UserStore users, AuthSettings settings, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.settings = settings;
        this.clock = clock;
    }

    /** Starts a session and answers the cookie to set. */
    public Cookie start(User user) {
        String raw = Secrets.newSecret();
        Instant now = clock.instant();
        jdbc.prepareStatement("insert into sessions (id_hash, user_id, csrf_token, created_at, expires_at) values (?,?,?,?,?)", ps -> {
            ps.setString(1, Secrets.sha256(raw));
            ps.setString(2, user.id());
            ps.setString(3, Secrets.newSecret());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setTimestamp(5, Timestamp.from(now.plus(LIFETIME)));
            return ps.executeUpdate();
        });
        return cookie(raw, LIFETIME);
    }

    public Optional<Session> current(HttpRequest<?> request) {
        Optional<Cookie> cookie = request.getCookies().findCookie(COOKIE);
        if (cookie.isEmpty() || cookie.get().getValue() == null || cookie.get().getValue().length() > 100) {
            return Optional.empty();
        }
        String hash = Secrets.sha256(cookie.get().getValue());
        Optional<String[]> row = jdbc.prepareStatement("select user_id, csrf_token from sessions where id_hash = ? and expires_at > ?", ps -> {
            ps.setString(1, hash);
            ps.setTimestamp(2, Timestamp.from(clock.instant()));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new String[]{rs.getString(1), rs.getString(2)}) : Optional.<String[]>empty();
            }
        });
        return row.flatMap(r -> users.find(r[0]).map(u -> new Session(u, r[1], hash)));
    }

    /** Ends the session and answers the cookie that clears it in the browser. */
    public Cookie end(Session session) {
        jdbc.prepareStatement("delete from sessions where id_hash = ?", ps -> {
            ps.setString(1, session.idHash());
            return ps.executeUpdate();
        });
        return cookie("", Duration.ZERO);
    }

    public boolean csrfValid(Session session, String presented) {
        return Secrets.constantTimeEquals(session.csrfToken(), presented);
    }

    Cookie cookie(String value, Duration maxAge) {
        return Cookie.of(COOKIE, value).httpOnly(true).secure(settings.cookieSecure()).sameSite(SameSite.Lax).path("/").maxAge(maxAge);
    }
}
