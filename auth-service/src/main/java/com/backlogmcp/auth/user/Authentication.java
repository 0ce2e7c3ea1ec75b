package com.backlogmcp.auth.user;

import jakarta.inject.Singleton;

import java.util.Optional;

/** Checks an email and password, throttled per account-and-address and per address ({@link LoginThrottle}). */
@Singleton
public class Authentication {

    /** Outcome of a login attempt. */
    public sealed interface Outcome permits Success, Failure, Throttled {
    }

    public record Success(User user) implements Outcome {
    }

    public record Failure() implements Outcome {
    }

    public record Throttled() implements Outcome {
    }

    private final UserStore users;
    private final Passwords passwords;
    private final LoginThrottle throttle;

    Authentication(UserStore users, Passwords passwords, LoginThrottle throttle) {
        this.users = users;
        this.passwords = passwords;
        this.throttle = throttle;
    }

    public Outcome login(String email, String password, String address) {
        if (email == null || password == null || email.isBlank() || email.length() > 320 || password.length() > 1024) {
            return new Failure();
        }
        if (throttle.blocked(email, address)) {
            return new Throttled();
        }
        Optional<UserStore.Credentials> c = users.credentials(email);
        boolean ok;
        if (c.isEmpty()) {
            passwords.burnTimeForUnknownAccount(password);
            ok = false;
        } else {
            ok = passwords.verify(password, c.get().passwordHash());
        }
        if (!ok) {
            throttle.recordFailure(email, address);
            return new Failure();
        }
        throttle.recordSuccess(email, address);
        return new Success(c.get().user());
    }
}
