package io.assistantstream.it;

import java.io.IOException;

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
        try {
            EventStreamLines.read(process.getInputStream(), recorder::add, event -> false);
        } catch (IOException e) {
            // curl ended: the stream is over
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
