package io.assistantstream.it;

import java.net.URL;
import org.jboss.arquillian.test.api.ArquillianResource;

/** A relay Arquillian deployed for the test class. */
abstract class AgainstDeployment extends AgainstServer {

    @ArquillianResource
    URL base;

    /** The deployment's address on loopback: the test server listens on 127.0.0.1 only. */
    @Override
    String root() {
        return Deployments.root(base);
    }
}
