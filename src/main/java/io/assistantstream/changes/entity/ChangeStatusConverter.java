package io.assistantstream.changes.entity;

import jakarta.persistence.Converter;

/** {@link ChangeStatus} in {@code session_change.status}. */
@Converter(autoApply = true)
public class ChangeStatusConverter extends WireNameConverter<ChangeStatus> {

    public ChangeStatusConverter() {
        super(ChangeStatus.class);
    }
}
