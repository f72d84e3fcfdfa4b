package io.assistantstream.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The relay under test: Payara Micro or WildFly in a process of its own, the WAR deployed, on loopback. */
final class RelayServer implements Hub, AutoCloseable {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Pattern SUBSCRIBERS = Pattern.compile("(?m)^assistant_stream_subscribers\\{[^}]*} (\\S+)$");
    private static final Pattern PSS = Pattern.compile("Pss:\\s+(\\d+) kB");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final String name;
    private final int port;
    final long startupMillis;
    private final Process process;
    private final Path pidFile;

    /** Payara Micro with the WAR, its embedded H2, on a free port. */
    static RelayServer payara(Path root, String apolloUrl, Map<String, String> config) throws Exception {
        return payara(root, apolloUrl, config, List.of());
    }

    /**
     * Payara Micro with the WAR on PostgreSQL (DB_URL, DB_USER and DB_PASSWORD in {@code config}), configured as the
     * project's tests and the container image do: for servers that share one database.
     */
    static RelayServer payaraOnPostgres(Path root, String apolloUrl, Map<String, String> config) throws Exception {
        return payara(root, apolloUrl, config, List.of("--addLibs", root.resolve("target/postgresql.jar").toString(),
                "--postbootcommandfile", root.resolve("server-config/payara/postgresql.asadmin").toString()));
    }

    private static RelayServer payara(Path root, String apolloUrl, Map<String, String> config, List<String> extra)
            throws Exception {
        Path microJar = payaraJar(root);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g"));
        command.addAll(flightRecording());
        command.addAll(List.of("-jar", microJar.toString(), "--port", Integer.toString(port),
                "--rootDir", Files.createTempDirectory("bench-payara").toString(),
                "--deploy", root.resolve("target/assistant-stream.war").toString()));
        command.addAll(payaraSettings(root));
        command.addAll(extra);
        return new RelayServer(payaraName(microJar), port, command, serverEnvironment(apolloUrl, config), null);
    }

