package io.assistantstream.it;

import java.net.URL;
import org.jboss.arquillian.test.api.ArquillianResource;

/** A relay Arquillian deployed for the test class. */
abstract class AgainstDeployment extends AgainstServer {

    /**
     * Static, as Arquillian gives a {@code @Nested} class's tests no deployment of their own: they run on their
     * enclosing class's, whose own tests (run first) had this set.
     */
    @ArquillianResource
    static URL base;

    /** The deployment's address on loopback: the test server listens on 127.0.0.1 only. */
    @Override
    String root() {
        return Deployments.root(base);
    }
}
