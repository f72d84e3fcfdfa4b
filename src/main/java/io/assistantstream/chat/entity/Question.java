package io.assistantstream.chat.entity;

import io.assistantstream.upstream.entity.ApolloQuestion;
import java.util.List;

/**
 * A question as a client posts it: the text, and in a global session where the user is ({@code page}, may be
 * null) and what the question is about ({@code attachments}). Only the text is stored; the rest goes to the
 * service with this question alone.
 */
public record Question(String content, String page, List<ApolloQuestion.Attachment> attachments) {
}
