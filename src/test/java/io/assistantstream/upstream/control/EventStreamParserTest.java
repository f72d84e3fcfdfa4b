package io.assistantstream.upstream.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.assistantstream.upstream.entity.ServerSentEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EventStreamParserTest {

    static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    static Stream<Path> fixtures() throws IOException {
        return Files.list(FIXTURES).filter(p -> p.toString().endsWith(".sse")).sorted();
    }

    static List<ServerSentEvent> parse(byte[] bytes, int... splits) {
        List<ServerSentEvent> events = new ArrayList<>();
        EventStreamParser parser = new EventStreamParser(events::add, 1 << 20);
        int from = 0;
        for (int split : splits) {
            parser.feed(bytes, from, split - from);
            from = split;
        }
        parser.feed(bytes, from, bytes.length - from);
        return events;
    }

    static List<ServerSentEvent> parse(String text) {
        return parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void everySplitOfAFixtureYieldsTheSameEvents(Path fixture) throws IOException {
        byte[] bytes = Files.readAllBytes(fixture);
        List<ServerSentEvent> whole = parse(bytes);
        assertEquals(true, whole.size() >= 2, "the fixture has events");
        for (int split = 0; split <= bytes.length; split++) {
            assertEquals(whole, parse(bytes, split), "split at byte " + split);
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void aFixtureFedOneByteAtATimeYieldsTheSameEvents(Path fixture) throws IOException {
        byte[] bytes = Files.readAllBytes(fixture);
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertEquals(parse(bytes), parse(bytes, everyByte));
    }

    @Test
    void wireOdditiesFollowTheWhatwgRules() throws IOException {
        List<ServerSentEvent> events = parse(Files.readAllBytes(FIXTURES.resolve("wire-oddities.sse")));
        assertEquals(List.of(
                new ServerSentEvent("", "message_start",
                        "{\"type\": \"message_start\", \"message\": {\"id\": \"msg_x\", \"role\": \"assistant\"}}"),
                new ServerSentEvent("7", "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\n"
                                + "\"delta\":{\"type\":\"text_delta\",\"text\":\"Multi-line \"}}"),
                new ServerSentEvent("7", "content_block_delta",
                        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"data works.\"}}"),
                // A bare "data" line appends an empty line: the spec dispatches an event with empty data.
                new ServerSentEvent("7", "message", ""),
                new ServerSentEvent("7", "message_stop", "{\"type\": \"message_stop\"}"),
                new ServerSentEvent("7", "complete",
                        "{\"response\": \"Multi-line data works.\", \"history\": [], \"usage\": {}}")),
                events);
    }

    @Test
    void anEventWithoutDataIsNotDispatched() {
        assertEquals(List.of(), parse("event: ping\n\nid: 3\n\n: comment\n\n"));
    }

    @Test
    void fieldsWithoutASpaceAfterTheColonAndUnknownFieldsAreHandled() {
        assertEquals(List.of(new ServerSentEvent("", "x", "a: b\n c")),
                parse("event:x\nfoo: bar\ndata:a: b\ndata:  c\n\n"));
    }

    @Test
    void anIdWithANullCharacterIsIgnored() {
        assertEquals(List.of(new ServerSentEvent("1", "message", "d")), parse("id: 1\nid: 2\0\ndata: d\n\n"));
    }

    @Test
    void anEventCutOffByTheEndOfTheStreamIsDropped() {
        assertEquals(List.of(new ServerSentEvent("", "a", "1")), parse("event: a\ndata: 1\n\nevent: b\ndata: 2\n"));
    }

    @Test
    void aCrlfSplitAcrossReadsIsOneLineEnd() {
        byte[] bytes = "data: 1\r\n\r\ndata: 2\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        List<ServerSentEvent> expected = List.of(new ServerSentEvent("", "message", "1"),
                new ServerSentEvent("", "message", "2"));
        assertEquals(expected, parse(bytes, 8));
        assertEquals(expected, parse(bytes, 10));
    }

    @Test
    void aByteOrderMarkIsStrippedOnlyAtTheStart() {
        assertEquals(List.of(new ServerSentEvent("", "message", "\uFEFFx")),
                parse("\uFEFFdata: \uFEFFx\n\n"));
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] bytes = {'d', 'a', 't', 'a', ':', ' ', (byte) 0xC3, 'x', '\n', '\n'};
        assertEquals(List.of(new ServerSentEvent("", "message", "\uFFFDx")), parse(bytes));
    }

    @Test
    void anOversizedLineOrEventIsRefused() {
        EventStreamParser parser = new EventStreamParser(event -> { }, 64);
        byte[] line = ("data: " + "x".repeat(100)).getBytes(StandardCharsets.UTF_8);
        assertThrows(EventStreamParser.EventTooLargeException.class, () -> parser.feed(line, 0, line.length));

        EventStreamParser manyLines = new EventStreamParser(event -> { }, 64);
        byte[] lines = "data: 0123456789\n".repeat(10).getBytes(StandardCharsets.UTF_8);
        assertThrows(EventStreamParser.EventTooLargeException.class, () -> manyLines.feed(lines, 0, lines.length));
    }
}
