package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A misbehaving Apollo written straight on a server socket, so it can break HTTP itself. The question picks the
 * fault: {@code mute} accepts and never answers, {@code cut-chunk} stops in the middle of a chunk and hangs up,
 * {@code trickle} sends a status every 300 ms forever, {@code flood:COUNT:SIZE[:PAUSE_MS]} streams COUNT text
 * deltas of SIZE characters (PAUSE_MS apart) and then completes ({@code flood:COUNT:SIZE:PAUSE_MS:workflow} sends
 * the page's sample workflow as a change halfway), {@code hang-up} reads the request and closes the
 * connection without a byte of answer (a kept-alive connection closed as it is reused), and
 * {@code hang-up-once} does that to its first request only and answers the next one with two deltas, and
 * {@code long-names} sends a workflow whose five edges name missing jobs with names of 3,000 characters.
 */
final class RawApollo implements AutoCloseable {

    static final Path SAMPLE_WORKFLOW = Path.of("src/main/webapp/app/samples/workflow.yaml");

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Map<String, Integer> requests = new ConcurrentHashMap<>();

    RawApollo() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** How many streaming requests asked this question. */
    int requests(String question) {
        return requests.getOrDefault(question, 0);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.execute(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            int length = 0;
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            if (head.startsWith("HEAD")) {
                socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            JsonNode body = Clients.JSON.readTree(in.readNBytes(length));
            String question = body.path("content").asText();
            int attempt = requests.merge(question, 1, Integer::sum);
            if (question.equals("hang-up") || (question.equals("hang-up-once") && attempt == 1)) {
                return;
            }
            if (question.equals("hang-up-once")) {
                question = "flood:2:5";
            }
            OutputStream out = socket.getOutputStream();
            if (question.equals("mute")) {
                Thread.sleep(60_000);
                return;
            }
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (question.equals("cut-chunk")) {
                chunk(out, status("Reading the code..."));
                out.write("200\r\nevent: content_block_delta\ndata: {\"type\":".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200);
                return;
            }
            if (question.equals("trickle")) {
                while (true) {
                    chunk(out, status("Still thinking..."));
                    Thread.sleep(300);
                }
            }
            if (question.equals("long-names")) {
                chunk(out, "event: changes\ndata: " + Clients.JSON.writeValueAsString(
                        Clients.JSON.createObjectNode().put("yaml", longNamesWorkflow())) + "\n\n");
                chunk(out, "event: complete\ndata: {\"response\":\"named\"}\n\n");
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            if (question.startsWith("flood:")) {
                String[] flood = question.split(":");
                int count = Integer.parseInt(flood[1]);
                String text = "x".repeat(Integer.parseInt(flood[2]) - 1) + " ";
                long pauseMillis = flood.length > 3 ? Long.parseLong(flood[3]) : 0;
                boolean withWorkflow = flood.length > 4 && flood[4].equals("workflow");
                for (int i = 0; i < count; i++) {
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                    if (withWorkflow && i == count / 2) {
                        chunk(out, "event: changes\ndata: " + Clients.JSON.writeValueAsString(Clients.JSON.createObjectNode()
                                .put("yaml", Files.readString(SAMPLE_WORKFLOW))) + "\n\n");
                    }
                    chunk(out, "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                            + "\"delta\":{\"type\":\"text_delta\",\"text\":\"" + text + "\"}}\n\n");
                }
                chunk(out, "event: complete\ndata: {\"response\":\"flooded\"}\n\n");
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // The relay hung up (a limit, a cancel): that is the point of most scenarios.
        }
    }

    private static String longNamesWorkflow() {
        StringBuilder yaml = new StringBuilder("name: Long names\njobs:\n  Fetch:\n    name: Fetch\n"
                + "    adaptor: \"@openfn/language-http@latest\"\n    body: get('/x')\nedges:\n");
        for (int i = 0; i < 5; i++) {
            String missing = Character.toString('A' + i).repeat(3000);
            yaml.append("  edge-").append(i).append(":\n    source_job: Fetch\n    target_job: ").append(missing)
                    .append("\n    condition_type: always\n");
        }
        return yaml.toString();
    }

    private static String status(String text) {
        return "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
                + "\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"" + text + "\"}}\n\n";
    }

    private static void chunk(OutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = (b == '\r' || b == '\n') && "\r\n\r\n".charAt(matched) == b ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
