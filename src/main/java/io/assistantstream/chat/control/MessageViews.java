package io.assistantstream.chat.control;

import io.assistantstream.chat.entity.ChatMessage;
import io.assistantstream.platform.Json;
import io.assistantstream.stream.entity.ClientEvent.ErrorBody;
import io.assistantstream.stream.entity.ClientEvent.MessageView;
import java.util.Arrays;
import java.util.List;

/** A stored message as clients see it. */
public final class MessageViews {

    private MessageViews() {
    }

    public static MessageView of(ChatMessage message) {
        boolean assistant = ChatMessage.ROLE_ASSISTANT.equals(message.getRole());
        List<String> changes = message.getChangeIds() == null ? List.of()
                : Arrays.asList(message.getChangeIds().split(","));
        ErrorBody error = message.getErrorCode() == null ? null
                : new ErrorBody(message.getErrorCode(), message.getErrorMessage());
        return new MessageView(message.getId(), message.getRole(), message.getContent(),
                assistant ? message.getStatus().wireName() : null, message.getCreatedAt().toString(),
                message.getUsageJson() == null ? null : Json.readStored(message.getUsageJson()),
                message.getMetaJson() == null ? null : Json.readStored(message.getMetaJson()),
                assistant ? changes : null, error);
    }
}
