package com.backlogmcp.embedded;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the test infrastructure when the JUnit launcher session of this JVM ends. */
public final class InfrastructureSessionListener implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestInfrastructure.shutdown();
    }
}
