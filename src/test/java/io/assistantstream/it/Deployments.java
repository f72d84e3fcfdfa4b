package io.assistantstream.it;

import java.io.File;
import java.net.URL;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The built WAR as the tests deploy it, and where they reach it. */
final class Deployments {

    private Deployments() {
    }

    /** The WAR from the package phase, with the given MicroProfile Config lines replacing its defaults. */
    static WebArchive war(String... configLines) {
        WebArchive war = ShrinkWrap.createFromZipFile(WebArchive.class,
                new File(System.getProperty("assistantstream.war", "target/assistant-stream.war")));
        return configLines.length == 0 ? war : war.addAsResource(
                new StringAsset(String.join("\n", configLines) + "\n"), "META-INF/microprofile-config.properties");
    }

    /** The deployment's address on loopback: the test server listens on 127.0.0.1 only. */
    static String root(URL base) {
        return "http://127.0.0.1:" + base.getPort() + base.getPath().replaceAll("/$", "");
    }
}
