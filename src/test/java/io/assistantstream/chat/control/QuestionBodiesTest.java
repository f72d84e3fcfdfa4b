package io.assistantstream.chat.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.assistantstream.platform.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import io.assistantstream.chat.entity.Question;
import io.assistantstream.platform.ApiSettings;
import io.assistantstream.platform.Json;
import io.assistantstream.platform.ProblemException;
import io.assistantstream.session.entity.SessionKind;
import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuestionBodiesTest {

    private static final ApiSettings API = Settings.of("api.max-message-chars=100").api();

    private static Question read(String body, SessionKind kind) throws Exception {
        JsonNode node = Json.read(body);
        return QuestionBodies.read(node, kind, API);
    }

    private static String refusal(String body, SessionKind kind) {
        ProblemException refused = assertThrows(ProblemException.class, () -> read(body, kind));
        assertEquals(400, refused.status(), refused.getMessage());
        return refused.getMessage();
    }

    @Test
    void aGlobalQuestionCarriesItsPageAndAttachments() throws Exception {
        Question question = read("{\"content\":\"Why?\",\"page\":\"workflows/w/fetch\","
                + "\"attachments\":[{\"type\":\"log\",\"content\":\"Error: 401\"}]}", SessionKind.GLOBAL);
        assertEquals("workflows/w/fetch", question.page());
        assertEquals(List.of(new ApolloQuestion.Attachment("log", "Error: 401")), question.attachments());
        assertEquals(List.of(), read("{\"content\":\"Why?\"}", SessionKind.GLOBAL).attachments());
    }

    @Test
    void eachBadFieldIsNamed() {
        assertTrue(refusal("{\"content\":\"q\",\"page\":\"p\"}", SessionKind.WORKFLOW).contains("global sessions"));
        assertTrue(refusal("{\"content\":\"q\",\"attachments\":[{\"type\":\"video\",\"content\":\"x\"}]}",
                SessionKind.GLOBAL).contains("attachments[0].type"));
        assertTrue(refusal("{\"content\":\"q\",\"attachments\":[{\"type\":\"log\"}]}", SessionKind.GLOBAL)
                .contains("attachments[0].content"));
        assertTrue(refusal("{\"content\":\"q\",\"attachments\":\"log\"}", SessionKind.GLOBAL).contains("list"));
        assertTrue(refusal("{\"content\":\"q\",\"page\":\"" + "p".repeat(501) + "\"}", SessionKind.GLOBAL)
                .contains("500"));
        assertTrue(refusal("{\"content\":\"q\",\"mood\":\"x\"}", SessionKind.GLOBAL).contains("mood"));
        ProblemException tooLong = assertThrows(ProblemException.class,
                () -> read("{\"content\":\"" + "x".repeat(101) + "\"}", SessionKind.JOB));
        assertEquals(413, tooLong.status());
    }
}
