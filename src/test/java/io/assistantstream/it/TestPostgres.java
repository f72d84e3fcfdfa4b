package io.assistantstream.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * A real PostgreSQL for the test runs that ask for one ({@code assistantstream.postgres.port} set, as the
 * WildFly execution in the pom does): started before the first test class, so the server the tests start finds
 * it through DB_URL, and stopped when the run ends.
 */
public final class TestPostgres implements LauncherSessionListener {

    static final String PORT_PROPERTY = "assistantstream.postgres.port";

    private EmbeddedPostgres postgres;

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        String port = System.getProperty(PORT_PROPERTY);
        if (port == null || port.isBlank()) {
            return;
        }
        try {
            postgres = EmbeddedPostgres.builder().setPort(Integer.parseInt(port)).start();
            System.out.println("PostgreSQL for the tests on port " + port);
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL for the tests did not start on port " + port
                    + " (is the port taken?)", e);
        }
    }

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
