package io.assistantstream.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Prepares the demo's WildFly (a stock distribution of its own, unpacked by the {@code wildfly-demo} profile): the
 * WAR in its deployments directory, and a class data sharing archive of one boot with it. JBoss Modules loads
 * nearly every class through its own class loaders; the JVM still maps the archived ones, matched by content, when
 * those loaders define them, so a boot skips most parsing and verification (README, "Run the demo").
 *
 * <p>Run by the build in the package phase of {@code -Pwildfly-demo}:
 * {@code WildFlyClassArchive <wildfly-home> <war> <archive> <java-options>}; the boot stops normally, which is when
 * the JVM writes the archive, and leaves no data behind: the demo starts on a fresh directory.
 */
public final class WildFlyClassArchive {

    private WildFlyClassArchive() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        Path war = Path.of(args[1]);
        Path archive = Path.of(args[2]);
        String javaOptions = args[3];
        Path standalone = home.resolve("standalone");
        Files.copy(war, standalone.resolve("deployments").resolve("assistant-stream.war"),
                StandardCopyOption.REPLACE_EXISTING);
        if (Files.exists(archive)
                && Files.getLastModifiedTime(archive).compareTo(Files.getLastModifiedTime(home.resolve("jboss-modules.jar"))) > 0) {
            System.out.println("WildFly's class archive is up to date: " + archive);
            return;
        }
        long started = System.nanoTime();
        Files.deleteIfExists(archive);
        Path log = archive.resolveSibling("wildfly-class-archive.log");
        Files.deleteIfExists(log);
        int offset = FreePort.next() - 8080;
        ProcessBuilder wildfly = new ProcessBuilder(home.resolve("bin").resolve("standalone.sh").toString(),
                "-Djboss.socket.binding.port-offset=" + offset, "-Ddemo.upstream.enabled=true", "-Dauth.mode=open");
        // In the background the script passes its TERM on to the server's JVM and waits for it to write the archive.
        wildfly.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        wildfly.environment().put("JAVA_OPTS", javaOptions + " -XX:ArchiveClassesAtExit=" + archive);
        ClassArchiveBoot.record(wildfly, "http://127.0.0.1:" + (8080 + offset) + "/assistant-stream/api", archive, log);
        for (String left : new String[] {"data", "tmp", "log"}) {
            ClassArchiveBoot.deleteTree(standalone.resolve(left));
        }
        Files.deleteIfExists(standalone.resolve("deployments").resolve("assistant-stream.war.deployed"));
        System.out.printf("WildFly's class archive written in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, archive);
    }
}
