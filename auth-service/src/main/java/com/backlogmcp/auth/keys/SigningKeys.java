package com.backlogmcp.auth.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.backlogmcp.auth.support.JdbcStatements;
import io.micronaut.scheduling.annotation.Scheduled;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.transaction.TransactionOperations;
import java.sql.Connection;
import jakarta.inject.Singleton;
import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.auth.support.Secrets;

import java.sql.ResultSet;
import java.sql.Timestamp;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ES256 signing keys kept in the database, so every replica signs with the same current key and a rotation needs no
 * restart: replicas re-read the keys at most {@link #CACHE_TTL} after a change. JWKS serves the current key and the
 * previous one, so tokens signed just before a rotation keep verifying until they expire (15 min &lt; rotation period).
 */
@Singleton
public class SigningKeys {

    static final Duration CACHE_TTL = Duration.ofSeconds(30);
    private static final String CURRENT = "current";
    private static final String PREVIOUS = "previous";
    private static final String RETIRED = "retired";

    private final JdbcStatements jdbc;
    private final KeyEncryption encryption;
    private final AuthSettings settings;
    private final Clock clock;
    private final TransactionOperations<Connection> tx;
    private volatile Snapshot snapshot;

    private record Snapshot(ECKey current, Instant currentCreated, List<ECKey> published, Instant loadedAt) {
    }

    SigningKeys(JdbcStatements jdbc, KeyEncryption encryption, AuthSettings settings, Clock clock, TransactionOperations<Connection> tx) {
        this.tx = tx;
        this.jdbc = jdbc;
        this.encryption = encryption;
        this.settings = settings;
        this.clock = clock;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        ensureCurrentKey();
        refresh();
    }

    /** The key to sign with now (private half included). */
    public ECKey current() {
        return fresh().current();
    }

    /** Public keys a verifier should accept: current and previous. */
    public JWKSet publicJwks() {
        return new JWKSet(fresh().published().stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
    }

    /** A published public key by id; reloads once on a miss so a key minted by another replica is found. */
    public Optional<ECKey> publicKey(String kid) {
        Optional<ECKey> k = fresh().published().stream().filter(e -> e.getKeyID().equals(kid)).findFirst();
        if (k.isEmpty()) {
            refresh();
            k = snapshot.published().stream().filter(e -> e.getKeyID().equals(kid)).findFirst();
        }
        return k.map(ECKey::toPublicJWK);
    }

    /** Makes a new current key; the old current becomes previous, the old previous is retired. */
    public String rotate() {
        String kid = tx.executeWrite(status -> {
        jdbc.prepareStatement("select pg_advisory_xact_lock(8081001)", ps -> ps.execute());
        jdbc.prepareStatement("update signing_keys set status = ? where status = ?", ps -> {
            ps.setString(1, RETIRED);
            ps.setString(2, PREVIOUS);
            return ps.executeUpdate();
        });
        jdbc.prepareStatement("update signing_keys set status = ? where status = ?", ps -> {
            ps.setString(1, PREVIOUS);
            ps.setString(2, CURRENT);
            return ps.executeUpdate();
        });
        return insertNewKey();
        });
        snapshot = null;
        return kid;
    }

    @Scheduled(fixedDelay = "${AUTH_KEY_ROTATION_CHECK:10m}", initialDelay = "1m")
    void rotateWhenDue() {
        Snapshot s = fresh();
        if (s.currentCreated().plus(settings.keyRotationPeriod()).isBefore(clock.instant())) {
            rotate();
        }
    }

    void ensureCurrentKey() {
        tx.executeWrite(status -> {
            // Replicas starting together serialise here, so exactly one of them creates the first key.
            jdbc.prepareStatement("select pg_advisory_xact_lock(8081001)", ps -> ps.execute());
            boolean present = jdbc.prepareStatement("select 1 from signing_keys where status = 'current'", ps -> ps.executeQuery().next());
            if (!present) {
                insertNewKey();
            }
            return null;
        });
    }

    private String insertNewKey() {
        try {
            String kid = Secrets.newId("k_");
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).generate();
            jdbc.prepareStatement("insert into signing_keys (kid, public_jwk, private_jwk_encrypted, created_at, status) values (?,?,?,?,?)", ps -> {
                ps.setString(1, kid);
                ps.setString(2, key.toPublicJWK().toJSONString());
                ps.setBytes(3, encryption.encrypt(key.toJSONString()));
                ps.setTimestamp(4, Timestamp.from(clock.instant()));
                ps.setString(5, CURRENT);
                return ps.executeUpdate();
            });
            return kid;
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate signing key", e);
        }
    }

    private Snapshot fresh() {
        Snapshot s = snapshot;
        if (s == null || s.loadedAt().plus(CACHE_TTL).isBefore(clock.instant())) {
            refresh();
            s = snapshot;
        }
        return s;
    }

    private synchronized void refresh() {
        List<ECKey> published = new ArrayList<>();
        ECKey[] current = new ECKey[1];
        Instant[] created = new Instant[1];
        jdbc.prepareStatement("select kid, private_jwk_encrypted, status, created_at from signing_keys where status in ('current','previous') order by created_at desc", ps -> {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ECKey key = ECKey.parse(encryption.decrypt(rs.getBytes(2)));
                    published.add(key);
                    if (CURRENT.equals(rs.getString(3))) {
                        current[0] = key;
                        created[0] = rs.getTimestamp(4).toInstant();
                    }
                }
            } catch (ParseException e) {
                throw new IllegalStateException("stored signing key is not a JWK", e);
            }
            return null;
        });
        if (current[0] == null) {
            throw new IllegalStateException("no current signing key");
        }
        snapshot = new Snapshot(current[0], created[0], List.copyOf(published), clock.instant());
    }
}
