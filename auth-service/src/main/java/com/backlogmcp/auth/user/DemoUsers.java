package com.backlogmcp.auth.user;

import com.backlogmcp.auth.support.AuthSettings;
import com.backlogmcp.contracts.demo.DemoFixture;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.inject.Singleton;

/** Seeds the demo users (auth's half of {@link DemoFixture}) when {@code SEED_DEMO_DATA=true}; idempotent. */
@Singleton
final class DemoUsers {

    private final AuthSettings settings;
    private final UserStore users;
    private final Passwords passwords;

    DemoUsers(AuthSettings settings, UserStore users, Passwords passwords) {
        this.settings = settings;
        this.users = users;
        this.passwords = passwords;
    }

    @EventListener
    void onStartup(StartupEvent event) {
        if (!settings.seedDemoData()) {
            return;
        }
        for (DemoFixture.DemoUser u : DemoFixture.USERS) {
            if (!users.exists(u.id())) {
                users.insertIfAbsent(new User(u.id(), u.email(), u.displayName(), u.platformAdmin()), passwords.hash(u.password()));
            }
        }
    }
}
