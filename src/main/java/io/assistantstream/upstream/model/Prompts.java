package io.assistantstream.upstream.model;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The assistant's side of a conversation with a model: a system prompt for the session's kind (what the assistant
 * is for, the workflow or job as it stands, how to use its tool), the conversation so far, and the question. The
 * words live in {@code prompts/} beside the classes, so they are edited as text, not as string literals.
 */
final class Prompts {

    private static final Properties TEXTS = load();
    /** The templates, read once: a question needs one of them, not a read of the WAR. */
    private static final Map<String, String> TEMPLATES = new java.util.concurrent.ConcurrentHashMap<>();

    private Prompts() {
    }

    /** The messages of a question's first step. */
    static List<ChatMessage> conversation(ApolloQuestion question) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(system(question)));
        for (ApolloQuestion.Turn turn : question.history()) {
            messages.add("assistant".equals(turn.role()) ? AiMessage.from(turn.content()) : UserMessage.from(turn.content()));
        }
        messages.add(UserMessage.from(question.content()));
        return messages;
    }

    static String text(String key) {
        String text = TEXTS.getProperty(key);
        if (text == null) {
            throw new IllegalStateException("prompts/tools.properties has no " + key);
        }
        return text;
    }

    private static String system(ApolloQuestion question) {
        String yaml = question.workflowYaml() == null ? "(no workflow yet)" : question.workflowYaml().strip();
        if (question.global() != null) {
            StringBuilder attachments = new StringBuilder();
            question.global().attachments().forEach(attachment -> attachments.append(MessageFormat.format(
                    text("attachment"), attachment.type(), attachment.content())));
            return fill("global.md", Map.of("workflow_yaml", yaml, "attachments", attachments.toString(),
                    "page", question.global().page() == null ? "the workflow as a whole" : question.global().page()));
        }
        if (question.job() != null) {
            ApolloQuestion.Job job = question.job();
            return fill("job.md", Map.of("job_code", job.code() == null ? "" : job.code().strip(),
                    "adaptor", String.valueOf(job.adaptor()), "job_name", String.valueOf(job.name())));
        }
        return fill("workflow.md", Map.of("workflow_yaml", yaml));
    }

    /** The template with each {@code {{name}}} replaced, once, by its value (values are never searched again). */
    private static String fill(String template, Map<String, String> values) {
        String text = TEMPLATES.computeIfAbsent(template, Prompts::read);
        StringBuilder filled = new StringBuilder();
        int at = 0;
        int open;
        while ((open = text.indexOf("{{", at)) >= 0) {
            int close = text.indexOf("}}", open);
            String name = text.substring(open + 2, close);
            filled.append(text, at, open).append(values.getOrDefault(name, ""));
            at = close + 2;
        }
        return filled.append(text.substring(at)).toString();
    }

    private static String read(String name) {
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("The WAR lacks prompts/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load() {
        Properties texts = new Properties();
        try (InputStream in = Prompts.class.getResourceAsStream("/prompts/tools.properties")) {
            if (in == null) {
                throw new IllegalStateException("The WAR lacks prompts/tools.properties");
            }
            texts.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return texts;
    }
}
