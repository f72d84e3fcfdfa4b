package io.assistantstream.testing;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prepares the Payara Micro every later boot runs (the tests', the demo's): its runtime unpacked once into a root
 * directory with a launcher jar ({@code --outputlauncher}), and a class data sharing archive of one boot of that
 * launcher with the WAR ({@code -XX:ArchiveClassesAtExit}). A boot then neither unpacks 100 MB of jars into a new
 * temporary directory nor reads, verifies and parses the classes the archive holds. The archive is valid only for
 * the launcher at this path (the JVM checks the class path), which is why the build prepares both together.
 *
 * <p>Run by the build in the package phase:
 * {@code PayaraLauncher <payara-micro.jar> <postgresql.jar> <war> <root> <archive> <skip>};
 * {@code skip} leaves the archive out (the launcher is still prepared: the tests and the demo run it).
 */
public final class PayaraLauncher {

    private static final String DOMAIN = "config/domain.xml";
    private static final String PREPARED_DOMAIN = "config/domain.xml.prepared";
    private static final String VERSION_FILE = "MICRO-INF/domain/branding/glassfish-version.properties";

    private PayaraLauncher() {
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path driver = Path.of(args[1]);
        Path war = Path.of(args[2]);
        Path root = Path.of(args[3]);
        Path archive = Path.of(args[4]);
        boolean skipArchive = Boolean.parseBoolean(args[5]);
        Path launcher = root.resolve("launch-micro.jar");
        if (Files.exists(launcher) && (skipArchive || newerThan(archive, jar))) {
            restoreConfig(root);
            System.out.println("Payara Micro's launcher is up to date: " + launcher);
            return;
        }
        long started = System.nanoTime();
        ClassArchiveBoot.deleteTree(root);
        Files.deleteIfExists(archive);
        Path log = archive.resolveSibling("payara-launcher.log");
        // A launcher takes no --addLibs: the PostgreSQL driver (for the restart and cluster tests) is built in.
        run(log, ClassArchiveBoot.java(List.of("-jar", jar.toString(), "--rootdir", root.toString(), "--outputlauncher",
                "--addLibs", driver.toAbsolutePath().toString())));
        copyVersion(jar, launcher);
        Files.copy(root.resolve(DOMAIN), root.resolve(PREPARED_DOMAIN));
        if (!skipArchive) {
            writeArchive(launcher, war, archive, log);
            // The archive's boot created the demo's H2 database in the root: the demo starts with none.
            ClassArchiveBoot.deleteTree(root.resolve("lib").resolve("databases"));
            restoreConfig(root);
        }
        System.out.printf("Payara Micro's launcher%s prepared in %.1f s: %s%n", skipArchive ? "" : " and class archive",
                (System.nanoTime() - started) / 1e9, launcher);
    }

    /**
     * Gives the root its configuration as prepared. Every boot of the launcher writes into that one configuration
     * what its commands changed (the tests' in-memory database, the restart test's PostgreSQL pool) and the WAR it
     * deployed, and the next boot would start from that: the build restores it before the demo and the tests, and
     * {@code PayaraProcess} before each of its starts. A plain Payara Micro jar unpacks into a new directory at each
     * boot and has nothing to restore.
     *
     * @return whether {@code microJar} is a launcher prepared here (with the PostgreSQL driver built in)
     */
    public static boolean restoreConfigOf(Path microJar) throws IOException {
        Path root = microJar.toAbsolutePath().getParent();
        boolean prepared = Files.exists(root.resolve(PREPARED_DOMAIN));
        if (prepared) {
            restoreConfig(root);
        }
        return prepared;
    }

    private static void restoreConfig(Path root) throws IOException {
        Files.copy(root.resolve(PREPARED_DOMAIN), root.resolve(DOMAIN), StandardCopyOption.REPLACE_EXISTING);
        ClassArchiveBoot.deleteTree(root.resolve("applications"));
        ClassArchiveBoot.deleteTree(root.resolve("generated"));
    }

    /** Arquillian's Payara Micro adapter refuses a jar without the version file the launcher leaves out. */
    private static void copyVersion(Path jar, Path launcher) throws IOException {
        try (FileSystem from = FileSystems.newFileSystem(jar); FileSystem to = FileSystems.newFileSystem(launcher)) {
            Path target = to.getPath(VERSION_FILE);
            Files.createDirectories(target.getParent());
            Files.copy(from.getPath(VERSION_FILE), target);
        }
    }

    private static boolean newerThan(Path file, Path than) throws IOException {
        return Files.exists(file) && Files.getLastModifiedTime(file).compareTo(Files.getLastModifiedTime(than)) > 0;
    }

    private static void writeArchive(Path launcher, Path war, Path archive, Path log) throws Exception {
        int port = FreePort.next();
        ClassArchiveBoot.record(new ProcessBuilder(ClassArchiveBoot.java(List.of("-XX:ArchiveClassesAtExit=" + archive,
                "-XX:TieredStopAtLevel=1", "-Xmx768m", "-Ddemo.upstream.enabled=true", "-Dauth.mode=open",
                "-jar", launcher.toString(), "--nocluster", "--port", Integer.toString(port),
                "--deploy", war.toString(), "--contextroot", "assistant-stream"))),
                "http://127.0.0.1:" + port + "/assistant-stream/api", archive, log);
    }

    private static void run(Path log, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("Preparing Payara Micro's launcher failed; its log: " + log);
        }
    }
}
