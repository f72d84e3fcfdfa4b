package io.assistantstream.chat.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/** Stores a {@link MessageStatus} by its wire name, as the column always held it (concrete: see ChangeKindConverter). */
@Converter(autoApply = true)
public class MessageStatusConverter implements AttributeConverter<MessageStatus, String> {

    @Override
    public String convertToDatabaseColumn(MessageStatus value) {
        return value == null ? null : value.wireName();
    }

    @Override
    public MessageStatus convertToEntityAttribute(String column) {
        return column == null ? null : MessageStatus.fromWire(column).orElseThrow(
                () -> new IllegalStateException("chat_message.status holds an unknown status: " + column));
    }
}