    /**
     * The start-up of Payara Micro prepared as its documentation recommends for start-up time: a launcher bound
     * to a root directory that a warm-up run filled (the WAR deployed, the runtime unpacked), and a class data
     * sharing archive written by that run. The prepared instance is stopped again once it answers.
     */
    static long payaraPreparedStartupMillis(Path root, String apolloUrl, Map<String, String> config)
            throws Exception {
        Path microJar = payaraJar(root);
        Path rootDir = Files.createTempDirectory("bench-payara-prepared");
        Path launcher = rootDir.resolve("launch-micro.jar");
        Path archive = rootDir.resolve("classes.jsa");
        prepare(List.of("java", "-jar", microJar.toString(), "--rootDir", rootDir.toString(), "--outputlauncher"));
        List<String> warmUp = new ArrayList<>(List.of("java", "-XX:ArchiveClassesAtExit=" + archive, "-jar",
                launcher.toString(), "--deploy", root.resolve("target/assistant-stream.war").toString(), "--warmup"));
        warmUp.addAll(payaraSettings(root));
        prepare(warmUp);
        int port = freePort();
        List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-XX:SharedArchiveFile=" + archive,
                "-jar", launcher.toString(), "--port", Integer.toString(port)));
        command.addAll(payaraSettings(root));
        try (RelayServer prepared = new RelayServer(payaraName(microJar), port, command,
                serverEnvironment(apolloUrl, config), null)) {
            return prepared.startupMillis;
        }
    }

    private static void prepare(List<String> command) throws Exception {
        Path log = Path.of("results", "payara-prepare.log");
        Files.createDirectories(log.getParent());
        Process step = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!step.waitFor(5, TimeUnit.MINUTES) || step.exitValue() != 0) {
            step.destroyForcibly();
            throw new IllegalStateException("Preparing Payara Micro failed: " + command + "; see " + log);
        }
    }

    private static Path payaraJar(Path root) throws IOException {
        try (var jars = Files.list(root.resolve("target"))) {
            return jars.filter(p -> p.getFileName().toString().startsWith("payara-micro-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No Payara Micro jar in target/: run bench/run.sh"));
        }
    }

    private static List<String> payaraSettings(Path root) {
        // The demo's own pre-boot commands, so the start-up measured is the demo command's.
        return List.of("--nocluster", "--prebootcommandfile",
                root.resolve("server-config/payara/pre-boot-commands.asadmin").toString());
    }

    private static Map<String, String> serverEnvironment(String apolloUrl, Map<String, String> config) {
        Map<String, String> environment = new HashMap<>(config);
        environment.put("APOLLO_URL", apolloUrl);
        // The benchmark's clients all come from one address: open, and no quota in their way.
        environment.put("AUTH_MODE", "open");
        environment.put("QUOTA_SESSIONS", "1000000");
        environment.put("QUOTA_QUESTIONS", "1000000");
        environment.put("QUOTA_STREAMING_ANSWERS", "10000");
        environment.put("QUOTA_SUBSCRIBERS", "1000000");
        return environment;
    }

    private static String payaraName(Path microJar) {
        return "Payara Micro " + microJar.getFileName().toString().replaceAll("^payara-micro-|\\.jar$", "");
    }

    /**
     * WildFly from the build's unpacked distribution, on a server directory of its own with the distribution's
     * pristine standalone.xml (the build's copy is configured for PostgreSQL), so the WAR runs on WildFly's H2.
     */
    static RelayServer wildfly(Path root, String apolloUrl, Map<String, String> config) throws Exception {
        Path home;
        try (var dirs = Files.list(root.resolve("target"))) {
            home = dirs.filter(p -> p.getFileName().toString().startsWith("wildfly-")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("No WildFly in target/: run bench/run.sh"));
        }
        String version = home.getFileName().toString().substring("wildfly-".length());
        Path base = Files.createTempDirectory("bench-wildfly");
        Path configuration = Files.createDirectories(base.resolve("configuration"));
        try (var files = Files.list(home.resolve("standalone/configuration"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, configuration.resolve(file.getFileName()));
            }
        }
        Path dist = Path.of(System.getProperty("user.home"), ".m2/repository/org/wildfly/wildfly-dist", version,
                "wildfly-dist-" + version + ".tar.gz");
        Process untar = new ProcessBuilder("tar", "xzf", dist.toString(), "-O",
                "wildfly-" + version + "/standalone/configuration/standalone.xml")
                .redirectOutput(configuration.resolve("standalone.xml").toFile()).start();
        if (untar.waitFor() != 0) {
            throw new IllegalStateException("Could not read the pristine standalone.xml from " + dist);
        }
        Files.copy(root.resolve("target/assistant-stream.war"),
                Files.createDirectories(base.resolve("deployments")).resolve("assistant-stream.war"));
        int offset = freeOffset();
        Map<String, String> environment = serverEnvironment(apolloUrl, config);
        environment.put("JAVA_OPTS", String.join(" ", flightRecording()) + " -Xmx1g");
        environment.put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
        Path pidFile = base.resolve("wildfly.pid");
        environment.put("JBOSS_PIDFILE", pidFile.toString());
        return new RelayServer("WildFly " + version, 8080 + offset, List.of(home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base, "-Djboss.socket.binding.port-offset=" + offset,
                "-b", "127.0.0.1", "-bmanagement", "127.0.0.1"), environment, pidFile);
    }

    private RelayServer(String name, int port, List<String> command, Map<String, String> environment,
                        Path pidFile) throws Exception {
        this.name = name;
        this.port = port;
        this.pidFile = pidFile;
        // One log per port: the cluster phase runs two servers at once.
        Path log = Path.of("results", "server-" + port + ".log");
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        long launched = System.nanoTime();
        process = builder.start();
        while (!answers()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The server exited at start; see " + log.toAbsolutePath());
            }
            Thread.sleep(100);
        }
        startupMillis = (System.nanoTime() - launched) / 1_000_000;
    }

    private static List<String> flightRecording() {
        return Boolean.getBoolean("bench.jfr")
                ? List.of("-XX:StartFlightRecording=filename=" + Path.of("results", "server.jfr").toAbsolutePath()
                        + ",settings=profile")
                : List.of();
    }

    private static int freePort() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /**
     * A WildFly port offset whose HTTP (8080), HTTPS (8443) and management (9990, 9993) ports, plus the offset, are
     * all free: the benchmark widens the ephemeral range, so any of them may be a client's just now.
     */
    private static int freeOffset() {
        for (int offset = 21_000; offset < 30_000; offset += 7) {
            try (ServerSocket http = new ServerSocket(8080 + offset); ServerSocket https = new ServerSocket(8443 + offset);
                 ServerSocket management = new ServerSocket(9990 + offset);
                 ServerSocket secureManagement = new ServerSocket(9993 + offset)) {
                return offset;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("No free set of ports for WildFly");
    }

    /** The server's JVM: Payara Micro's own process, WildFly's from its pid file (standalone.sh is a wrapper). */
    private long jvmPid() throws IOException {
        return pidFile == null ? process.pid() : Long.parseLong(Files.readString(pidFile).trim());
    }

    private String api() {
        return "http://127.0.0.1:" + port + "/assistant-stream/api";
    }

    private boolean answers() {
        try {
            return StampReaders.HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/health")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Live heap after a full collection, in bytes (jcmd GC.run, then GC.heap_info). */
    private long heapUsedBytes() throws Exception {
        jcmd("GC.run");
        Thread.sleep(500);
        Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("jcmd GC.heap_info said nothing about the heap");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    /** The JVM's proportional set size (as for nginx's processes, so the two compare). */
    private long residentBytes() throws IOException {
        Matcher pss = PSS.matcher(Files.readString(Path.of("/proc", Long.toString(jvmPid()), "smaps_rollup")));
        return pss.find() ? Long.parseLong(pss.group(1)) * 1024 : -1;
    }

    @Override
    public Footprint footprint() throws Exception {
        return new Footprint(heapUsedBytes(), residentBytes());
    }

    /**
     * The relay notices a closed SSE connection when it next writes to it (a heartbeat, within
     * stream.heartbeat-seconds), so this waits until its own metric says no subscriber is left.
     */
    @Override
    public void awaitNoSubscribers() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (System.nanoTime() < deadline) {
            String metrics = StampReaders.HTTP.send(HttpRequest.newBuilder(URI.create(api() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher subscribers = SUBSCRIBERS.matcher(metrics);
            double left = 0;
            while (subscribers.find()) {
                left += Double.parseDouble(subscribers.group(1));
            }
            if (left == 0) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("The relay still counts subscribers a minute after they all closed");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String label() {
        return "relay";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public Channel open() throws Exception {
        String body = post(api() + "/sessions", null, "{\"kind\":\"workflow\"}", 201);
        Matcher id = ID.matcher(body);
        Matcher token = TOKEN.matcher(body);
        if (!id.find() || !token.find()) {
            throw new IllegalStateException("Unexpected session: " + body);
        }
        String session = id.group(1);
        return new Channel(session, api() + "/sessions/" + session + "/events?last_event_id=0", token.group(1),
                "ws://127.0.0.1:" + port + "/assistant-stream/ws/sessions/" + session + "?last_event_id=0&access_token="
                        + token.group(1), "/assistant-stream/api/sessions/" + session + "/events?last_event_id=0");
    }

    @Override
    public void stream(Channel channel, int events, long periodMicros) throws Exception {
        post(api() + "/sessions/" + channel.name() + "/messages", channel.token(),
                "{\"content\":\"bench:" + events + ":" + periodMicros + "\"}", 202);
    }

    private static String post(String url, String token, String json, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type",
                "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = StampReaders.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException("POST " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** The classes of the live heap by bytes, largest first. */
    String histogram() throws Exception {
        return jcmd("GC.class_histogram");
    }

    private String jcmd(String command) throws Exception {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(jvmPid()), command).redirectErrorStream(true)
                .start();
        String output = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        return output;
    }

    @Override
    public void close() throws Exception {
        ProcessHandle.of(jvmPid()).ifPresent(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
