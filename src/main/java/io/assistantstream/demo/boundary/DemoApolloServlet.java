package io.assistantstream.demo.boundary;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assistantstream.demo.control.DemoAnswer;
import io.assistantstream.demo.control.DemoAnswers;
import io.assistantstream.demo.control.DemoGlobalAnswers;
import io.assistantstream.demo.control.DemoRhythm;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.DemoSettings;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A stand-in for Apollo, inside the WAR and off unless {@code demo.upstream.enabled=true}: it answers
 * {@code POST /demo-apollo/services/{job_chat|workflow_chat|global_chat}/stream} over the real wire protocol, with
 * the status lines, the early {@code changes} event, text in a model's uneven rhythm, and the final
 * {@code complete}; global_chat on each of Apollo 3's three paths.
 * It holds its request thread while it streams, which is fine for a demo and nothing else.
 */
@WebServlet(urlPatterns = {"/demo-apollo/services/*", "/demo-apollo/livez"})
public class DemoApolloServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final long THINKING_MILLIS = 700;

    @Inject
    transient DemoSettings settings;

    @Inject
    transient ApiSettings api;

    /** Apollo's liveness check, {@code GET /livez}, which the relay's health asks. */
    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(settings.demoUpstreamEnabled() && request.getServletPath().endsWith("/livez") ? 200 : 404);
    }

    @Override
    protected void doHead(HttpServletRequest request, HttpServletResponse response) {
        response.setStatus(settings.demoUpstreamEnabled() && service(request, "") != null ? 200 : 404);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String service = service(request, "/stream");
        if (!settings.demoUpstreamEnabled() || service == null) {
            response.sendError(404);
            return;
        }
        JsonNode body;
        try {
            body = Json.read(new String(request.getInputStream().readNBytes(api.maxBodyBytes()),
                    StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            response.setStatus(400);
            response.setContentType("application/json");
            response.getWriter().write("{\"code\":400,\"type\":\"BAD_REQUEST\",\"message\":\"body is not JSON\"}");
            return;
        }
        String question = Json.text(body, "content");
        DemoAnswer answer = "global_chat".equals(service)
                ? DemoGlobalAnswers.pick(question, Json.text(body, "workflow_yaml"), Json.text(body, "page"))
                : DemoAnswers.pick(service, question);
        response.setStatus(200);
        response.setContentType("text/event-stream");
        response.setCharacterEncoding("UTF-8");
        try {
            stream(new Wire(response.getOutputStream(), settings.pacePercent()), service, question, answer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void stream(Wire wire, String service, String question, DemoAnswer answer)
            throws IOException, InterruptedException {
        wire.send("log", Json.mapper().valueToTree("INFO:" + service + ":Generating answer"), 0);
        ObjectNode start = Json.object().put("type", "message_start");
        start.putObject("message").put("id", "msg_demo").put("type", "message").put("role", "assistant")
                .put("model", "demo");
        wire.send("message_start", start, 0);
        int index = 0;
        for (String status : answer.statusesBefore()) {
            thinking(wire, index++, status);
        }
        boolean early = answer.path() == DemoAnswer.Path.CLASSIC || answer.path() == DemoAnswer.Path.GLOBAL_PLANNER;
        if (early && answer.yaml() != null) {
            wire.send("changes", Json.object().put("yaml", answer.yaml()), THINKING_MILLIS * 2);
        } else if (early && answer.code() != null) {
            wire.send("changes", Json.object().put("code", answer.code()), THINKING_MILLIS * 2);
        }
        int textBlock = index++;
        wire.send("content_block_start", block("content_block_start", textBlock), 0);
        // The planner writes its whole text at once; the others stream in a model's rhythm.
        List<DemoRhythm.Slice> slices = answer.path() == DemoAnswer.Path.GLOBAL_PLANNER
                ? List.of(new DemoRhythm.Slice(answer.markdown(), 0))
                : DemoRhythm.slices(answer.markdown(), question == null ? 0 : question.hashCode());
        for (DemoRhythm.Slice slice : slices) {
            ObjectNode delta = block("content_block_delta", textBlock);
            delta.putObject("delta").put("type", "text_delta").put("text", slice.text());
            wire.send("content_block_delta", delta, slice.pauseMillis());
        }
        wire.send("content_block_stop", block("content_block_stop", textBlock), 0);
        if (answer.statusAfter() != null) {
            thinking(wire, index, answer.statusAfter());
        }
        ObjectNode stop = Json.object().put("type", "message_delta");
        stop.putObject("delta").put("stop_reason", "end_turn");
        wire.send("message_delta", stop, 0);
        wire.send("message_stop", Json.object().put("type", "message_stop"), 0);
        ObjectNode complete = Json.object().put("response", answer.markdown());
        if (answer.isGlobal()) {
            ArrayNode attachments = complete.putArray("attachments");
            if (answer.yaml() != null) {
                attachments.addObject().put("type", "workflow_yaml").put("content", answer.yaml());
            }
        } else if (answer.yaml() != null) {
            complete.put("response_yaml", answer.yaml());
        } else if (answer.code() != null) {
            complete.put("suggested_code", answer.code());
        }
        complete.putArray("history");
        complete.putObject("meta").put("apollo_version", "demo");
        complete.putObject("usage").put("input_tokens", 1200).put("output_tokens", answer.markdown().length() / 4);
        wire.send("complete", complete, THINKING_MILLIS / 2);
    }

    private static void thinking(Wire wire, int index, String status) throws IOException, InterruptedException {
        ObjectNode delta = block("content_block_delta", index);
        delta.putObject("delta").put("type", "thinking_delta").put("thinking", status);
        wire.send("content_block_start", block("content_block_start", index), 0);
        wire.send("content_block_delta", delta, THINKING_MILLIS);
        wire.send("content_block_stop", block("content_block_stop", index), 0);
    }

    private static ObjectNode block(String type, int index) {
        return Json.object().put("type", type).put("index", index);
    }

    /** {@code services/workflow_chat/stream} → {@code workflow_chat}, for the three known services only. */
    private static String service(HttpServletRequest request, String suffix) {
        String path = request.getPathInfo();
        for (String known : new String[] {"job_chat", "workflow_chat", "global_chat"}) {
            if (("/" + known + suffix).equals(path)) {
                return known;
            }
        }
        return null;
    }

    /** Writes {@code event:}/{@code data:} frames, each after its pause (times demo.pace-percent), flushed at once. */
    private record Wire(OutputStream out, int pacePercent) {
        void send(String event, JsonNode data, long pauseMillis) throws IOException, InterruptedException {
            if (pauseMillis > 0) {
                Thread.sleep(Math.max(1, pauseMillis * pacePercent / 100));
            }
            out.write(("event: " + event + "\ndata: " + Json.write(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
