package com.backlogmcp.auth.user;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import jakarta.inject.Singleton;

/**
 * Argon2id password hashing (OWASP parameters: 19 MiB, 2 iterations, 1 lane). The PHC string carries its parameters,
 * so stronger settings later still verify old hashes.
 */
@Singleton
public class Passwords {

    private static final Argon2Function ARGON2ID = Argon2Function.getInstance(19 * 1024, 2, 1, 32, Argon2.ID);
    /** Verified against when the account does not exist, so timing does not reveal which emails are registered. */
    private final String decoyHash = hash("decoy-password-never-matches");

    public String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2ID).getResult();
    }

    public boolean verify(String password, String hash) {
        return Password.check(password, hash).with(ARGON2ID);
    }

    void burnTimeForUnknownAccount(String password) {
        verify(password, decoyHash);
    }
}
