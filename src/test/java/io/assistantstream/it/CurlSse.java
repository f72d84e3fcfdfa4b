package io.assistantstream.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * curl as an SSE client ({@code curl -sN}), a program this project did not write: its output is parsed line by
 * line into the recorder, one event per blank line, as the WHATWG rules read it.
 */
final class CurlSse implements AutoCloseable {

    private final Process process;
    private final Thread reader;

    CurlSse(String eventsUrl, Recorder recorder) throws IOException {
        process = new ProcessBuilder("curl", "-sN", "--max-time", "300", Clients.withToken(eventsUrl)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        reader = new Thread(() -> read(recorder), "curl " + eventsUrl);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Recorder recorder) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String name = "message";
            long id = -1;
            StringBuilder data = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null) {
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        JsonNode json = Clients.JSON.readTree(data.toString());
                        recorder.add(new Received(name, id, json));
                    }
                    name = "message";
                    id = -1;
                    data.setLength(0);
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).strip());
                } else if (line.startsWith("data:")) {
                    data.append(data.length() > 0 ? "\n" : "").append(line.substring(5).stripLeading());
                }
            }
        } catch (IOException e) {
            // curl ended: the stream is over
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
